// The "timeliness" check (RK-01 Contemporaneous entry): an entry recorded long
// after the event it documents must say so (late-entry flag) and why, keeping
// the event time.
#include "checks/checks.hpp"

namespace casecheck::checks {
namespace {

using model::Duration;
using model::Instant;

// The event a note documents, as a clinician would name it.
std::string event_noun(const std::optional<std::string>& note_type) {
    if (!note_type) return "the event";
    if (*note_type == "contact") return "the contact";
    if (*note_type == "assessment") return "the assessment";
    if (*note_type == "review") return "the review";
    if (*note_type == "handover") return "the handover";
    if (*note_type == "referral") return "the referral";
    if (*note_type == "closure") return "the closure";
    return "the event";
}

class ContemporaneousEntry final : public Check {
public:
    ContemporaneousEntry(Duration warning_after, Duration critical_after, Duration skew_tolerance)
        : warning_after_(warning_after), critical_after_(critical_after), skew_tolerance_(skew_tolerance) {}

    void run(const CheckInput& input, std::vector<Finding>& findings) const override {
        if (const auto* note = input.record.as<model::Note>()) {
            check_entry(note->occurred, note->recorded, late_entry_of(input, *note), event_noun(note->type), findings);
        } else if (const auto* assessment = input.record.as<model::Assessment>()) {
            // Assessments carry no late-entry marker in the model, so the flag is never set.
            check_entry(assessment->occurred, assessment->recorded, std::nullopt, "the assessment", findings);
        }
    }

private:
    // The structured late-entry marker, or one the note's text gives ("Late entry: ... because ...").
    // A reason counts when a delay-reason cue shares the marker's sentence or follows in the next one.
    static std::optional<model::LateEntry> late_entry_of(const CheckInput& input, const model::Note& note) {
        if ((note.late_entry && note.late_entry->flag) || !note.text) return note.late_entry;
        const auto& analysis = input.text.read(*note.text);
        for (const auto* marker : analysis.with_label("LATE_ENTRY")) {
            // A late entry speaks of the past by nature, so only a denied or planned marker does not count.
            if (marker->has("NEGATED") || marker->has("FUTURE")) continue;
            model::LateEntry written;
            written.flag = true;
            for (const auto* cue : analysis.of_kind("delay-reason")) {
                if (cue->sentence == marker->sentence || cue->sentence == marker->sentence + 1) written.reason = "stated in the text";
            }
            return written;
        }
        return note.late_entry;
    }

    void check_entry(const std::optional<model::Occurrence>& occurred, const std::optional<Instant>& recorded,
                     const std::optional<model::LateEntry>& late_entry, const std::string& event,
                     std::vector<Finding>& findings) const {
        // Without both times timeliness cannot be judged; RK-03 and RK-06 report the missing fields.
        if (!occurred || !recorded) return;
        // Measure from the end of the event: a long meeting written up as it ends is on time.
        const std::optional<Instant>& event_time = occurred->end ? occurred->end : occurred->start;
        if (!event_time) return;

        const Duration delay{recorded->epoch_ms - event_time->epoch_ms};
        const std::string occurred_path = occurred->end ? "/occurred/end" : "/occurred";
        if (delay.ms < -skew_tolerance_.ms) {
            findings.push_back(recorded_before_event(event, occurred_path));
            return;
        }
        if (delay < warning_after_) return;

        const bool flagged = late_entry && late_entry->flag;
        const bool has_reason = late_entry && late_entry->reason && !trim(*late_entry->reason).empty();
        if (flagged && has_reason) return;

        Finding finding;
        finding.values = {{"delay", model::describe_duration(delay)},
                          {"event", event},
                          {"warning_after", model::describe_duration(warning_after_)},
                          {"critical_after", model::describe_duration(critical_after_)}};
        finding.evidence.path = "/recorded";
        finding.evidence.related = {occurred_path};
        if (flagged) {
            finding.message = "late-without-reason";
            finding.evidence.path = "/late_entry/reason";
            finding.suggestion = Suggestion{"set-field", "Add the reason for the late entry", "Reason for delay: ",
                                            nlohmann::ordered_json::array({{{"op", "add"},
                                                                            {"path", "/late_entry/reason"},
                                                                            {"value", ""}}}),
                                            std::nullopt};
        } else {
            finding.message = delay < critical_after_ ? "late" : "late-critical";
            finding.suggestion = late_entry_template(*event_time, *recorded);
        }
        findings.push_back(std::move(finding));
    }

