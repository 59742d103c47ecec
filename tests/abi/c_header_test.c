/*
 * Freezes the v1 ABI of casecheck.h, as of minor 2.
 *
 * Hosts in other languages (ctypes, JNA, P/Invoke) hard-code the layout of
 * casecheck_api and the status values, so any change to them breaks those
 * hosts silently. This file turns such a change into a compile error. It must
 * build as strict C99 (-std=c99 -pedantic -Werror) and as C++, which also
 * proves the header is valid in both languages.
 *
 * If an assertion here fails, the header changed the ABI: revert the change,
 * or (only when deliberately breaking it) bump CASECHECK_ABI_MAJOR.
 */
#include <casecheck/casecheck.h>

#include <stddef.h>
#include <stdint.h>

/* _Static_assert is C11; a negative array size is the C99 way to fail the
 * build. The line number keeps the typedef names unique. */
#define CC_CONCAT_(a, b) a##b
#define CC_CONCAT(a, b) CC_CONCAT_(a, b)
#define CC_STATIC_ASSERT(cond) typedef char CC_CONCAT(cc_static_assert_line_, __LINE__)[(cond) ? 1 : -1]

/* ---- Layout of casecheck_api v1.0 ---------------------------------------- */

CC_STATIC_ASSERT(offsetof(casecheck_api, struct_size) == 0);
CC_STATIC_ASSERT(offsetof(casecheck_api, abi_major) == 4);
CC_STATIC_ASSERT(offsetof(casecheck_api, abi_minor) == 8);
CC_STATIC_ASSERT(offsetof(casecheck_api, reserved) == 12);

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
/* LP64 and LLP64: 8-byte pointers. */
CC_STATIC_ASSERT(offsetof(casecheck_api, version) == 16);
CC_STATIC_ASSERT(offsetof(casecheck_api, status_name) == 24);
CC_STATIC_ASSERT(offsetof(casecheck_api, engine_create) == 32);
CC_STATIC_ASSERT(offsetof(casecheck_api, engine_destroy) == 40);
CC_STATIC_ASSERT(offsetof(casecheck_api, check) == 48);
CC_STATIC_ASSERT(offsetof(casecheck_api, free_buffer) == 56);
/* 1.1 */
CC_STATIC_ASSERT(offsetof(casecheck_api, to_fhir) == 64);
/* 1.2 */
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_begin) == 72);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_add) == 80);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_merge) == 88);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_merge_state) == 96);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_finish) == 104);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_destroy) == 112);
CC_STATIC_ASSERT(sizeof(casecheck_api) == 120);
#elif UINTPTR_MAX == 0xFFFFFFFFu
/* ILP32: 4-byte pointers. */
CC_STATIC_ASSERT(offsetof(casecheck_api, version) == 16);
CC_STATIC_ASSERT(offsetof(casecheck_api, status_name) == 20);
CC_STATIC_ASSERT(offsetof(casecheck_api, engine_create) == 24);
CC_STATIC_ASSERT(offsetof(casecheck_api, engine_destroy) == 28);
CC_STATIC_ASSERT(offsetof(casecheck_api, check) == 32);
CC_STATIC_ASSERT(offsetof(casecheck_api, free_buffer) == 36);
/* 1.1 */
CC_STATIC_ASSERT(offsetof(casecheck_api, to_fhir) == 40);
/* 1.2 */
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_begin) == 44);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_add) == 48);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_merge) == 52);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_merge_state) == 56);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_finish) == 60);
CC_STATIC_ASSERT(offsetof(casecheck_api, audit_destroy) == 64);
CC_STATIC_ASSERT(sizeof(casecheck_api) == 68);
#else
#error "casecheck ABI layout is only frozen for 32-bit and 64-bit pointers"
#endif

/* The fixed-width header fields are what hosts read before trusting anything. */
CC_STATIC_ASSERT(sizeof(((casecheck_api*)0)->struct_size) == 4);
CC_STATIC_ASSERT(sizeof(((casecheck_api*)0)->abi_major) == 4);
CC_STATIC_ASSERT(sizeof(((casecheck_api*)0)->abi_minor) == 4);
CC_STATIC_ASSERT(sizeof(((casecheck_api*)0)->reserved) == 4);

/* ---- Versions and status codes ------------------------------------------- */

CC_STATIC_ASSERT(CASECHECK_ABI_MAJOR == 1);
CC_STATIC_ASSERT(CASECHECK_ABI_MINOR == 2);
CC_STATIC_ASSERT(sizeof(casecheck_status) == 4);
CC_STATIC_ASSERT((casecheck_status)-1 < 0); /* signed, as int32_t */

