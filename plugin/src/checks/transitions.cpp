// Transitions, referrals and closure: a move of care is planned with the
// receiver and the client, carries the information needed, and says why.
#include "checks/checks.hpp"

namespace casecheck::checks {
namespace {

using model::Transition;

const Transition* transition_of(const CheckInput& input) { return input.record.as<Transition>(); }

bool is_type(const Transition& t, std::initializer_list<const char*> types) {
    if (!t.type) return false;
    for (const char* type : types) {
        if (*t.type == type) return true;
    }
    return false;
}

// A move of care to another provider: these need a plan agreed with the receiver.
bool moves_care(const Transition& t) { return is_type(t, {"transfer", "discharge", "referral"}); }

// A closure note (its type, or a text that closes the case) gives the reason and the continuity arranged.
void check_closure_note(const CheckInput& input, const model::Note& note, std::vector<Finding>& findings) {
    const auto& analysis = input.text.read(*note.text);
    const text::Statement* closure = nullptr;
    for (const auto* statement : analysis.with_label("CLOSURE")) {
        if (statement->affirmed() || statement->has("FUTURE")) {
            if (!closure || statement->has("RATIONALE")) closure = statement;
        }
    }
    if (!closure && note.type != std::optional<std::string>("closure")) return;
    if (!closure || !closure->has("RATIONALE")) {
        findings.push_back(closure ? finding_in_text("no-reason", "/text", closure->begin, closure->end) : finding_at("no-reason", "/text"));
    }
    if (analysis.of_kind("continuity").empty()) findings.push_back(finding_at("no-continuity", "/text"));
}

}  // namespace

std::vector<CheckKind> transition_checks() {
    std::vector<CheckKind> kinds;

    kinds.push_back(rule_kind(
        "transition-plan", {},
        {{"no-receiver", Severity::critical, "The {type} does not name the receiving provider",
          "A transition plan is agreed with the receiving provider. Record who receives the client's care.", {"type"}},
         {"plan-not-agreed", Severity::critical, "The {type} plan is not recorded as agreed with the receiving provider",
          "Record that the receiving provider agreed the transition plan, and when.", {"type"}},
         {"no-steps", Severity::warning, "The {type} plan does not set out the steps of the move",
          "A transition plan details the steps of the move: who does what, and when.", {"type"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* t = transition_of(input);
                if (t == nullptr || !moves_care(*t)) return;
                const MessageValues values = {{"type", *t->type}};
                if (!t->to || !has_text(t->to->organisation)) findings.push_back(finding_at("no-receiver", "/to", values));
                if (!t->plan || t->plan->agreed_with_receiver != std::optional<bool>(true)) {
                    findings.push_back(finding_at("plan-not-agreed", "/plan/agreed_with_receiver", values));
                }
                if (!t->plan || t->plan->steps.empty()) findings.push_back(finding_at("no-steps", "/plan/steps", values));
            };
        }));

    kinds.push_back(rule_kind(
        "client-involvement", {},
        {{"client-not-involved", Severity::warning, "The client's part in planning the {type} is not recorded",
          "The client, and their social network where they wish, take part in planning a transition. Record their involvement.",
          {"type"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* t = transition_of(input);
                // A referral's involvement of the client is TR-06's question; one prompt per gap.
                if (t != nullptr && is_type(*t, {"transfer", "discharge"}) && t->client_involved != std::optional<bool>(true)) {
                    findings.push_back(finding_at("client-not-involved", "/client_involved", {{"type", *t->type}}));
                }
            };
        }));

    kinds.push_back(rule_kind(
        "information-sent", {},
        {{"nothing-sent", Severity::critical, "No information is recorded as sent to the receiving provider for the {type}",
          "Pertinent information goes to the receiving provider (with the client's consent). Record what was sent, to whom and when.",
          {"type"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* t = transition_of(input);
                if (t != nullptr && is_type(*t, {"transfer", "discharge"}) && t->information_sent.empty()) {
                    findings.push_back(finding_at("nothing-sent", "/information_sent", {{"type", *t->type}}));
                }
            };
        }));

    kinds.push_back(rule_kind(
        "closure", {},
        {{"no-reason", Severity::warning, "The case closure does not record why the case was closed",
          "A professional exit records the reason for closing the case.", {}},
         {"no-continuity", Severity::warning, "The case closure does not say who continues the client's care",
          "A professional exit ensures continuity: record which service or person the client's care continues with.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                if (const auto* note = input.record.as<model::Note>()) {
                    if (note->text) check_closure_note(input, *note, findings);
                    return;
                }
                const auto* t = transition_of(input);
                if (t == nullptr || !is_type(*t, {"closure"})) return;
                if (!has_text(t->reason)) findings.push_back(finding_at("no-reason", "/reason"));
                if (!t->to || !(has_text(t->to->organisation) || has_text(t->to->contact))) findings.push_back(finding_at("no-continuity", "/to"));
            };
        }));

    kinds.push_back(rule_kind(
        "handover", {},
        {{"incomplete-handover", Severity::warning, "The handover does not record {missing}",
          "A handover between case managers records who hands over, who takes over, and when.", {"missing"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* t = transition_of(input);
                if (t == nullptr || !is_type(*t, {"handover"})) return;
                MissingList missing;
                missing.need(t->from && (has_text(t->from->contact) || has_text(t->from->organisation)), "who hands over");
                missing.need(t->to && (has_text(t->to->contact) || has_text(t->to->organisation)), "who takes over");
                missing.need(t->date.has_value(), "the date");
                if (!missing.empty()) findings.push_back(finding_at("incomplete-handover", "/", {{"missing", missing.text()}}));
            };
        }));

    kinds.push_back(rule_kind(
        "referral", {},
        {{"no-reason", Severity::warning, "The referral does not record why the client was referred",
          "A referral records its reason, so that the receiver and the client understand the decision.", {}},
         {"parties-not-told", Severity::warning, "The referral does not record that the client was told",
          "The decision to refer is made transparent to all relevant parties, the client first. Record that they were involved.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* t = transition_of(input);
                if (t == nullptr || !is_type(*t, {"referral"})) return;
                if (!has_text(t->reason)) findings.push_back(finding_at("no-reason", "/reason"));
                if (t->client_involved != std::optional<bool>(true)) findings.push_back(finding_at("parties-not-told", "/client_involved"));
            };
        }));
    return kinds;
}

}  // namespace casecheck::checks
