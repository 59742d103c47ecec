// Criteria decided from free text alone: reasons for decisions, plain and
// unbiased language, consent revisited at a contact, what an assessment covers
// and names, and self-management in a plan. The text engine (text/) finds the
// statements; these checks decide what a missing or present statement means.
#include "checks/checks.hpp"

#include <algorithm>
#include <set>

namespace casecheck::checks {
namespace {

using text::Analysis;

const std::string* note_text(const CheckInput& input) {
    const auto* note = input.record.as<model::Note>();
    return note && note->text ? &*note->text : nullptr;
}

bool is_contact(const model::Record& record) {
    const auto* note = record.as<model::Note>();
    return note && note->type == std::optional<std::string>("contact");
}

// Whether a medication-only abbreviation sits in medication context: a medication cue
// or a dose ("10mg") within five tokens in the same sentence.
bool in_medication_context(const Analysis& analysis, const text::TermHit& hit) {
    constexpr std::size_t window = 5;
    const auto& tokens = analysis.tokens;
    std::size_t at = 0;
    while (at < tokens.size() && tokens[at].begin < hit.begin) ++at;
    const auto& sentence = analysis.sentences[hit.sentence];
    const std::size_t from = at > sentence.first + window ? at - window : sentence.first;
    const std::size_t to = std::min(sentence.last, at + window + 1);
    for (const auto* cue : analysis.of_kind("medication")) {
        if (cue->sentence == hit.sentence && cue->begin >= tokens[from].begin && cue->end <= tokens[to - 1].end && cue->begin != hit.begin) return true;
    }
    for (std::size_t t = from; t < to; ++t) {
        const auto& norm = tokens[t].norm;
        if (tokens[t].kind == text::TokenKind::number && (norm.size() > 2 && (norm.compare(norm.size() - 2, 2, "mg") == 0 || norm.compare(norm.size() - 2, 2, "ml") == 0)))
            return true;
    }
    return false;
}

// "Full Term (ABBR)" defines ABBR for the rest of the text.
bool defined_in_brackets(const Analysis& analysis, const text::TermHit& hit) {
    const auto& tokens = analysis.tokens;
    for (std::size_t t = 1; t + 1 < tokens.size(); ++t) {
        if (tokens[t].begin == hit.begin) return tokens[t - 1].norm == "(" && tokens[t + 1].norm == ")";
    }
    return false;
}

}  // namespace

std::vector<CheckKind> free_text_checks() {
    std::vector<CheckKind> kinds;

    kinds.push_back(rule_kind(
        "rationale", {},
        {{"no-rationale", Severity::warning, "\"{decision}\" is recorded without its reason: add why",
          "Every decision or intervention recorded carries its reason. No reason (because, due to, so that, rationale: ...) is "
          "given in this sentence or the next.",
          {"decision"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const std::string* text = note_text(input);
                if (!text) return;
                for (const auto* decision : input.text.read(*text).with_label("DECISION")) {
                    // Only the worker's own decisions of this entry need their reasons here.
                    if (decision->has("RATIONALE") || decision->has("NEGATED") || decision->has("OTHER") || decision->has("HISTORICAL")) continue;
                    auto f = finding_in_text("no-rationale", "/text", decision->begin, decision->end,
                                             {{"decision", phrase_at(*text, decision->begin, decision->end)}});
                    f.suggestion = Suggestion{"template", "Add the reason", " because ", nlohmann::ordered_json::array(), std::nullopt};
                    findings.push_back(std::move(f));
                }
            };
        }));

    kinds.push_back(rule_kind(
        "plain-language", {},
        {{"abbreviation", Severity::info, "Spell out \"{abbreviation}\": write \"{expansion}\"",
          "Abbreviations others may misread make a record ambiguous. Write the words in full, or define the abbreviation on "
          "first use as \"Full Term (ABBR)\".",
          {"abbreviation", "expansion"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const std::string* text = note_text(input);
                if (!text) return;
                const Analysis& analysis = input.text.read(*text);
                std::set<std::string> defined, reported;
                for (const auto* hit : analysis.of_kind("abbreviation")) {
                    if (defined_in_brackets(analysis, *hit)) defined.insert(hit->rule->value);
                }
                for (const auto* hit : analysis.of_kind("abbreviation")) {
                    const std::string& expansion = hit->rule->value;
                    if (defined.count(expansion) || reported.count(expansion)) continue;
                    if (hit->rule->medication_only && !in_medication_context(analysis, *hit)) continue;
                    reported.insert(expansion);
                    const std::string abbreviation = phrase_at(*text, hit->begin, hit->end);
                    auto f = finding_in_text("abbreviation", "/text", hit->begin, hit->end, {{"abbreviation", abbreviation}, {"expansion", expansion}});
                    f.suggestion = Suggestion{"replace-text", "Write \"" + expansion + "\"", expansion, nlohmann::ordered_json::array(), std::nullopt};
                    findings.push_back(std::move(f));
                }
            };
        }));

    kinds.push_back(rule_kind(
        "unbiased-language", {},
        {{"stigmatising", Severity::info, "\"{term}\" can read as a judgement of the client: consider \"{alternative}\"",
          "Records are free of bias. Describe what happened and why, in neutral words, rather than labelling the client.",
          {"term", "alternative"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const std::string* text = note_text(input);
                if (!text) return;
                for (const auto* term : input.text.read(*text).with_label("STIGMATISING")) {
                    if (term->has("NEGATED")) continue;
                    const std::string alternative = term->rule->alternative.empty() ? "a neutral description" : term->rule->alternative;
                    auto f = finding_in_text("stigmatising", "/text", term->begin, term->end,
                                             {{"term", phrase_at(*text, term->begin, term->end)}, {"alternative", alternative}});
                    if (!term->rule->alternative.empty()) {
                        f.suggestion = Suggestion{"replace-text", "Use \"" + alternative + "\"", alternative, nlohmann::ordered_json::array(), std::nullopt};
                    }
                    findings.push_back(std::move(f));
                }
            };
        }));

    kinds.push_back(rule_kind(
        "consent-revisited", {},
        {{"not-revisited", Severity::info, "This contact does not record that consent was revisited",
          "Consent is revisited at each interaction. Record that the client still consents (or set consent_reconfirmed); a "
          "consent recorded on an earlier occasion does not confirm it today.",
          {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                if (!is_contact(input.record)) return;
                const auto& note = *input.record.as<model::Note>();
                if (note.consent_reconfirmed) {
                    if (!*note.consent_reconfirmed) findings.push_back(finding_at("not-revisited", "/consent_reconfirmed"));
                    return;
                }
                if (note.text) {
                    const Analysis& analysis = input.text.read(*note.text);
                    for (const char* label : {"CONSENT_ENGAGE", "CONSENT_SHARE"}) {
                        for (const auto* consent : analysis.with_label(label)) {
                            if (consent->affirmed()) return;
                        }
                    }
                }
                findings.push_back(finding_at("not-revisited", "/consent_reconfirmed"));
            };
        }));

    kinds.push_back(rule_kind(
        "holistic-assessment", {},
        {{"domains-missing", Severity::info, "The assessment does not cover the client's {missing} situation",
          "A holistic assessment covers physical, psychological, social, spiritual and cultural factors. Neither the recorded "
          "domains nor the text cover {missing} factors.",
          {"missing"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* a = input.record.as<model::Assessment>();
                if (a == nullptr) return;
                // Recorded domains are read with the same word lists as the text, so "Psychosocial" or
                // "emotional wellbeing" count for the domains they name.
                std::set<std::string> covered;
                const auto cover = [&](const std::string& text) {
                    for (const auto* hit : input.text.read(text).of_kind("domain")) covered.insert(hit->rule->value);
                };
                for (const auto& domain : a->domains) cover(domain);
                if (a->text) cover(*a->text);
                MissingList missing;
                for (const char* domain : {"physical", "psychological", "social", "spiritual", "cultural"}) missing.need(covered.count(domain) != 0, domain);
                if (!missing.empty()) findings.push_back(finding_at("domains-missing", "/domains", {{"missing", missing.text()}}));
            };
        }));

    kinds.push_back(rule_kind(
        "client-views", {},
        {{"views-missing", Severity::info, "The assessment does not record the client's own views",
          "Capture the client's views, values and preferences in the assessment, in their words where possible.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* a = input.record.as<model::Assessment>();
                if (a == nullptr || has_text(a->client_views)) return;
                if (a->text) {
                    for (const auto* view : input.text.read(*a->text).with_label("CLIENT_VIEW")) {
                        if (!view->has("OTHER") && !view->has("NEGATED")) return;
                    }
                }
                findings.push_back(finding_at("views-missing", "/client_views"));
            };
        }));

    kinds.push_back(rule_kind(
        "information-sources", {},
        {{"sources-missing", Severity::info, "The assessment names {count} source of information",
          "An assessment integrates information from several sources and names each one (the client, family, GP, reports).",
          {"count"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* a = input.record.as<model::Assessment>();
                if (a == nullptr) return;
                std::size_t named = a->sources.size();
                if (a->text) named += input.text.read(*a->text).of_kind("source").size();
                if (named < 2) findings.push_back(finding_at("sources-missing", "/sources", {{"count", named == 0 ? "no" : "only one"}}));
            };
        }));

    kinds.push_back(rule_kind(
        "self-management", {},
        {{"not-considered", Severity::info, "The plan does not consider the client's self-management options",
          "Plan for self-management from the outset: record what the client can manage themselves, self-help or peer support "
          "considered, or why none is suitable.",
          {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = input.record.as<model::CarePlan>();
                if (plan == nullptr) return;
                const auto mentions = [&](const std::optional<std::string>& text) {
                    // Any mention counts, even "self-management not suitable because ...": the option was considered.
                    return text && !input.text.read(*text).with_label("SELF_MANAGEMENT").empty();
                };
                for (const auto& goal : plan->goals) {
                    if (mentions(goal.description)) return;
                }
                for (const auto& activity : plan->activities) {
                    if (mentions(activity.description)) return;
                }
                findings.push_back(finding_at("not-considered", "/activities"));
            };
        }));
    return kinds;
}

}  // namespace casecheck::checks
