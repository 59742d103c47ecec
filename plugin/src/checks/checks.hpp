// The built-in checks, one definition per criterion (one file each).
#pragma once

#include "criterion.hpp"

#include <string_view>

namespace casecheck::checks {

// RK-01: contemporaneous entry.
CriterionDefinition contemporaneous_entry();

// RK-03: attributable entry.
CriterionDefinition attributable_entry();

// The text without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

}  // namespace casecheck::checks
