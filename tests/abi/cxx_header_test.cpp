// casecheck.h compiled as C++: the same frozen layout must hold, with the real
// CASECHECK_API_HAS macro evaluated at compile time.
#include "c_header_test.c"
