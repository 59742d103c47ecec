// Planning and monitoring: care plans whose goals are SMARTER and agreed, whose
// activities have owners, times and goals, and whose reviews happen on time.
#include "checks/checks.hpp"

namespace casecheck::checks {
namespace {

using model::CarePlan;

const CarePlan* plan_of(const CheckInput& input) { return input.record.as<CarePlan>(); }

std::string goal_path(std::size_t i) { return "/goals/" + std::to_string(i); }
std::string activity_path(std::size_t i) { return "/activities/" + std::to_string(i); }

std::string goal_name(const model::Goal& goal, std::size_t i) { return goal.id ? "goal " + *goal.id : "goal " + std::to_string(i + 1); }

// The latest review recorded for the plan's client: a note of type "review" from after the plan was created.
std::optional<model::Instant> last_review(const CheckInput& input, const std::optional<model::Instant>& created) {
    std::optional<model::Instant> latest;
    for (const auto& other : input.case_records) {
        const auto* note = other.as<model::Note>();
        if (note == nullptr || note->type != std::optional<std::string>("review")) continue;
        if (other.client && input.record.client && *other.client != *input.record.client) continue;
        const auto when = note->occurred && note->occurred->start ? note->occurred->start : note->recorded;
        if (!when || (created && when->epoch_ms < created->epoch_ms)) continue;
        if (!latest || when->epoch_ms > latest->epoch_ms) latest = when;
    }
    return latest;
}

}  // namespace

std::vector<CheckKind> planning_checks() {
    std::vector<CheckKind> kinds;

    kinds.push_back(rule_kind(
        "smarter-goal", {},
        {{"missing-elements", Severity::warning, "{goal} is not SMARTER: add its {missing}",
          "A goal is Specific, Measurable, Achievable, Realistic, Time-bound, Evaluated and Reviewed. {goal} has no {missing} "
          "recorded.",
          {"goal", "missing"}},
         {"vague-wording", Severity::warning, "{goal} says \"{phrase}\" without saying how much or by when: add a measure",
          "Vague wording (improve, better, as needed) cannot be reviewed. State what will be measured and the value to reach, "
          "e.g. \"walks to the shop twice a week without help by 1 March\".",
          {"goal", "phrase"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                if (plan == nullptr) return;
                for (std::size_t i = 0; i < plan->goals.size(); ++i) {
                    const auto& goal = plan->goals[i];
                    // Vague wording with no measure gets its own prompt, pointing at the words, instead of "add its measure".
                    const text::TermHit* vague = nullptr;
                    if (goal.description && !has_text(goal.measure)) {
                        const auto& analysis = input.text.read(*goal.description);
                        const auto cues = analysis.of_kind("vague-goal");
                        if (!cues.empty() && analysis.of_kind("measure").empty()) vague = cues.front();
                    }
                    if (vague) {
                        findings.push_back(finding_in_text("vague-wording", goal_path(i) + "/description", vague->begin, vague->end,
                                                           {{"goal", goal_name(goal, i)}, {"phrase", phrase_at(*goal.description, vague->begin, vague->end)}}));
                    }
                    MissingList missing;
                    missing.need(has_text(goal.description), "description");
                    missing.need(has_text(goal.measure) || vague, "measure");
                    missing.need(has_text(goal.target), "target");
                    missing.need(goal.due.has_value(), "due date");
                    missing.need(goal.review.has_value() || (plan->review && (plan->review->date || plan->review->frequency)), "review date");
                    if (!missing.empty()) {
                        findings.push_back(finding_at("missing-elements", goal_path(i), {{"goal", goal_name(goal, i)}, {"missing", missing.text()}}));
                    }
                }
            };
        }));

    kinds.push_back(rule_kind(
        "client-agreement", {},
        {{"plan-not-agreed", Severity::warning, "The client's agreement to this plan is not recorded",
          "Plans are set with the client. Record that the client agreed the plan, and when.", {}},
         {"goal-not-agreed", Severity::warning, "{goal} is not recorded as agreed with the client",
          "Record whether the client agreed {goal}, and who expressed it.", {"goal"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                if (plan == nullptr) return;
                if (!plan->agreed_by_client || !plan->agreed_by_client->flag) findings.push_back(finding_at("plan-not-agreed", "/agreed_by_client"));
                for (std::size_t i = 0; i < plan->goals.size(); ++i) {
                    if (plan->goals[i].agreed != std::optional<bool>(true)) {
                        findings.push_back(finding_at("goal-not-agreed", goal_path(i) + "/agreed", {{"goal", goal_name(plan->goals[i], i)}}));
                    }
                }
            };
        }));

    kinds.push_back(rule_kind(
        "activity-allocation", {},
        {{"unallocated", Severity::warning, "Activity {activity} has no {missing}: say who does it and when",
          "Plans allocate responsibilities, timelines and resources. Activity {activity} has no {missing}.", {"activity", "missing"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                if (plan == nullptr) return;
                for (std::size_t i = 0; i < plan->activities.size(); ++i) {
                    const auto& a = plan->activities[i];
                    MissingList missing;
                    missing.need(a.performer && (has_text(a.performer->name) || has_text(a.performer->id) || has_text(a.performer->role)),
                                 "performer");
                    missing.need(a.scheduled.has_value(), "scheduled time");
                    if (!missing.empty()) {
                        findings.push_back(finding_at("unallocated", activity_path(i),
                                                      {{"activity", a.id ? *a.id : std::to_string(i + 1)}, {"missing", missing.text()}}));
                    }
                }
            };
        }));

    kinds.push_back(rule_kind(
        "monitoring-plan", {},
        {{"no-review", Severity::warning, "The plan does not say when it will be reviewed: add a review date or frequency",
          "A plan states how and when it is monitored. Record its review date or review frequency.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                if (plan != nullptr && !(plan->review && (plan->review->date || plan->review->frequency))) {
                    findings.push_back(finding_at("no-review", "/review"));
                }
            };
        }));

    kinds.push_back(rule_kind(
        "plan-communicated", {},
        {{"not-communicated", Severity::info, "The agreed plan is not recorded as shared with anyone",
          "Once agreed, a plan is communicated to the stakeholders the client named (with consent to share). None is recorded.", {}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                const bool agreed = plan != nullptr && plan->agreed_by_client && plan->agreed_by_client->flag;
                if (agreed && plan->communicated_to.empty()) findings.push_back(finding_at("not-communicated", "/communicated_to"));
            };
        }));

    kinds.push_back(rule_kind(
        "goal-activity-links", {},
        {{"goal-without-activity", Severity::warning, "No activity serves {goal}",
          "Every goal is served by at least one activity of the plan. Link an activity to {goal}, or review the goal.", {"goal"}},
         {"activity-without-goal", Severity::warning, "Activity {activity} serves no goal of this plan",
          "Every activity addresses a goal of the plan. Link activity {activity} to the goal it serves.", {"activity"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                if (plan == nullptr) return;
                const auto is_goal = [&](const std::string& id) {
                    for (const auto& goal : plan->goals) {
                        if (goal.id == std::optional<std::string>(id)) return true;
                    }
                    return false;
                };
                for (std::size_t i = 0; i < plan->goals.size(); ++i) {
                    const auto& goal = plan->goals[i];
                    bool served = false;
                    for (const auto& a : plan->activities) {
                        for (const auto& id : a.goal_ids) served = served || (goal.id && *goal.id == id);
                    }
                    if (!served) findings.push_back(finding_at("goal-without-activity", goal_path(i), {{"goal", goal_name(goal, i)}}));
                }
                for (std::size_t i = 0; i < plan->activities.size(); ++i) {
                    const auto& a = plan->activities[i];
                    bool serves = false;
                    for (const auto& id : a.goal_ids) serves = serves || is_goal(id);
                    if (!serves) {
                        findings.push_back(finding_at("activity-without-goal", activity_path(i) + "/goal_ids",
                                                      {{"activity", a.id ? *a.id : std::to_string(i + 1)}}));
                    }
                }
            };
        }));

    kinds.push_back(rule_kind(
        "review-due", {{"critical_after", ParameterType::duration, "P30D"}},
        {{"overdue", Severity::warning, "The plan's review was due {overdue} ago and no review is recorded",
          "The plan was due for review on {due}. No review note has been recorded since. Review progress with the client.",
          {"overdue", "due"}},
         {"overdue-critical", Severity::critical, "The plan's review is {overdue} overdue",
          "The plan was due for review on {due}, more than {limit} ago, and no review note has been recorded since.",
          {"overdue", "due", "limit"}}},
        [](const Parameters& parameters, std::string&) -> Rule {
            const model::Duration critical_after = parameters.duration("critical_after");
            return [critical_after](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                // Reviews are judged against the configured clock; without one there is no "now".
                if (plan == nullptr || !input.as_of) return;
                if (plan->status && *plan->status != "active") return;
                // The earliest review the plan or any of its goals set; a date alone lasts the whole day.
                std::optional<model::Instant> due;
                std::string due_path = "/review/date";
                if (plan->review && plan->review->date) due = plan->review->date;
                for (std::size_t i = 0; i < plan->goals.size(); ++i) {
                    const auto& review = plan->goals[i].review;
                    if (review && (!due || review->epoch_ms < due->epoch_ms)) {
                        due = review;
                        due_path = goal_path(i) + "/review";
                    }
                }
                if (!due || end_of(*due) >= input.as_of->epoch_ms) return;
                const auto reviewed = last_review(input, plan->created);
                if (reviewed && reviewed->epoch_ms >= due->epoch_ms - 7LL * 86'400'000) return;  // a review up to a week early counts
                const model::Duration overdue{input.as_of->epoch_ms - due->epoch_ms};
                findings.push_back(finding_at(critical_after < overdue ? "overdue-critical" : "overdue", due_path,
                                              {{"overdue", model::describe_duration(overdue)},
                                               {"due", model::format_instant(*due).substr(0, 10)},
                                               {"limit", model::describe_duration(critical_after)}}));
            };
        }));

    kinds.push_back(rule_kind(
        "outcome-recorded", {},
        {{"no-outcome", Severity::warning, "{goal} has passed its review date with no outcome recorded",
          "Each review records the outcome against the goal's measure. Record {goal}'s achievement status.", {"goal"}}},
        [](const Parameters&, std::string&) -> Rule {
            return [](const CheckInput& input, std::vector<Finding>& findings) {
                const auto* plan = plan_of(input);
                if (plan == nullptr || !input.as_of) return;
                for (std::size_t i = 0; i < plan->goals.size(); ++i) {
                    const auto& goal = plan->goals[i];
                    if (goal.review && end_of(*goal.review) < input.as_of->epoch_ms && !has_text(goal.achievement)) {
                        findings.push_back(finding_at("no-outcome", goal_path(i) + "/achievement", {{"goal", goal_name(goal, i)}}));
                    }
                }
            };
        }));
    return kinds;
}

}  // namespace casecheck::checks
