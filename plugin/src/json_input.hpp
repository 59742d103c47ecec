// The gate every JSON document passes before the plugin looks inside it.
#pragma once

#include "failure.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

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

// Checks text that is not JSON (FHIR XML): its size (E_LIMIT) and UTF-8 (E_ENCODING).
std::optional<Failure> check_text_input(std::string_view bytes, const InputLimits& limits, std::string_view document);

// Parses newline-delimited JSON (NDJSON): each non-blank line through the same
// gate, the whole text bounded by max_bytes. Returns (line number, value) pairs;
// errors name the line.
Result<std::vector<std::pair<std::size_t, nlohmann::json>>> parse_json_lines(std::string_view bytes, const InputLimits& limits,
                                                                             std::string_view document);

}  // namespace casecheck
