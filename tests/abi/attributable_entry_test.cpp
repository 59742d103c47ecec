// RK-03 Attributable entry, end to end through the plugin.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

using casecheck_test::check_ok;
using casecheck_test::good_note;
using casecheck_test::prompts_for;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

json rk03(const json& record) { return prompts_for(check_ok(request_for(record)), "RK-03"); }

std::vector<std::string> paths(const json& prompts) {
    std::vector<std::string> out;
    for (const auto& prompt : prompts) out.push_back(prompt.at("evidence").at("path"));
    return out;
}

}  // namespace

TEST_CASE("a fully attributed, signed note gets no RK-03 prompt") { CHECK(rk03(good_note()).empty()); }

TEST_CASE("a note without an author is critical") {
    json note = good_note();
    note.erase("author");
    const auto prompts = rk03(note);
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("severity") == "critical");
    CHECK(prompts[0].at("evidence").at("path") == "/author");
    CHECK(prompts[0].at("summary") == "No author recorded: add who made this entry");

    SECTION("an author with neither id nor name counts as missing") {
        note["author"] = {{"role", "case manager"}, {"name", "  "}};
        CHECK(rk03(note).at(0).at("severity") == "critical");
    }
    SECTION("an id alone identifies the author") {
        note["author"] = {{"id", "staff-7"}, {"role", "case manager"}};
        CHECK(rk03(note).empty());
    }
}

TEST_CASE("an author without a role is a warning") {
    json note = good_note();
    note["author"].erase("role");
    const auto prompts = rk03(note);
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("severity") == "warning");
    CHECK(prompts[0].at("evidence").at("path") == "/author/role");
}

TEST_CASE("a note without an entry time, or with a date only, is a warning") {
    json note = good_note();
    note.erase("recorded");
    CHECK(paths(rk03(note)) == std::vector<std::string>{"/recorded"});
    note["recorded"] = "2026-03-02";
    const auto prompts = rk03(note);
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("summary").get<std::string>().find("no time of day") != std::string::npos);
}

TEST_CASE("an unsigned note is a warning whose fix signs it") {
    json note = good_note();
    note["signed"] = false;
    auto prompts = rk03(note);
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("evidence").at("path") == "/signed");
    CHECK(prompts[0].at("suggestion").at("patch") == json::parse(R"([{"op": "add", "path": "/signed", "value": true}])"));
    note.erase("signed");
    CHECK(paths(rk03(note)) == std::vector<std::string>{"/signed"});
}

TEST_CASE("several gaps give one prompt each, in a stable order") {
    json note = good_note();
    note.erase("author");
    note.erase("recorded");
    note.erase("signed");
    CHECK(paths(rk03(note)) == std::vector<std::string>{"/author", "/recorded", "/signed"});
}

TEST_CASE("other record kinds are attributed through their own fields") {
    SECTION("a consent names who recorded it") {
        const json consent = {{"id", "c-1"}, {"kind", "consent"}, {"date", "2026-03-01"}};
        const auto prompts = rk03(consent);
        REQUIRE(prompts.size() == 1);
        CHECK(prompts[0].at("evidence").at("path") == "/recorded_by");
    }
    SECTION("a care plan needs an author and a creation date, and a date alone is enough") {
        const json plan = {{"id", "p-1"}, {"kind", "care_plan"}, {"author", {{"name", "Sam Example"}, {"role", "nurse"}}}};
        CHECK(paths(rk03(plan)) == std::vector<std::string>{"/created"});
        json dated = plan;
        dated["created"] = "2026-03-01";
        CHECK(rk03(dated).empty());
    }
    SECTION("a transition needs an author and a date") {
        const json transition = {{"id", "t-1"}, {"kind", "transition"}};
        CHECK(paths(rk03(transition)) == std::vector<std::string>{"/author", "/date"});
    }
}
