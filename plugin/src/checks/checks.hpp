// The built-in check kinds, one file each.
#pragma once

#include "criterion.hpp"

#include <string_view>

namespace casecheck::checks {

// "timeliness": recorded against event time (RK-01 Contemporaneous entry).
CheckKind timeliness();

// "attribution": author, role, entry time, signature (RK-03 Attributable entry).
CheckKind attribution();

// The text without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

}  // namespace casecheck::checks