CC_STATIC_ASSERT(CASECHECK_OK == 0);
CC_STATIC_ASSERT(CASECHECK_E_INVALID_ARGUMENT == 1);
CC_STATIC_ASSERT(CASECHECK_E_PARSE == 2);
CC_STATIC_ASSERT(CASECHECK_E_SCHEMA == 3);
CC_STATIC_ASSERT(CASECHECK_E_LIMIT == 4);
CC_STATIC_ASSERT(CASECHECK_E_CONFIG == 5);
CC_STATIC_ASSERT(CASECHECK_E_VERSION == 6);
CC_STATIC_ASSERT(CASECHECK_E_INTERNAL == 7);
CC_STATIC_ASSERT(CASECHECK_E_OUT_OF_MEMORY == 8);
CC_STATIC_ASSERT(CASECHECK_E_ENCODING == 9);

/* ---- CASECHECK_API_HAS ---------------------------------------------------- */

/* A stand-in for the table a v1.0 plugin returns: struct_size is the v1 size.
 * Its function pointers stay NULL; only the macro looks at it. */
static const casecheck_api v1_table = {
    (uint32_t)sizeof(casecheck_api), CASECHECK_ABI_MAJOR, CASECHECK_ABI_MINOR, 0u, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL};

/* C99 has no constant expression that reads an object's field, so the
 * compile-time check applies the macro's own test (field end <= struct_size)
 * to the v1 size; C++ can feed a constexpr table to the macro itself. The
 * run-time checks in main() call the macro on real tables in both languages. */
#define CC_FITS_IN_V1(field) \
    (sizeof(casecheck_api) >= offsetof(casecheck_api, field) + sizeof(((casecheck_api*)0)->field))
CC_STATIC_ASSERT(CC_FITS_IN_V1(version));
CC_STATIC_ASSERT(CC_FITS_IN_V1(status_name));
CC_STATIC_ASSERT(CC_FITS_IN_V1(engine_create));
CC_STATIC_ASSERT(CC_FITS_IN_V1(engine_destroy));
CC_STATIC_ASSERT(CC_FITS_IN_V1(check));
CC_STATIC_ASSERT(CC_FITS_IN_V1(free_buffer));

#if defined(__cplusplus) && __cplusplus >= 201103L
constexpr casecheck_api cc_v1_constexpr_table = {
    (uint32_t)sizeof(casecheck_api), CASECHECK_ABI_MAJOR, CASECHECK_ABI_MINOR, 0u, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL};
static_assert(CASECHECK_API_HAS(&cc_v1_constexpr_table, version), "v1 table lacks version");
static_assert(CASECHECK_API_HAS(&cc_v1_constexpr_table, status_name), "v1 table lacks status_name");
static_assert(CASECHECK_API_HAS(&cc_v1_constexpr_table, engine_create), "v1 table lacks engine_create");
static_assert(CASECHECK_API_HAS(&cc_v1_constexpr_table, engine_destroy), "v1 table lacks engine_destroy");
static_assert(CASECHECK_API_HAS(&cc_v1_constexpr_table, check), "v1 table lacks check");
static_assert(CASECHECK_API_HAS(&cc_v1_constexpr_table, free_buffer), "v1 table lacks free_buffer");
#endif

int main(void) {
    casecheck_api truncated = v1_table;
    const casecheck_api* null_table = NULL;

    /* The v1-sized table has every field. */
    if (!CASECHECK_API_HAS(&v1_table, version) || !CASECHECK_API_HAS(&v1_table, status_name) ||
        !CASECHECK_API_HAS(&v1_table, engine_create) || !CASECHECK_API_HAS(&v1_table, engine_destroy) ||
        !CASECHECK_API_HAS(&v1_table, check) || !CASECHECK_API_HAS(&v1_table, free_buffer)) {
        return 1;
    }

    /* A 1.0 plugin's table ends before to_fhir: a 1.1 host must see it missing. */
    truncated.struct_size = (uint32_t)offsetof(casecheck_api, to_fhir);
    if (CASECHECK_API_HAS(&truncated, to_fhir) || !CASECHECK_API_HAS(&truncated, free_buffer)) {
        return 1;
    }

    /* A 1.1 plugin's table ends before audit_begin: a 1.2 host must see the audit missing. */
    truncated.struct_size = (uint32_t)offsetof(casecheck_api, audit_begin);
    if (CASECHECK_API_HAS(&truncated, audit_begin) || CASECHECK_API_HAS(&truncated, audit_destroy) ||
        !CASECHECK_API_HAS(&truncated, to_fhir)) {
        return 1;
    }

    /* A table that stops just before `check` models an older plugin: what it
     * has must read as present and what it lacks as absent, or hosts would
     * call through garbage. */
    truncated.struct_size = (uint32_t)offsetof(casecheck_api, check);
    if (!CASECHECK_API_HAS(&truncated, engine_create) || !CASECHECK_API_HAS(&truncated, engine_destroy)) {
        return 1;
    }
    if (CASECHECK_API_HAS(&truncated, check) || CASECHECK_API_HAS(&truncated, free_buffer)) {
        return 1;
    }

    /* A host may pass the result of casecheck_get_api straight in. */
    if (CASECHECK_API_HAS(null_table, version)) {
        return 1;
    }
    return 0;
}
