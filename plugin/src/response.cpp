#include "response.hpp"

#include <cstdint>
#include <cstdio>

namespace casecheck {
namespace {

using nlohmann::ordered_json;

// FNV-1a, 64-bit: stable across platforms and builds, which std::hash is not.
class Fnv1a64 {
public:
    void add(std::string_view text) {
        for (const char c : text) {
            hash_ ^= static_cast<unsigned char>(c);
            hash_ *= 0x100000001b3ull;
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        hash_ ^= 0xffu;
        hash_ *= 0x100000001b3ull;
    }
    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

// Cuts text to at most `limit` characters on a UTF-8 boundary, marking the cut.
std::string clamp_summary(const std::string& text) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u) continue;
        if (++characters == max_summary_length) return text.substr(0, i) + "\u2026";
    }
    return text;
}

// The wording the rule pack gives a finding's message.
const MessageSpec& message_of(const ReportedPrompt& prompt) { return prompt.criterion->messages.at(prompt.finding.message); }

ordered_json render_prompt(const ReportedPrompt& prompt) {
    const Finding& finding = prompt.finding;
    const MessageSpec& message = message_of(prompt);
    ordered_json out;
    out["id"] = prompt_id(prompt.criterion->id, prompt.record->id, finding.evidence);
    out["criterion"] = prompt.criterion->id;
    out["severity"] = severity_name(message.severity);
    out["record"] = prompt.record->id;
    out["kind"] = model::kind_name(prompt.record->kind());
    out["summary"] = clamp_summary(fill_placeholders(message.summary, finding.values));
    out["detail"] = fill_placeholders(message.detail, finding.values);

    ordered_json evidence;
    evidence["path"] = finding.evidence.path;
    if (finding.evidence.span) {
        evidence["span"] = {{"begin", finding.evidence.span->first}, {"end", finding.evidence.span->second}};
    }
    if (!finding.evidence.related.empty()) evidence["related"] = finding.evidence.related;
    out["evidence"] = std::move(evidence);

    if (finding.suggestion) {
        const Suggestion& s = *finding.suggestion;
        ordered_json suggestion;
        suggestion["kind"] = s.kind;
        suggestion["label"] = s.label;
        if (!s.text.empty()) suggestion["text"] = s.text;
        if (!s.patch.empty()) suggestion["patch"] = s.patch;
        out["suggestion"] = std::move(suggestion);
    }

    ordered_json citations = ordered_json::array();
    for (const auto& citation : prompt.criterion->citations) {
        citations.push_back({{"framework", citation.framework}, {"clause", citation.clause}});
    }
    out["citations"] = std::move(citations);
    return out;
}

}  // namespace

std::string prompt_id(const std::string& criterion_id, const std::string& record_id, const Evidence& evidence) {
    Fnv1a64 hash;
    hash.add(criterion_id);
    hash.add(record_id);
    hash.add(evidence.path);
    if (evidence.span) {
        hash.add(std::to_string(evidence.span->first));
        hash.add(std::to_string(evidence.span->second));
    }
    char id[24];
    std::snprintf(id, sizeof id, "cc-%016llx", static_cast<unsigned long long>(hash.value()));
    return id;
}

std::string render_native_response(const std::string& rule_pack, const std::vector<ReportedPrompt>& prompts,
                                   std::size_t records_checked,
                                   const std::vector<Rejection>& rejections,
                                   const std::map<std::string, std::size_t>& skipped,
                                   const std::optional<model::Instant>& as_of) {
    ordered_json response;
    response["flavour"] = "native";
    response["rule_pack"] = rule_pack;
    if (as_of) response["as_of"] = model::format_instant(*as_of);
    response["records_checked"] = records_checked;

    ordered_json rendered = ordered_json::array();
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& prompt : prompts) {
        rendered.push_back(render_prompt(prompt));
        ++counts[static_cast<int>(message_of(prompt).severity)];
    }
    response["prompts"] = std::move(rendered);

    if (!rejections.empty()) {
        ordered_json rejected = ordered_json::array();
        for (const auto& rejection : rejections) {
            rejected.push_back({{"index", rejection.index},
                                {"path", rejection.path},
                                {"status", status_name(rejection.failure.status)},
                                {"message", rejection.failure.message}});
        }
        response["rejected"] = std::move(rejected);
    }
    if (!skipped.empty()) response["skipped"] = skipped;
    response["summary"] = {{"critical", counts[static_cast<int>(Severity::critical)]},
                           {"warning", counts[static_cast<int>(Severity::warning)]},
                           {"info", counts[static_cast<int>(Severity::info)]}};
    return response.dump();
}

}  // namespace casecheck
