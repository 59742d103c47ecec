#include "json_input.hpp"

#include "casecheck/model/text_position.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace casecheck {
namespace {

std::string where(std::string_view bytes, std::size_t offset) {
    return model::text_position(bytes, offset) + " (byte " + std::to_string(offset) + ")";
}

// The length of the well-formed UTF-8 sequence at `i`, or 0 if it is not one
// (overlong forms, surrogates and values above U+10FFFF are all rejected).
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    const unsigned char lead = at(i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char min_second = 0x80, max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) min_second = 0xA0;  // overlong
        if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) min_second = 0x90;  // overlong
        if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > bytes.size()) return 0;
    if (at(i + 1) < min_second || at(i + 1) > max_second) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if ((at(i + k) & 0xC0u) != 0x80u) return 0;
    }
    return length;
}

// One pass over the text: UTF-8 validity, and nesting depth outside strings.
// Checking depth before parsing keeps a hostile document from ever building
// a deep tree in memory.
std::optional<Failure> scan(std::string_view bytes, const InputLimits& limits, std::string_view document) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t length = utf8_sequence_length(bytes, i);
        if (length == 0) {
            return Failure{CASECHECK_E_ENCODING,
                           std::string(document) + " is not valid UTF-8 at " + where(bytes, i)};
        }
        if (length == 1) {
            const char c = bytes[i];
            if (in_string) {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') in_string = false;
            } else if (c == '"') {
                in_string = true;
            } else if (c == '{' || c == '[') {
                if (++depth > limits.max_depth) {
                    return Failure{CASECHECK_E_LIMIT, std::string(document) + " nests deeper than the limit max_depth (" +
                                                          std::to_string(limits.max_depth) + ") at " + where(bytes, i)};
                }
            } else if ((c == '}' || c == ']') && depth > 0) {
                --depth;
            }
        }
        i += length;
    }
    return std::nullopt;
}

std::optional<Failure> over_size(std::string_view bytes, const InputLimits& limits, std::string_view document) {
    if (bytes.size() <= limits.max_bytes) return std::nullopt;
    return Failure{CASECHECK_E_LIMIT, std::string(document) + " is " + std::to_string(bytes.size()) +
                                          " bytes, over the limit max_request_bytes (" + std::to_string(limits.max_bytes) + ")"};
}

}  // namespace

std::optional<Failure> check_text_input(std::string_view bytes, const InputLimits& limits, std::string_view document) {
    if (auto failure = over_size(bytes, limits, document)) return failure;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t length = utf8_sequence_length(bytes, i);
        if (length == 0) return Failure{CASECHECK_E_ENCODING, std::string(document) + " is not valid UTF-8 at " + where(bytes, i)};
        i += length;
    }
    return std::nullopt;
}

Result<nlohmann::json> parse_json_input(std::string_view bytes, const InputLimits& limits, std::string_view document) {
    if (auto failure = over_size(bytes, limits, document)) return *failure;
    if (auto failure = scan(bytes, limits, document)) return *failure;

    try {
        return nlohmann::json::parse(bytes.begin(), bytes.end());
    } catch (const nlohmann::json::parse_error& error) {
        // nlohmann's own message quotes the last token read, which may be
        // client data, so only its position is used. It counts the byte that
        // failed as read, hence the step back.
        const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
        if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            return Failure{CASECHECK_E_PARSE, std::string(document) + " is empty: expected a JSON object"};
        }
        return Failure{CASECHECK_E_PARSE, std::string(document) + " is not well-formed JSON at " + where(bytes, offset)};
    }
}

Result<std::vector<std::pair<std::size_t, nlohmann::json>>> parse_json_lines(std::string_view bytes, const InputLimits& limits,
                                                                             std::string_view document) {
    if (auto failure = over_size(bytes, limits, document)) return *failure;
    std::vector<std::pair<std::size_t, nlohmann::json>> values;
    std::size_t line = 0;
    for (std::size_t start = 0; start <= bytes.size();) {
        ++line;
        const std::size_t end = std::min(bytes.find('\n', start), bytes.size());
        const std::string_view text = bytes.substr(start, end - start);
        start = end + 1;
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        auto value = parse_json_input(text, limits, std::string(document) + " line " + std::to_string(line));
        if (!value.ok()) return value.failure();
        values.emplace_back(line, std::move(value.value()));
    }
    return values;
}

}  // namespace casecheck
