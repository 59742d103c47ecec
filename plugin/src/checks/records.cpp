// Record-level structured checks: completeness, amendments, consent records
// (to engage; what a consent states; capacity) and assessments (reassessment,
// risk with a protection strategy).
#include "checks/checks.hpp"

#include <algorithm>
#include <cctype>

namespace casecheck::checks {
namespace {

std::string lower(std::string_view text) {
    std::string out;
    for (char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The first contact-like time of a note: when the event happened, else when it was written.
std::optional<model::Instant> event_time(const model::Note& note) {
    if (note.occurred && note.occurred->start) return note.occurred->start;
    return note.recorded;
}

bool engages(const model::Consent& consent) {
    return consent.scope && (*consent.scope == "engage" || *consent.scope == "treatment" || *consent.scope == "case management");
}

// A risk that needs a protection strategy: any recorded risk whose level is not none or low.
bool needs_strategy(const model::Risk& risk) {
    if (!has_text(risk.level) && !has_text(risk.description)) return false;
    const std::string level = risk.level ? lower(trim(*risk.level)) : "";
    return level != "none" && level != "low" && level != "no risk";
}

void flag_risks(const std::vector<model::Risk>& risks, std::vector<Finding>& findings) {
    for (std::size_t i = 0; i < risks.size(); ++i) {
        if (needs_strategy(risks[i]) && !has_text(risks[i].strategy)) {
            const std::string about = risks[i].type ? "risk to " + *risks[i].type : std::string("risk");
            findings.push_back(finding_at("risk-without-strategy", "/risks/" + std::to_string(i) + "/strategy", {{"risk", about}}));
        }
    }
}

bool any_affirmed(const text::Analysis& analysis, const char* label) {
    const auto statements = analysis.with_label(label);
    return std::any_of(statements.begin(), statements.end(), [](const text::Statement* s) { return s->affirmed(); });
}

// The free text of a note or an assessment.
const std::string* free_text(const model::Record& record) {
    if (const auto* n = record.as<model::Note>()) return n->text ? &*n->text : nullptr;
    if (const auto* a = record.as<model::Assessment>()) return a->text ? &*a->text : nullptr;
    return nullptr;
}

// Whether any consent of the client's case records who decides on their behalf.
bool decision_maker_on_file(const CheckInput& input) {
    for (const auto& other : input.case_records) {
        const auto* c = other.as<model::Consent>();
        if (c && c->capacity && has_text(c->capacity->decision_maker) &&
            (!other.client || !input.record.client || *other.client == *input.record.client)) {
            return true;
        }
    }
    return false;
}

// Whether the case records a protection strategy for any risk.
bool strategy_on_file(const CheckInput& input) {
    const auto has_strategy = [](const std::vector<model::Risk>& risks) {
        return std::any_of(risks.begin(), risks.end(), [](const model::Risk& r) { return has_text(r.strategy); });
    };
    for (const auto& other : input.case_records) {
        if (other.client && input.record.client && *other.client != *input.record.client) continue;
        if (const auto* a = other.as<model::Assessment>(); a && has_strategy(a->risks)) return true;
        if (const auto* p = other.as<model::CarePlan>(); p && has_strategy(p->risks)) return true;
    }
    return false;
}

}  // namespace

std::vector<CheckKind> record_checks() {
    std::vector<CheckKind> kinds;

    kinds.push_back(rule_kind(
        "completeness", {},
        {{"missing-fields", Severity::warning, "This {kind} is incomplete: add its {missing}",
          "A {kind} records {missing}; each is needed for the record to stand on its own.", {"kind", "missing"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                // Author, role, entry time and signature are RK-03's; this looks at the rest of each kind.
                MissingList missing;
                std::string kind = std::string(model::kind_name(input.record.kind()));
                missing.need(has_text(input.record.client), "client");
                if (const auto* n = input.record.as<model::Note>()) {
                    kind = "note";
                    missing.need(n->occurred.has_value(), "event time");
                    missing.need(has_text(n->type), "type");
                    missing.need(has_text(n->text), "text");
                } else if (const auto* p = input.record.as<model::CarePlan>()) {
                    kind = "care plan";
                    missing.need(has_text(p->status), "status");
                    missing.need(p->period.has_value(), "period");
                    missing.need(!p->goals.empty(), "goals");
                } else if (const auto* t = input.record.as<model::Transition>()) {
                    kind = "transition";
                    missing.need(has_text(t->type), "type");
                    missing.need(t->date.has_value(), "date");
                } else if (const auto* c = input.record.as<model::Consent>()) {
                    missing.need(has_text(c->scope), "scope");
                    missing.need(has_text(c->status), "status");
                    missing.need(c->date.has_value(), "date");
                } else if (const auto* a = input.record.as<model::Assessment>()) {
                    missing.need(a->occurred.has_value(), "assessment date");
                    missing.need(!a->domains.empty() || has_text(a->text), "findings (domains or text)");
                }
                if (!missing.empty()) findings.push_back(finding_at("missing-fields", "/", {{"kind", kind}, {"missing", missing.text()}}));
            };
        }));

    kinds.push_back(rule_kind(
        "amendment", {},
        {{"no-original", Severity::warning, "The amendment does not say which entry it corrects",
          "A correction keeps the original: link the amendment to the entry it corrects or adds to.", {}},
         {"no-reason", Severity::warning, "The amendment does not say what changed and why",
          "A correction names what changed and why, so the original stays readable beside it.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* n = input.record.as<model::Note>();
                if (n == nullptr || !n->amends) return;
                if (!has_text(n->amends->id)) findings.push_back(finding_at("no-original", "/amends/id"));
                if (!has_text(n->amends->reason)) findings.push_back(finding_at("no-reason", "/amends/reason"));
            };
        }));

    kinds.push_back(rule_kind(
        "consent-to-engage", {},
        {{"no-consent-to-engage", Severity::critical, "No consent to engage covers this contact",
          "Consent to engage is sought and documented at the outset, establishing capacity. No active consent to engage or to "
          "case management covers the date of this contact.",
          {}},
         {"capacity-not-recorded", Severity::warning, "The consent to engage does not record the client's capacity",
          "Consent to engage establishes capacity: record whether capacity was assessed and the outcome.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                if (const auto* c = input.record.as<model::Consent>()) {
                    if (engages(*c) && !(c->capacity && (c->capacity->assessed.value_or(false) || has_text(c->capacity->outcome)))) {
                        findings.push_back(finding_at("capacity-not-recorded", "/capacity"));
                    }
                    return;
                }
                const auto* n = input.record.as<model::Note>();
                if (n == nullptr || n->type != std::optional<std::string>("contact")) return;
                const auto when = event_time(*n);
                for (const auto& other : input.case_records) {
                    const auto* c = other.as<model::Consent>();
                    const bool same_client = !other.client || !input.record.client || *other.client == *input.record.client;
                    if (c != nullptr && same_client && engages(*c) && consent_in_force(*c, when)) return;
                }
                findings.push_back(finding_at("no-consent-to-engage", "/"));
            };
        }));

    kinds.push_back(rule_kind(
        "rights-information", {},
        {{"not-informed", Severity::warning, "The client's first contact does not record that they were told about {missing}",
          "At the outset the client is informed of their rights to privacy and confidentiality and of the complaints or appeal "
          "process. No contact so far records that they were told about {missing}.",
          {"missing"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* n = input.record.as<model::Note>();
                if (n == nullptr || n->type != std::optional<std::string>("contact")) return;
                const auto mine = event_time(*n);
                const auto same_client = [&](const model::Record& other) {
                    return !other.client || !input.record.client || *other.client == *input.record.client;
                };
                const auto before_this = [&](const model::Note& note) {
                    const auto when = event_time(note);
                    return when && mine && when->epoch_ms < mine->epoch_ms;
                };
                // Only the first contact is asked; later ones would repeat the same prompt. Deciding that
                // first keeps every other note's text unread on all but the first contact.
                for (const auto& other : input.case_records) {
                    const auto* note = other.as<model::Note>();
                    if (note && same_client(other) && before_this(*note) && note->type == std::optional<std::string>("contact")) return;
                }
                bool privacy = false, complaints = false;
                for (const auto& other : input.case_records) {
                    const auto* note = other.as<model::Note>();
                    if (note == nullptr || !same_client(other)) continue;
                    if (other.id != input.record.id && !before_this(*note)) continue;
                    for (const auto& item : note->information_given) {
                        privacy = privacy || lower(item) == "privacy";
                        complaints = complaints || lower(item) == "complaints";
                    }
                    if (note->text && !(privacy && complaints)) {
                        const auto& analysis = input.text.read(*note->text);
                        privacy = privacy || any_affirmed(analysis, "PRIVACY_INFO");
                        complaints = complaints || any_affirmed(analysis, "COMPLAINTS_INFO");
                    }
                }
                if (privacy && complaints) return;
                const std::string missing = !privacy && !complaints ? "privacy and how to complain" : !privacy ? "privacy" : "how to complain";
                findings.push_back(finding_at("not-informed", "/information_given", {{"missing", missing}}));
            };
        }));

    kinds.push_back(rule_kind(
        "consent-terms", {},
        {{"terms-missing", Severity::warning, "The consent to share does not state {missing}",
          "A consent states how information is managed: what is shared, with whom, for what purpose and for how long. This one "
          "does not state {missing}.",
          {"missing"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* c = input.record.as<model::Consent>();
                if (c == nullptr || !c->scope || (*c->scope != "share" && *c->scope != "disclose")) return;
                MissingList missing;
                missing.need(!c->data_classes.empty(), "what is shared");
                missing.need(!c->recipients.empty(), "with whom");
                missing.need(!c->purposes.empty(), "for what purpose");
                missing.need(c->period && c->period->end, "for how long");
                if (!missing.empty()) findings.push_back(finding_at("terms-missing", "/", {{"missing", missing.text()}}));
            };
        }));

    kinds.push_back(rule_kind(
        "capacity", {},
        {{"no-decision-maker", Severity::warning, "Capacity is in doubt, but who decides on the client's behalf is not recorded",
          "Where capacity is in doubt, record the assessment of capacity and who makes the decision on the client's behalf.", {}},
         {"proxy-consent", Severity::warning, "Consent here was given by someone else: record their authority to decide for the client",
          "Consent given by a relative or another person stands only where they have the authority to decide for the client "
          "(an attorney, deputy or guardian) and the client lacks capacity. Record the capacity assessment and the decision-maker.",
          {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                if (const std::string* text = free_text(input.record)) {
                    if (decision_maker_on_file(input)) return;
                    const auto& analysis = input.text.read(*text);
                    for (const auto* capacity : analysis.with_label("CAPACITY")) {
                        if ((capacity->has("NEGATED") || capacity->has("UNCERTAIN")) && !capacity->has("OTHER") && !capacity->has("FUTURE")) {
                            findings.push_back(finding_in_text("no-decision-maker", "/text", capacity->begin, capacity->end));
                            break;
                        }
                    }
                    for (const char* label : {"CONSENT_ENGAGE", "CONSENT_SHARE"}) {
                        for (const auto* consent : analysis.with_label(label)) {
                            if (consent->has("OTHER") && !consent->has("NEGATED") && !consent->has("FUTURE")) {
                                findings.push_back(finding_in_text("proxy-consent", "/text", consent->begin, consent->end));
                                return;
                            }
                        }
                    }
                    return;
                }
                const auto* c = input.record.as<model::Consent>();
                if (c == nullptr || !c->capacity || !c->capacity->outcome) return;
                const std::string outcome = lower(*c->capacity->outcome);
                const auto says = [&](const char* cue) { return outcome.find(cue) != std::string::npos; };
                // Negated cues ("no doubt", "not lacking") are the text engine's job; these few cover the structured outcomes hosts send.
                const bool denied = says("no doubt") || says("not lack") || says("not in doubt");
                const bool in_doubt = !denied && (says("lack") || says("no capacity") || says("fluctuat") || says("doubt") || says("unable"));
                if (in_doubt && !has_text(c->capacity->decision_maker)) findings.push_back(finding_at("no-decision-maker", "/capacity/decision_maker"));
            };
        }));

    kinds.push_back(rule_kind(
        "reassessment", {},
        {{"no-reassessment-date", Severity::warning, "The assessment sets no reassessment date",
          "Set a timeframe for reassessment, so that changes in the client's situation are picked up.", {}},
         {"reassessment-overdue", Severity::warning, "Reassessment was due {overdue} ago and none is recorded",
          "The assessment set reassessment for {due}. No later assessment of the client is recorded.", {"overdue", "due"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* a = input.record.as<model::Assessment>();
                if (a == nullptr) return;
                if (!a->reassess_by) {
                    findings.push_back(finding_at("no-reassessment-date", "/reassess_by"));
                    return;
                }
                if (!input.as_of || end_of(*a->reassess_by) >= input.as_of->epoch_ms) return;
                const auto mine = a->occurred && a->occurred->start ? a->occurred->start->epoch_ms : 0;
                for (const auto& other : input.case_records) {
                    const auto* later = other.as<model::Assessment>();
                    if (later == nullptr || other.id == input.record.id) continue;
                    if (other.client && input.record.client && *other.client != *input.record.client) continue;
                    if (later->occurred && later->occurred->start && later->occurred->start->epoch_ms > mine) return;
                }
                findings.push_back(finding_at("reassessment-overdue", "/reassess_by",
                                              {{"overdue", model::describe_duration({input.as_of->epoch_ms - a->reassess_by->epoch_ms})},
                                               {"due", model::format_instant(*a->reassess_by).substr(0, 10)}}));
            };
        }));

    kinds.push_back(rule_kind(
        "risk-strategy", {},
        {{"risk-without-strategy", Severity::critical, "A {risk} is recorded without a protection strategy",
          "Where a risk of harm to self or others is present, record the strategy that manages it.", {"risk"}},
         {"risk-in-text-without-strategy", Severity::critical, "The text records {risk}, and no protection strategy is on file",
          "Where a risk of harm to self or others, or a safeguarding concern, is present, record the strategy that manages it "
          "in the risk assessment or the plan.",
          {"risk"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                if (const auto* a = input.record.as<model::Assessment>()) flag_risks(a->risks, findings);
                if (const auto* p = input.record.as<model::CarePlan>()) flag_risks(p->risks, findings);
                const std::string* text = free_text(input.record);
                if (text == nullptr || strategy_on_file(input)) return;
                const auto& analysis = input.text.read(*text);
                for (const auto& [label, risk] : {std::pair{"RISK_TO_SELF", "a risk to the client's own safety"},
                                                  std::pair{"RISK_TO_OTHERS", "a risk to others"},
                                                  std::pair{"SAFEGUARDING", "a safeguarding concern"}}) {
                    for (const auto* statement : analysis.with_label(label)) {
                        // An uncertain or reported risk still needs a plan; a denied, planned-for or past one does not.
                        if (statement->has("NEGATED") || statement->has("FUTURE") || statement->has("HISTORICAL") || statement->has("OTHER")) continue;
                        findings.push_back(finding_in_text("risk-in-text-without-strategy", "/text", statement->begin, statement->end, {{"risk", risk}}));
                        break;
                    }
                }
            };
        }));
    return kinds;
}

}  // namespace casecheck::checks
