// The gate every JSON document passes before the plugin looks inside it.
#pragma once

#include "failure.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace casecheck {

// Bounds on untrusted input.
struct InputLimits {
    std::size_t max_bytes = 16u * 1024u * 1024u;
    std::size_t max_depth = 64;
};

// Parses `bytes` as one JSON document. It checks the size first (E_LIMIT);
// then one pass over the text finds the first invalid UTF-8 (E_ENCODING) or
// nesting beyond max_depth (E_LIMIT), whichever comes first; then the syntax
// (E_PARSE). `document` names it in messages, e.g. "request".
Result<nlohmann::json> parse_json_input(std::string_view bytes, const InputLimits& limits, std::string_view document);

}  // namespace casecheck
