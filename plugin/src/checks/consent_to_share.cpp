// Consent before disclosure. Every disclosure in a record (a note's
// disclosures, a transition's information sent or its referral, a plan
// communicated to stakeholders) must be covered by a consent to share that was
// active on that date and permits that recipient (or role) and purpose, or
// record a lawful exception with its rationale.
//
// Two check kinds split the uncovered disclosures between them, so one event
// never gives two prompts:
//   "consent-before-disclosure" (CO-03): no consent to share with that recipient is on file at all;
//   "disclosure-after-consent-ended" (CO-07): one is, but it was withdrawn, expired or not yet in force.
#include "checks/checks.hpp"

#include <algorithm>
#include <cctype>

namespace casecheck::checks {
namespace {

using model::Instant;

// Lower-case words of a name or role, for matching "GP practice" with "gp practice nurse".
std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || byte >= 0x80) {
            word += static_cast<char>(std::tolower(byte));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// True when every word of `consented` appears in `disclosed`: a consent to share with
// "Riverside Housing Trust" covers "Riverside Housing Trust lettings team".
bool covers_words(const std::optional<std::string>& consented, const std::optional<std::string>& disclosed) {
    if (!consented || !disclosed) return false;
    const auto need = words_of(*consented);
    const auto have = words_of(*disclosed);
    if (need.empty()) return false;
    for (const auto& word : need) {
        if (std::find(have.begin(), have.end(), word) == have.end()) return false;
    }
    return true;
}

// One disclosure, wherever in the record it came from.
struct Disclosure {
    std::string path;
    std::optional<std::string> recipient;
    std::optional<std::string> role;
    std::optional<std::string> purpose;  // nothing: not recorded, so not compared
    std::optional<Instant> date;
    std::optional<std::string> exception;
    std::optional<std::string> exception_rationale;
    std::optional<std::pair<std::size_t, std::size_t>> span;  // where the note's text says it
};

// Disclosures a note's text states as done ("Sent the report to the school") that its
// structured disclosures do not already list. Planned, negated, historical and lawful-
// exception ones are not disclosures on this date; an unnamed recipient cannot be
// matched with a consent, so it is left to the reader.
void add_text_disclosures(const CheckInput& input, const model::Note& note, const std::optional<Instant>& when, std::vector<Disclosure>& out) {
    if (!note.text) return;
    for (const auto* statement : input.text.read(*note.text).with_label("DISCLOSURE")) {
        if (!statement->affirmed() || statement->recipient == "other") continue;
        const std::string role = recipient_name(statement->recipient);
        const bool listed = std::any_of(note.disclosures.begin(), note.disclosures.end(), [&](const model::Disclosure& d) {
            return covers_words(role, d.role) || covers_words(role, d.recipient) || covers_words(d.role, role);
        });
        if (listed) continue;
        Disclosure disclosure{"/text", std::nullopt, role, std::nullopt, when, std::nullopt, std::nullopt, std::nullopt};
        disclosure.span = std::pair{statement->begin, statement->end};
        out.push_back(std::move(disclosure));
    }
}

std::vector<Disclosure> disclosures_of(const CheckInput& input) {
    const model::Record& record = input.record;
    std::vector<Disclosure> out;
    const auto add = [&](const std::vector<model::Disclosure>& list, const std::string& base, const std::optional<Instant>& fallback) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& d = list[i];
            out.push_back({base + "/" + std::to_string(i), d.recipient, d.role, d.purpose, d.date ? d.date : fallback, d.exception,
                           d.exception_rationale, std::nullopt});
        }
    };
    if (const auto* note = record.as<model::Note>()) {
        const auto when = note->occurred && note->occurred->start ? note->occurred->start : note->recorded;
        add(note->disclosures, "/disclosures", when);
        add_text_disclosures(input, *note, when, out);
    } else if (const auto* transition = record.as<model::Transition>()) {
        add(transition->information_sent, "/information_sent", transition->date);
        // A referral or transfer passes the client's details to the receiver even when no item is listed.
        const bool hands_over = transition->type == std::optional<std::string>("referral") ||
                                transition->type == std::optional<std::string>("transfer");
        if (hands_over && transition->information_sent.empty() && transition->to && transition->to->organisation) {
            out.push_back({"/to", transition->to->organisation, std::nullopt, std::nullopt, transition->date, std::nullopt, std::nullopt,
                           std::nullopt});
        }
    } else if (const auto* plan = record.as<model::CarePlan>()) {
        for (std::size_t i = 0; i < plan->communicated_to.size(); ++i) {
            const auto& c = plan->communicated_to[i];
            out.push_back({"/communicated_to/" + std::to_string(i), c.recipient, c.role, std::nullopt, c.date ? c.date : plan->created,
                           std::nullopt, std::nullopt, std::nullopt});
        }
    }
    return out;
}

