// The "attribution" check (RK-03 Attributable entry): every entry says who
// made it, in what role, when, and (for notes) that it was signed.
#include "checks/checks.hpp"

namespace casecheck::checks {
namespace {

// The fields that attribute one record, whatever its kind.
struct Attribution {
    const std::optional<model::Party>* author = nullptr;
    std::string author_path;
    const std::optional<model::Instant>* entry_time = nullptr;
    std::string entry_time_path;
    // Notes and assessments document events within a day, so a bare date is not enough.
    bool needs_time_of_day = false;
    // Only notes carry a signature in the model.
    const std::optional<bool>* is_signed = nullptr;
};

Attribution attribution_of(const model::Record& record) {
    if (const auto* note = record.as<model::Note>())
        return {&note->author, "/author", &note->recorded, "/recorded", true, &note->is_signed};
    if (const auto* assessment = record.as<model::Assessment>())
        return {&assessment->author, "/author", &assessment->recorded, "/recorded", true, nullptr};
    if (const auto* plan = record.as<model::CarePlan>())
        return {&plan->author, "/author", &plan->created, "/created", false, nullptr};
    if (const auto* transition = record.as<model::Transition>())
        return {&transition->author, "/author", &transition->date, "/date", false, nullptr};
    const auto& consent = std::get<model::Consent>(record.body);
    return {&consent.recorded_by, "/recorded_by", &consent.date, "/date", false, nullptr};
}

bool names_someone(const model::Party& party) {
    return (party.id && !trim(*party.id).empty()) || (party.name && !trim(*party.name).empty());
}

Finding finding(const char* message, std::string path, std::string label) {
    Finding f;
    f.message = message;
    f.evidence.path = path;
    f.suggestion = Suggestion{"set-field", std::move(label), "", nlohmann::ordered_json::array(), std::nullopt};
    f.suggestion->patch.push_back({{"op", "add"}, {"path", std::move(path)}, {"value", ""}});
    return f;
}

class AttributableEntry final : public Check {
public:
    void run(const CheckInput& input, std::vector<Finding>& findings) const override {
        const Attribution a = attribution_of(input.record);

        const auto& author = *a.author;
        if (!author || !names_someone(*author)) {
            findings.push_back(finding("author-missing", a.author_path, "Add the author"));
        } else if (!author->role || trim(*author->role).empty()) {
            findings.push_back(finding("role-missing", a.author_path + "/role", "Add the author's role"));
        }

        const auto& entry_time = *a.entry_time;
        if (!entry_time) {
            findings.push_back(finding("entry-time-missing", a.entry_time_path, "Add the entry time"));
        } else if (a.needs_time_of_day && entry_time->date_only) {
            findings.push_back(finding("entry-time-without-day", a.entry_time_path, "Add the time of day"));
        }

        if (a.is_signed != nullptr && !a.is_signed->value_or(false)) {
            findings.push_back(finding("unsigned", "/signed", "Sign the entry"));
            findings.back().suggestion->patch[0]["value"] = true;
        }
    }
};

}  // namespace

CheckKind attribution() {
    CheckKind kind;
    kind.name = "attribution";
    kind.messages = {
        {"author-missing", Severity::critical, "No author recorded: add who made this entry",
         "Every entry must identify its author so that others can follow up and the author stays accountable for it.", {}},
        {"role-missing", Severity::warning, "The author's role or discipline is missing: add it",
         "Readers weigh an entry by who made it; record the author's role or discipline alongside their name.", {}},
        {"entry-time-missing", Severity::warning, "No entry date or time: record when this entry was made",
         "An attributable entry states the date and time it was made, separately from the time of the event it "
         "documents.",
         {}},
        {"entry-time-without-day", Severity::warning, "The entry time has a date but no time of day: add the time",
         "Entries are ordered and judged for timeliness by their time of day as well as their date.", {}},
        {"unsigned", Severity::warning, "Not signed: sign or authenticate this entry",
         "An unsigned entry cannot be relied on as the author's final account; sign it when it is complete.", {}},
    };
    kind.make_check = [](const Parameters&, std::string&) -> std::unique_ptr<Check> {
        return std::make_unique<AttributableEntry>();
    };
    return kind;
}

}  // namespace casecheck::checks
