#include "response.hpp"

#include "casecheck/fhir/mapping.hpp"
#include "stable_hash.hpp"

#include <cstdint>
#include <cstdio>
#include <initializer_list>

namespace casecheck {
namespace {

using nlohmann::ordered_json;

// Cuts text to at most max_summary_length characters on a UTF-8 boundary, the last one an ellipsis marking the cut.
std::string clamp_summary(const std::string& text) {
    std::size_t characters = 0;
    std::size_t cut = text.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u) continue;
        if (characters == max_summary_length - 1) cut = i;
        ++characters;
    }
    if (characters <= max_summary_length) return text;
    return text.substr(0, cut) + "\u2026";
}

// The wording the rule pack gives a finding's message.
const MessageSpec& message_of(const ReportedPrompt& prompt) { return prompt.criterion->messages.at(prompt.finding.message); }

ordered_json render_prompt(const ReportedPrompt& prompt) {
    const Finding& finding = prompt.finding;
    const MessageSpec& message = message_of(prompt);
    ordered_json out;
    out["id"] = prompt_id(prompt.criterion->id, prompt.record->id, finding);
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
        if (s.resource) suggestion["resource"] = *s.resource;
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

std::string prompt_id(const std::string& criterion_id, const std::string& record_id, const Finding& finding) {
    const Evidence& evidence = finding.evidence;
    Fnv1a64 hash;
    hash.add(criterion_id);
    hash.add(record_id);
    // Two messages of one criterion can point at the same place (TR-04's reason and continuity, both in /text).
    hash.add(finding.message);
    hash.add(evidence.path);
    if (evidence.span) {
        hash.add(std::to_string(evidence.span->first));
        hash.add(std::to_string(evidence.span->second));
    }
    char id[24];
    std::snprintf(id, sizeof id, "cc-%016llx", static_cast<unsigned long long>(hash.value()));
    return id;
}

namespace {

std::string citations_text(const Criterion& criterion) {
    std::string text;
    for (const auto& citation : criterion.citations) {
        text += (text.empty() ? "" : "; ") + citation.framework + " " + citation.clause;
    }
    return text;
}

ordered_json render_native(const CheckOutcome& outcome) {
    ordered_json response;
    response["flavour"] = "native";
    response["rule_pack"] = outcome.rule_pack;
    if (outcome.as_of) response["as_of"] = model::format_instant(*outcome.as_of);
    response["records_checked"] = outcome.records_checked;

    ordered_json rendered = ordered_json::array();
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& prompt : outcome.prompts) {
        rendered.push_back(render_prompt(prompt));
        ++counts[static_cast<int>(message_of(prompt).severity)];
    }
    response["prompts"] = std::move(rendered);

    if (!outcome.rejections.empty()) {
        ordered_json rejected = ordered_json::array();
        for (const auto& rejection : outcome.rejections) {
            rejected.push_back({{"index", rejection.index},
                                {"path", rejection.path},
                                {"status", status_name(rejection.failure.status)},
                                {"message", rejection.failure.message}});
        }
        response["rejected"] = std::move(rejected);
    }
    if (!outcome.skipped.empty()) response["skipped"] = outcome.skipped;
    if (outcome.suppressed != 0) response["suppressed"] = outcome.suppressed;
    response["summary"] = {{"critical", counts[static_cast<int>(Severity::critical)]},
                           {"warning", counts[static_cast<int>(Severity::warning)]},
                           {"info", counts[static_cast<int>(Severity::info)]}};
    return response;
}

// The reasons a clinician can give for overriding a card; the audit counts them per criterion.
ordered_json override_reasons() {
    const std::string system = "https://casecheck.example/fhir/CodeSystem/override-reason";
    ordered_json reasons = ordered_json::array();
    for (const auto& [code, display] : std::initializer_list<std::pair<const char*, const char*>>{
             {"not-applicable", "Does not apply to this record"},
             {"documented-elsewhere", "Already documented elsewhere in the record"},
             {"will-complete", "Will complete before signing"},
             {"disagree", "Disagree with this prompt"}}) {
        reasons.push_back({{"code", code}, {"system", system}, {"display", display}});
    }
    return reasons;
}

// One CDS Hooks 2.0 card per prompt. A suggestion that creates a FHIR resource
// becomes a create action; native patches travel in the suggestion's extension.
ordered_json render_cds_hooks(const CheckOutcome& outcome) {
    ordered_json cards = ordered_json::array();
    for (const auto& prompt : outcome.prompts) {
        const ordered_json native = render_prompt(prompt);
        ordered_json card;
        card["uuid"] = native["id"];
        card["summary"] = native["summary"];
        card["detail"] = native["detail"].get<std::string>() + "\n\nSources: " + citations_text(*prompt.criterion) + ".";
        card["indicator"] = native["severity"];
        ordered_json topic = {{"code", prompt.criterion->id}, {"system", fhir::criterion_system()}};
        if (!prompt.criterion->title.empty()) topic["display"] = prompt.criterion->title;
        card["source"] = {{"label", "casecheck (rule pack " + outcome.rule_pack + ")"}, {"topic", topic}};
        if (native.contains("suggestion")) {
            const ordered_json& s = native["suggestion"];
            ordered_json suggestion = {{"label", s["label"]}, {"uuid", native["id"].get<std::string>() + "-1"}, {"isRecommended", true}};
            if (s.contains("resource")) {
                suggestion["actions"] = ordered_json::array({{{"type", "create"}, {"description", s["label"]}, {"resource", s["resource"]}}});
            }
            ordered_json details = {{"record", native["record"]}, {"evidence", native["evidence"]}};
            if (s.contains("text")) details["text"] = s["text"];
            if (s.contains("patch")) details["patch"] = s["patch"];
            suggestion["extension"] = {{"example.casecheck", details}};
            card["suggestions"] = ordered_json::array({suggestion});
            card["selectionBehavior"] = "at-most-one";
        }
        card["overrideReasons"] = override_reasons();
        cards.push_back(std::move(card));
    }
    ordered_json response = {{"cards", std::move(cards)}};
    ordered_json extension = {{"rule_pack", outcome.rule_pack}, {"records_checked", outcome.records_checked}};
    if (outcome.suppressed != 0) extension["suppressed"] = outcome.suppressed;
    response["extension"] = {{"example.casecheck", extension}};
    return response;
}

// A FHIR Bundle: a DetectedIssue per prompt, then one OperationOutcome whose
// issues point at the FHIR elements with FHIRPath.
ordered_json render_fhir(const CheckOutcome& outcome) {
    static const char* const detected_severity[] = {"low", "moderate", "high"};
    static const char* const outcome_severity[] = {"information", "warning", "error"};
    ordered_json entries = ordered_json::array();
    ordered_json issues = ordered_json::array();
    for (const auto& prompt : outcome.prompts) {
        const ordered_json native = render_prompt(prompt);
        const int severity = static_cast<int>(message_of(prompt).severity);
        const ordered_json coding = {{"system", fhir::criterion_system()}, {"code", prompt.criterion->id}};
        ordered_json issue = {{"resourceType", "DetectedIssue"}};
        issue["identifier"] = ordered_json::array({{{"system", "https://casecheck.example/fhir/prompt-id"}, {"value", native["id"]}}});
        issue["status"] = "final";  // R4 binds DetectedIssue.status to observation-status
        issue["code"] = {{"coding", ordered_json::array({coding})}, {"text", native["summary"]}};
        issue["severity"] = detected_severity[severity];
        if (auto patient = fhir::client_reference(prompt.record->client)) issue["patient"] = *patient;
        if (outcome.as_of) issue["identifiedDateTime"] = model::format_instant(*outcome.as_of);
        issue["implicated"] = ordered_json::array({fhir::record_reference(prompt.record->id)});
        issue["detail"] = native["detail"].get<std::string>() + " Sources: " + citations_text(*prompt.criterion) + ".";
        issue["reference"] = fhir::criterion_url(prompt.criterion->id);
        entries.push_back({{"fullUrl", fhir::urn_uuid(native["id"].get<std::string>(), "detected-issue")}, {"resource", std::move(issue)}});

        issues.push_back({{"severity", outcome_severity[severity]},
                          {"code", "business-rule"},
                          {"details", {{"coding", ordered_json::array({coding})}, {"text", native["summary"]}}},
                          {"expression", ordered_json::array({fhir::fhir_path_of(prompt.record->kind(), prompt.finding.evidence.path)})}});
    }
    if (issues.empty()) {
        issues.push_back({{"severity", "information"}, {"code", "informational"}, {"details", {{"text", "No documentation gaps found."}}}});
    }
    entries.push_back({{"fullUrl", fhir::urn_uuid("check", "operation-outcome")},
                       {"resource", {{"resourceType", "OperationOutcome"}, {"issue", std::move(issues)}}}});
    return {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries)}};
}

}  // namespace

std::string render_response(Flavour flavour, const CheckOutcome& outcome) {
    switch (flavour) {
        case Flavour::cds_hooks: return render_cds_hooks(outcome).dump();
        case Flavour::fhir: return render_fhir(outcome).dump();
        case Flavour::native: break;
    }
    return render_native(outcome).dump();
}

}  // namespace casecheck