bool is_sharing_consent(const model::Consent& consent) {
    return consent.scope && (*consent.scope == "share" || *consent.scope == "disclose" || *consent.scope == "privacy");
}

bool same_client(const model::Record& a, const model::Record& b) { return !a.client || !b.client || *a.client == *b.client; }

// Whether a consent names this recipient (by party or by role) and purpose. A
// consent that lists no recipients or purposes does not restrict them; CO-04
// asks for them to be stated.
bool consent_names(const model::Consent& consent, const Disclosure& disclosure) {
    bool recipient_ok = consent.recipients.empty();
    for (const auto& r : consent.recipients) {
        recipient_ok = recipient_ok || covers_words(r.party, disclosure.recipient) || covers_words(r.role, disclosure.role) ||
                       covers_words(r.role, disclosure.recipient) || covers_words(r.party, disclosure.role);
    }
    if (!recipient_ok) return false;
    if (!disclosure.purpose || consent.purposes.empty()) return true;
    for (const auto& purpose : consent.purposes) {
        if (covers_words(purpose, disclosure.purpose) || covers_words(disclosure.purpose, purpose)) return true;
    }
    return false;
}

enum class Cover { covered, ended, none };

Cover cover_of(const CheckInput& input, const Disclosure& disclosure) {
    bool named = false;
    for (const auto& other : input.case_records) {
        const auto* consent = other.as<model::Consent>();
        if (consent == nullptr || !is_sharing_consent(*consent) || !same_client(other, input.record)) continue;
        if (!consent_names(*consent, disclosure)) continue;
        if (consent_in_force(*consent, disclosure.date)) return Cover::covered;
        named = true;
    }
    return named ? Cover::ended : Cover::none;
}

std::string who(const Disclosure& d) {
    if (d.recipient && d.role) return *d.recipient + " (" + *d.role + ")";
    if (d.recipient) return *d.recipient;
    if (d.role) return "the " + *d.role;
    return "a recipient not named";
}

