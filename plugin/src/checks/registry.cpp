#include "checks/checks.hpp"

#include <algorithm>
#include <map>

namespace casecheck {

namespace {

using model::RecordKind;

// Which records each check kind judges. The checks themselves return early on
// other kinds; tests/unit/audit_test.cpp holds every kind to this table.
std::vector<RecordKind> judged_kinds(std::string_view check_kind) {
    static const std::map<std::string_view, std::vector<RecordKind>> table = {
        {"timeliness", {RecordKind::note, RecordKind::assessment}},
        {"attribution", {RecordKind::note, RecordKind::care_plan, RecordKind::transition, RecordKind::consent, RecordKind::assessment}},
        {"consent-before-disclosure", {RecordKind::note, RecordKind::care_plan, RecordKind::transition}},
        {"disclosure-after-consent-ended", {RecordKind::note, RecordKind::care_plan, RecordKind::transition}},
        {"completeness", {RecordKind::note, RecordKind::care_plan, RecordKind::transition, RecordKind::consent, RecordKind::assessment}},
        {"amendment", {RecordKind::note}},
        {"consent-to-engage", {RecordKind::note, RecordKind::consent}},
        {"rights-information", {RecordKind::note}},
        {"consent-terms", {RecordKind::consent}},
        {"capacity", {RecordKind::note, RecordKind::consent, RecordKind::assessment}},
        {"reassessment", {RecordKind::assessment}},
        {"risk-strategy", {RecordKind::note, RecordKind::care_plan, RecordKind::assessment}},
        {"smarter-goal", {RecordKind::care_plan}},
        {"client-agreement", {RecordKind::care_plan}},
        {"activity-allocation", {RecordKind::care_plan}},
        {"monitoring-plan", {RecordKind::care_plan}},
        {"plan-communicated", {RecordKind::care_plan}},
        {"goal-activity-links", {RecordKind::care_plan}},
        {"review-due", {RecordKind::care_plan}},
        {"outcome-recorded", {RecordKind::care_plan}},
        {"transition-plan", {RecordKind::transition}},
        {"client-involvement", {RecordKind::transition}},
        {"information-sent", {RecordKind::transition}},
        {"closure", {RecordKind::note, RecordKind::transition}},
        {"handover", {RecordKind::transition}},
        {"referral", {RecordKind::transition}},
        {"rationale", {RecordKind::note}},
        {"plain-language", {RecordKind::note}},
        {"unbiased-language", {RecordKind::note}},
        {"consent-revisited", {RecordKind::note}},
        {"holistic-assessment", {RecordKind::assessment}},
        {"client-views", {RecordKind::assessment}},
        {"information-sources", {RecordKind::assessment}},
        {"self-management", {RecordKind::care_plan}},
    };
    const auto found = table.find(check_kind);
    // A kind missing here judges every record, so an audit undercounts nothing; the test names it.
    if (found == table.end()) return {RecordKind::note, RecordKind::care_plan, RecordKind::transition, RecordKind::consent, RecordKind::assessment};
    return found->second;
}

}  // namespace

bool CheckKind::judges_kind(model::RecordKind kind) const { return std::find(judges.begin(), judges.end(), kind) != judges.end(); }

const std::vector<CheckKind>& check_kinds() {
    // Built once, then only read: immutable shared state is safe across threads and engines.
    static const std::vector<CheckKind> kinds = [] {
        std::vector<CheckKind> all = {checks::timeliness(), checks::attribution(), checks::consent_before_disclosure(),
                                      checks::disclosure_after_consent_ended()};
        for (auto group : {checks::record_checks, checks::planning_checks, checks::transition_checks, checks::free_text_checks}) {
            for (auto& kind : group()) all.push_back(std::move(kind));
        }
        for (auto& kind : all) kind.judges = judged_kinds(kind.name);
        return all;
    }();
    return kinds;
}

const CheckKind* find_check_kind(std::string_view name) {
    for (const auto& kind : check_kinds()) {
        if (kind.name == name) return &kind;
    }
    return nullptr;
}

const ParameterSpec* CheckKind::parameter(std::string_view name) const {
    for (const auto& spec : parameters) {
        if (spec.name == name) return &spec;
    }
    return nullptr;
}

const MessageSpec* CheckKind::message(std::string_view key) const {
    for (const auto& spec : messages) {
        if (spec.key == key) return &spec;
    }
    return nullptr;
}

std::string fill_placeholders(std::string_view text, const MessageValues& values) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto open = text.find('{', i);
        const auto close = open == std::string_view::npos ? open : text.find('}', open);
        if (close == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, open - i));
        const auto found = values.find(std::string(text.substr(open + 1, close - open - 1)));
        if (found != values.end()) out += found->second;
        else out.append(text.substr(open, close - open + 1));
        i = close + 1;
    }
    return out;
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

namespace {

class RuleCheck final : public Check {
public:
    explicit RuleCheck(Rule rule) : rule_(std::move(rule)) {}
    void run(const CheckInput& input, std::vector<Finding>& findings) const override { rule_(input, findings); }

private:
    Rule rule_;
};

}  // namespace

CheckKind rule_kind(std::string name, std::vector<ParameterSpec> parameters, std::vector<MessageSpec> messages,
                    std::function<Rule(const Parameters&, std::string&)> make) {
    CheckKind kind;
    kind.name = std::move(name);
    kind.parameters = std::move(parameters);
    kind.messages = std::move(messages);
    kind.make_check = [make = std::move(make)](const Parameters& parameters, std::string& error) -> std::unique_ptr<Check> {
        Rule rule = make(parameters, error);
        if (!rule) return nullptr;
        return std::make_unique<RuleCheck>(std::move(rule));
    };
    return kind;
}

bool consent_in_force(const model::Consent& consent, const std::optional<model::Instant>& when) {
    const std::string status = consent.status.value_or("");
    const bool active = status == "active";
    const bool ended = status == "withdrawn" || status == "expired" || status == "inactive";
    if (!active && !ended) return false;
    if (!when) return active;
    if (ended && !(consent.period && consent.period->end)) return false;
    if (consent.date && consent.date->epoch_ms > end_of(*when)) return false;
    if (consent.period && consent.period->start && consent.period->start->epoch_ms > end_of(*when)) return false;
    if (consent.period && consent.period->end && end_of(*consent.period->end) < when->epoch_ms) return false;
    return true;
}

std::string recipient_name(std::string_view role) {
    if (role == "gp") return "GP";
    std::string name(role);
    std::replace(name.begin(), name.end(), '-', ' ');
    return name;
}

Finding finding_in_text(std::string message, std::string path, std::size_t begin, std::size_t end, MessageValues values) {
    Finding f = finding_at(std::move(message), std::move(path), std::move(values));
    f.evidence.span = std::pair{begin, end};
    return f;
}

std::string phrase_at(const std::string& text, std::size_t begin, std::size_t end) {
    std::string phrase = text.substr(begin, end - begin);
    std::replace(phrase.begin(), phrase.end(), '\n', ' ');
    return phrase;
}

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace checks
}  // namespace casecheck
