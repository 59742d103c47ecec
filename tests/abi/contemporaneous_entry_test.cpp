// RK-01 Contemporaneous entry, end to end through the plugin.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

using casecheck_test::check_ok;
using casecheck_test::good_note;
using casecheck_test::prompts_for;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

json note_recorded(const std::string& occurred, const std::string& recorded) {
    json note = good_note();
    note["occurred"] = occurred;
    note["recorded"] = recorded;
    return note;
}

json rk01(const json& record, const std::string& config = "") {
    return prompts_for(check_ok(request_for(record), config), "RK-01");
}

}  // namespace

TEST_CASE("an entry recorded within 24 hours gets no RK-01 prompt") {
    CHECK(rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z")).empty());
    CHECK(rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-03T09:59:59Z")).empty());
}

TEST_CASE("an entry recorded 24 hours or more after the event is a warning") {
    const auto prompts = rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-03T16:00:00Z"));
    REQUIRE(prompts.size() == 1);
    const auto& prompt = prompts[0];
    CHECK(prompt.at("severity") == "warning");
    CHECK(prompt.at("summary") == "Recorded 30 hours after the contact: mark it as a late entry and give the reason");
    CHECK(prompt.at("evidence").at("path") == "/recorded");
    CHECK(prompt.at("evidence").at("related") == json::array({"/occurred"}));
    CHECK(prompt.at("record") == "note-1");
    CHECK(prompt.at("kind") == "note");

    SECTION("exactly at the threshold counts as late") {
        CHECK(rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z")).size() == 1);
    }
}

TEST_CASE("an entry recorded 72 hours or more after the event is critical") {
    const auto prompts = rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-05T16:30:00Z"));
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("severity") == "critical");
    CHECK(prompts[0].at("summary") == "Recorded 3 days after the contact: mark it as a late entry and give the reason");
}

TEST_CASE("the late-entry suggestion is a template and a patch that sets the flag") {
    const auto prompts = rk01(note_recorded("2026-03-02T10:00:00+01:00", "2026-03-05T16:30:00+01:00"));
    REQUIRE(prompts.size() == 1);
    const auto& suggestion = prompts[0].at("suggestion");
    CHECK(suggestion.at("kind") == "template");
    CHECK(suggestion.at("text") ==
          "LATE ENTRY: recorded 2026-03-05T16:30:00+01:00 for an event at 2026-03-02T10:00:00+01:00. Reason for delay: ");
    CHECK(suggestion.at("patch") ==
          json::parse(R"([{"op": "add", "path": "/late_entry", "value": {"flag": true, "reason": ""}}])"));
}

TEST_CASE("a late entry flagged with a reason satisfies RK-01") {
    json note = note_recorded("2026-03-02T10:00:00Z", "2026-03-09T10:00:00Z");
    note["late_entry"] = {{"flag", true}, {"reason", "Network outage at the clinic; notes written from paper record."}};
    CHECK(rk01(note).empty());

    SECTION("a flag without a reason is still a warning that asks for the reason") {
        note["late_entry"] = {{"flag", true}, {"reason", "   "}};
        const auto prompts = rk01(note);
        REQUIRE(prompts.size() == 1);
        CHECK(prompts[0].at("severity") == "warning");
        CHECK(prompts[0].at("evidence").at("path") == "/late_entry/reason");
    }
    SECTION("a reason without the flag does not mark the entry as late") {
        note["late_entry"] = {{"flag", false}, {"reason", "Clinic network outage."}};
        CHECK(rk01(note).at(0).at("severity") == "critical");
    }
}

TEST_CASE("delays are measured in absolute time across UTC offsets") {
    // 10:00 in Toronto (-05:00) is 15:00 UTC; recorded 14:30 UTC the next day: 23.5 hours, on time.
    CHECK(rk01(note_recorded("2026-03-02T10:00:00-05:00", "2026-03-03T14:30:00Z")).empty());
    // The same wall-clock times read as UTC would be 28.5 hours.
    CHECK(rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-03T14:30:00Z")).size() == 1);
}

TEST_CASE("a period is measured from its end") {
    json note = good_note();
    note["occurred"] = {{"start", "2026-03-01T09:00:00Z"}, {"end", "2026-03-02T09:00:00Z"}};
    note["recorded"] = "2026-03-02T20:00:00Z";
    CHECK(rk01(note).empty());
    note["recorded"] = "2026-03-03T10:00:00Z";
    const auto prompts = rk01(note);
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("evidence").at("related") == json::array({"/occurred/end"}));
}

TEST_CASE("an entry recorded before its event is flagged, beyond the clock-skew tolerance") {
    CHECK(rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-02T09:56:00Z")).empty());
    const auto prompts = rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-01T10:00:00Z"));
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("severity") == "warning");
    CHECK(prompts[0].at("evidence").at("path") == "/occurred");
}

TEST_CASE("thresholds come from the configuration") {
    const std::string config = R"({"parameters": {"RK-01": {"late_warning_after": "PT8H", "late_critical_after": "P1D"}}})";
    const json note = note_recorded("2026-03-02T10:00:00Z", "2026-03-02T19:00:00Z");
    CHECK(rk01(note).empty());
    REQUIRE(rk01(note, config).size() == 1);
    CHECK(rk01(note, config)[0].at("severity") == "warning");
    CHECK(rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-03T11:00:00Z"), config)[0].at("severity") == "critical");
}

TEST_CASE("assessments are checked for timeliness too") {
    const json assessment = {{"id", "as-1"},
                             {"kind", "assessment"},
                             {"author", {{"name", "Sam Example"}, {"role", "social worker"}}},
                             {"occurred", "2026-03-02T10:00:00Z"},
                             {"recorded", "2026-03-04T10:00:00Z"}};
    const auto prompts = rk01(assessment);
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("summary").get<std::string>().find("after the assessment") != std::string::npos);
}

TEST_CASE("RK-01 is silent when either time is missing") {
    json note = good_note();
    note.erase("occurred");
    CHECK(rk01(note).empty());
    note = good_note();
    note.erase("recorded");
    CHECK(rk01(note).empty());
}

TEST_CASE("the same finding keeps the same prompt id, and different findings differ") {
    const json late = note_recorded("2026-03-02T10:00:00Z", "2026-03-05T16:30:00Z");
    const auto first = rk01(late)[0].at("id");
    CHECK(rk01(late)[0].at("id") == first);
    json other = late;
    other["id"] = "note-2";
    CHECK(rk01(other)[0].at("id") != first);
    CHECK(first.get<std::string>().rfind("cc-", 0) == 0);
}

TEST_CASE("prompts cite the frameworks behind RK-01") {
    const auto citations = rk01(note_recorded("2026-03-02T10:00:00Z", "2026-03-05T16:30:00Z"))[0].at("citations");
    CHECK(std::find(citations.begin(), citations.end(), json{{"framework", "IRCM 2022"}, {"clause", "Prac 9a"}}) !=
          citations.end());
    CHECK(std::find(citations.begin(), citations.end(), json{{"framework", "NCMN 2012"}, {"clause", "5.4.2"}}) !=
          citations.end());
}
