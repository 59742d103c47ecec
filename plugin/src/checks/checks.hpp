// The built-in check kinds, one file each.
#pragma once

#include "criterion.hpp"

#include <string_view>

namespace casecheck::checks {

// "timeliness": recorded against event time (RK-01 Contemporaneous entry).
CheckKind timeliness();

// "attribution": author, role, entry time, signature (RK-03 Attributable entry).
CheckKind attribution();

// "consent-before-disclosure": a disclosure with no consent to share on file (CO-03).
CheckKind consent_before_disclosure();

// "disclosure-after-consent-ended": a disclosure when the matching consent was not in force (CO-07).
CheckKind disclosure_after_consent_ended();

// A check written as one function of the record and its case; most structured criteria are.
using Rule = std::function<void(const CheckInput&, std::vector<Finding>&)>;

// A check kind whose check is `make(parameters, error)`'s rule; make returns an
// empty Rule (and sets error) for inconsistent parameters.
CheckKind rule_kind(std::string name, std::vector<ParameterSpec> parameters, std::vector<MessageSpec> messages,
                    std::function<Rule(const Parameters&, std::string&)> make);

// The structured check kinds of each area, in docs/criteria.md order.
std::vector<CheckKind> planning_checks();
std::vector<CheckKind> transition_checks();
std::vector<CheckKind> record_checks();

// The check kinds that read free text only (RK-02, RK-04, RK-05, CO-02, AS-01 to AS-03, PL-07).
std::vector<CheckKind> free_text_checks();

// How a prompt names a lexicon recipient role: "gp" is "GP", "social-services" is "social services".
std::string recipient_name(std::string_view role);

// A finding pointing at a span of a record's text field.
Finding finding_in_text(std::string message, std::string path, std::size_t begin, std::size_t end, MessageValues values = {});

// The phrase a statement or term was found as, for a prompt to name it (lexicon wording, a few words at most).
std::string phrase_at(const std::string& text, std::size_t begin, std::size_t end);

// The text without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

// True when an optional text is present and not blank.
inline bool has_text(const std::optional<std::string>& text) { return text && !trim(*text).empty(); }

// The last millisecond an instant stands for: a date alone lasts the whole day.
inline std::int64_t end_of(const model::Instant& instant) {
    return instant.date_only ? instant.epoch_ms + 86'400'000 - 1 : instant.epoch_ms;
}

// Whether a consent was in force on the day of `when`. An active consent is in
// force from its date and within its period. A withdrawn, expired or inactive one
// was in force only up to its period's end (the host records the withdrawal
// there); without an end there is no telling when it stopped, so it is not. An
// undated event needs only an active consent.
bool consent_in_force(const model::Consent& consent, const std::optional<model::Instant>& when);

// Names what a record lacks, for one prompt that lists it all ("measure, due date").
class MissingList {
public:
    void need(bool present, const char* what) {
        if (!present) text_ += (text_.empty() ? "" : ", ") + std::string(what);
    }
    bool empty() const { return text_.empty(); }
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

// A finding of `message` at `path`, with its placeholder values.
inline Finding finding_at(std::string message, std::string path, MessageValues values = {}) {
    Finding f;
    f.message = std::move(message);
    f.evidence.path = std::move(path);
    f.values = std::move(values);
    return f;
}

}  // namespace casecheck::checks