    static Finding recorded_before_event(const std::string& event, const std::string& occurred_path) {
        Finding finding;
        finding.message = "recorded-before-event";
        finding.values = {{"event", event}};
        finding.evidence.path = occurred_path;
        finding.evidence.related = {"/recorded"};
        return finding;
    }

    static Suggestion late_entry_template(const Instant& event_time, const Instant& recorded) {
        Suggestion suggestion;
        suggestion.kind = "template";
        suggestion.label = "Mark as late entry";
        suggestion.text = "LATE ENTRY: recorded " + model::format_instant(recorded) + " for an event at " +
                          model::format_instant(event_time) + ". Reason for delay: ";
        suggestion.patch = nlohmann::ordered_json::array(
            {{{"op", "add"}, {"path", "/late_entry"}, {"value", {{"flag", true}, {"reason", ""}}}}});
        return suggestion;
    }

    Duration warning_after_;
    Duration critical_after_;
    Duration skew_tolerance_;
};

}  // namespace

CheckKind timeliness() {
    const std::vector<std::string> placeholders = {"delay", "event", "warning_after", "critical_after"};
    const std::string late_summary = "Recorded {delay} after {event}: mark it as a late entry and give the reason";
    const std::string late_detail =
        "Records should be made without delay after the contact, decision or intervention they document. This entry "
        "was recorded {delay} after {event}; entries are late after {warning_after} and critically late after "
        "{critical_after}. Mark it as a late entry, keep the event time, and state the reason for the delay.";
    CheckKind kind;
    kind.name = "timeliness";
    kind.parameters = {
        {"late_warning_after", ParameterType::duration, "PT24H"},
        {"late_critical_after", ParameterType::duration, "PT72H"},
        // Clocks of the devices that stamp "occurred" and "recorded" drift apart.
        {"clock_skew_tolerance", ParameterType::duration, "PT5M"},
    };
    kind.messages = {
        {"late", Severity::warning, late_summary, late_detail, placeholders},
        {"late-critical", Severity::critical, late_summary, late_detail, placeholders},
        {"late-without-reason", Severity::warning,
         "Marked as a late entry without a reason: say why it was recorded {delay} after {event}",
         "The entry was recorded {delay} after {event} and is marked as a late entry, but the reason for the delay is "
         "missing. A late entry keeps the real time of the event and states why it was recorded late.",
         placeholders},
        {"recorded-before-event", Severity::warning, "Recorded before {event} took place: check the event time",
         "The entry time is earlier than the time of {event} it documents. One of the two times is probably wrong; an "
         "entry cannot document an event that has not happened yet.",
         {"event"}},
    };
    kind.make_check = [](const Parameters& parameters, std::string& error) -> std::unique_ptr<Check> {
        const Duration warning = parameters.duration("late_warning_after");
        const Duration critical = parameters.duration("late_critical_after");
        const Duration skew = parameters.duration("clock_skew_tolerance");
        if (warning.ms <= 0) {
            error = "late_warning_after must be longer than zero";
            return nullptr;
        }
        if (critical < warning) {
            error = "late_critical_after must not be shorter than late_warning_after";
            return nullptr;
        }
        return std::make_unique<ContemporaneousEntry>(warning, critical, skew);
    };
    return kind;
}

}  // namespace casecheck::checks