// A draft FHIR Consent for the recipient, for the host to complete with the client.
nlohmann::ordered_json draft_consent(const model::Record& record, const Disclosure& d) {
    using nlohmann::ordered_json;
    const auto coding = [](const char* system, const char* code) { return ordered_json{{"system", system}, {"code", code}}; };
    ordered_json role = {{"coding", ordered_json::array({coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP")})}};
    ordered_json actor = {{"role", role},
                          {"reference", {{"display", d.recipient ? *d.recipient : d.role ? *d.role : std::string("recipient")}}}};
    if (d.role) actor["role"]["text"] = *d.role;
    ordered_json provision = {{"type", "permit"}, {"actor", ordered_json::array({actor})}};
    if (d.purpose) provision["purpose"] = ordered_json::array({{{"display", *d.purpose}}});
    ordered_json consent = {{"resourceType", "Consent"}, {"status", "proposed"}};
    consent["scope"] = {{"coding", ordered_json::array({coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy")})}};
    consent["category"] = ordered_json::array({{{"coding", ordered_json::array({coding("http://loinc.org", "59284-0")})}}});
    if (record.client && !record.client->empty()) consent["patient"] = {{"display", *record.client}};
    consent["policyRule"] = {{"coding", ordered_json::array({coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN")})}};
    consent["provision"] = provision;
    return consent;
}

class ConsentToShare final : public Check {
public:
    explicit ConsentToShare(Cover reported) : reported_(reported) {}

    void run(const CheckInput& input, std::vector<Finding>& findings) const override {
        for (const auto& disclosure : disclosures_of(input)) {
            if (disclosure.exception && !trim(*disclosure.exception).empty()) {
                // A lawful exception replaces consent, but only with its reasons on the record.
                const bool reasoned = disclosure.exception_rationale && !trim(*disclosure.exception_rationale).empty();
                if (!reasoned && reported_ == Cover::none) findings.push_back(finding("exception-without-rationale", disclosure, input));
                continue;
            }
            if (cover_of(input, disclosure) == reported_) {
                // A disclosure read from the text is an inference, so it prompts one tier lower (docs/criteria.md).
                const bool from_text = disclosure.span.has_value();
                const char* message = reported_ == Cover::none ? (from_text ? "no-consent-text" : "no-consent")
                                                               : (from_text ? "consent-ended-text" : "consent-ended");
                findings.push_back(finding(message, disclosure, input));
            }
        }
    }

private:
    static Finding finding(const char* message, const Disclosure& disclosure, const CheckInput& input) {
        Finding f;
        f.message = message;
        f.values = {{"recipient", who(disclosure)}, {"date", disclosure.date ? model::format_instant(*disclosure.date).substr(0, 10) : "an unrecorded date"}};
        f.evidence.path = disclosure.path;
        f.evidence.span = disclosure.span;
        if (std::string_view(message) != "exception-without-rationale") {
            f.suggestion = Suggestion{"create-resource", "Record consent to share with " + who(disclosure), "", nlohmann::ordered_json::array(),
                                      draft_consent(input.record, disclosure)};
        }
        return f;
    }

    Cover reported_;
};

CheckKind consent_kind(const char* name, Cover reported, std::vector<MessageSpec> messages) {
    CheckKind kind;
    kind.name = name;
    kind.messages = std::move(messages);
    kind.make_check = [reported](const Parameters&, std::string&) -> std::unique_ptr<Check> {
        return std::make_unique<ConsentToShare>(reported);
    };
    return kind;
}

}  // namespace

CheckKind consent_before_disclosure() {
    return consent_kind(
        "consent-before-disclosure", Cover::none,
        {{"no-consent", Severity::critical, "Information was sent to {recipient}, but no consent to share with them is on file",
          "On {date} information was shared with {recipient}. No consent to share with that recipient, or for that purpose, is in "
          "the client's record, and no lawful exception is recorded. Record the client's consent, or the exception that allowed "
          "sharing and why it applied.",
          {"recipient", "date"}},
         {"no-consent-text", Severity::warning, "The note says information went to {recipient}, but no consent to share with them is on file",
          "The text of this note says information was shared with {recipient} on {date}. No consent to share with that recipient "
          "is in the client's record. If it was shared, record the consent or the lawful exception; if the note means something "
          "else, reword it so the record is unambiguous.",
          {"recipient", "date"}},
         {"exception-without-rationale", Severity::warning, "Shared with {recipient} under an exception, but the reason is not recorded",
          "Information was shared with {recipient} without consent under a lawful exception. Record why the exception applied, so "
          "that the decision can be reviewed.",
          {"recipient", "date"}}});
}

CheckKind disclosure_after_consent_ended() {
    return consent_kind(
        "disclosure-after-consent-ended", Cover::ended,
        {{"consent-ended", Severity::critical, "Information was sent to {recipient} when the consent to share with them was not in force",
          "On {date} information was shared with {recipient}, but the client's consent to share with that recipient had been "
          "withdrawn, had expired, or had not yet started. Stop sharing, and record new consent or the lawful basis.",
          {"recipient", "date"}},
         {"consent-ended-text", Severity::warning, "The note says information went to {recipient} when consent to share with them was not in force",
          "The text of this note says information was shared with {recipient} on {date}, but the client's consent to share with "
          "that recipient had been withdrawn, had expired, or had not yet started. Check what was shared, and record new consent "
          "or the lawful basis.",
          {"recipient", "date"}}});
}

}  // namespace casecheck::checks
