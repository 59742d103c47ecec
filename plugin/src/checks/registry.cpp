#include "checks/checks.hpp"

namespace casecheck {

const std::vector<CriterionDefinition>& builtin_criteria() {
    // Built once, then only read: immutable shared state is safe across threads and engines.
    static const std::vector<CriterionDefinition> criteria = {
        checks::contemporaneous_entry(),
        checks::attributable_entry(),
    };
    return criteria;
}

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::critical: return "critical";
    }
    return "warning";
}

std::optional<ParameterValue> parse_parameter(const ParameterSpec& spec, std::string_view text) {
    switch (spec.type) {
        case ParameterType::duration:
            if (auto duration = model::parse_duration(text)) return ParameterValue{*duration};
            return std::nullopt;
    }
    return std::nullopt;
}

namespace checks {

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace checks
}  // namespace casecheck
