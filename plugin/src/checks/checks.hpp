// The built-in check kinds, one file each.
#pragma once

#include "criterion.hpp"

#include <string_view>

namespace casecheck::checks {

// "timeliness": recorded against event time (RK-01 Contemporaneous entry).
CheckKind timeliness();

// "attribution": author, role, entry time, signature (RK-03 Attributable entry).
CheckKind attribution();

// "consent-before-disclosure": a disclosure with no consent to share on file (CO-03).
CheckKind consent_before_disclosure();

// "disclosure-after-consent-ended": a disclosure when the matching consent was not in force (CO-07).
CheckKind disclosure_after_consent_ended();

// The text without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

}  // namespace casecheck::checks
