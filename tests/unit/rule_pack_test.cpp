// Rule packs: every built-in pack loads, packs extend and override, and every
// malformed pack is refused with the line and column of the fault.
#include "rule_pack.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace casecheck;

namespace {

std::string error_of(const std::string& xml) {
    const auto pack = read_rule_pack(xml, "test.xml");
    REQUIRE_FALSE(pack.ok());
    CHECK(pack.failure().status == CASECHECK_E_CONFIG);
    return pack.failure().message;
}

const std::string header = "<?xml version=\"1.0\"?>\n<rule-pack id=\"t\" format=\"1\">\n";

}  // namespace

TEST_CASE("every built-in pack loads and cites only real clauses") {
    const auto ids = builtin_rule_pack_ids();
    CHECK(ids == std::vector<std::string>{"core", "ircm-2022", "ncmn-2012", "bcv-2015", "cmsa-au-2013", "ccmc-2022"});
    for (const auto& id : ids) {
        INFO(id);
        const auto pack = read_rule_pack(*builtin_rule_pack_xml(id), "built-in pack " + id);
        REQUIRE(pack.ok());
        CHECK(pack.value().id == id);
        for (const auto& criterion : pack.value().criteria) {
            CHECK_FALSE(criterion.citations.empty());
            CHECK(criterion.kind != nullptr);
        }
    }
}

TEST_CASE("a jurisdiction pack cites only its own framework") {
    const auto pack = read_rule_pack(*builtin_rule_pack_xml("ircm-2022"), "built-in pack ircm-2022");
    REQUIRE(pack.ok());
    REQUIRE_FALSE(pack.value().criteria.empty());
    for (const auto& criterion : pack.value().criteria) {
        for (const auto& citation : criterion.citations) CHECK(citation.framework == "IRCM 2022");
    }
}

TEST_CASE("a pack on disk extends core, overrides a criterion and removes another") {
    std::ifstream file(CASECHECK_TEST_RULEPACKS "/org-override.xml");
    std::stringstream text;
    text << file.rdbuf();
    const auto pack = read_rule_pack(text.str(), "org-override.xml");
    REQUIRE(pack.ok());
    CHECK(pack.value().id == "northwind-community");
    std::vector<std::string> ids;
    for (const auto& criterion : pack.value().criteria) ids.push_back(criterion.id);
    CHECK(ids.front() == "RK-01");  // core's criteria, in core's order
    CHECK(std::find(ids.begin(), ids.end(), "RK-03") == ids.end());
    CHECK(std::find(ids.begin(), ids.end(), "CO-03") != ids.end());
    const PackCriterion& rk01 = pack.value().criteria[0];
    CHECK(rk01.id == "RK-01");
    CHECK(rk01.kind->name == "timeliness");
    CHECK(rk01.title == "Contemporaneous entry");  // inherited
    CHECK(std::get<model::Duration>(rk01.parameters.at("late_warning_after")).ms == 8 * 3600 * 1000LL);
    REQUIRE(rk01.citations.size() == 1);  // its own citations replace the inherited ones
    CHECK(rk01.citations[0].framework == "Northwind records policy 2026");
    CHECK(rk01.messages.at("late").severity == Severity::info);
}

TEST_CASE("malformed packs are refused with the line and column of the fault") {
    struct Case {
        std::string xml;
        std::string where;
        std::string what;
    };
    const std::vector<Case> cases = {
        {"<rule-pack id=\"t\" format=\"1\">\n  <criterion id=\"RK-01\" check=\"timeliness\">\n</rule-pack>", "line 3, column 3",
         "not well-formed XML"},
        {"<policy/>", "line 1, column 2", "root element must be <rule-pack>"},
        {"<rule-pack id=\"t\" format=\"2\"/>", "line 1, column 2", "format must be \"1\""},
        {"<rule-pack id=\"Bad Id\" format=\"1\"/>", "line 1, column 2", "id must be lower-case"},
        {header + "  <criteria/>\n</rule-pack>", "line 3, column 4", "unknown element <criteria>"},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\" colour=\"red\"/>\n</rule-pack>", "line 3, column 4",
         "unknown attribute \"colour\""},
        {header + "  <criterion id=\"RK-01\" check=\"telepathy\"><cite framework=\"F\" clause=\"1\"/></criterion>\n</rule-pack>",
         "line 3, column 4", "unknown check \"telepathy\""},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\">\n    <parameter name=\"late_after\" value=\"PT1H\"/>\n  </criterion>\n</rule-pack>",
         "line 4, column 6", "unknown parameter \"late_after\""},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\">\n    <parameter name=\"late_warning_after\" value=\"one day\"/>\n  </criterion>\n</rule-pack>",
         "line 4, column 6", "must be an ISO 8601 duration"},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\">\n    <message key=\"too-late\"/>\n  </criterion>\n</rule-pack>",
         "line 4, column 6", "unknown message \"too-late\""},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\">\n    <message key=\"late\" severity=\"blocker\"/>\n  </criterion>\n</rule-pack>",
         "line 4, column 6", "severity must be"},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\">\n    <message key=\"late\" summary=\"Late by {hours}\"/>\n  </criterion>\n</rule-pack>",
         "line 4, column 6", "no placeholder {hours}"},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\"><cite framework=\"F\" clause=\"1\"/></criterion>\n"
                  "  <criterion id=\"RK-01\" check=\"timeliness\"><cite framework=\"F\" clause=\"1\"/></criterion>\n</rule-pack>",
         "line 4, column 4", "declared twice"},
        {header + "  <criterion id=\"RK-01\"><cite framework=\"F\" clause=\"1\"/></criterion>\n</rule-pack>", "line 3, column 4",
         "needs a check attribute"},
        {header + "  <criterion id=\"RK-01\" check=\"timeliness\"/>\n</rule-pack>", "line 3, column 4", "cites no framework clause"},
        {header + "  <criterion id=\"rk-1\" check=\"timeliness\"/>\n</rule-pack>", "line 3, column 4", "criterion id must look like"},
        {"<rule-pack id=\"t\" format=\"1\" extends=\"nowhere\"/>", "line 1, column 2", "not a built-in pack"},
        {"<rule-pack id=\"t\" format=\"1\" extends=\"core\">\n  <remove criterion=\"MO-03\"/>\n</rule-pack>", "line 2, column 4",
         "removes criterion MO-03"},
    };
    for (const auto& c : cases) {
        INFO(c.xml);
        const std::string message = error_of(c.xml);
        CHECK(message.find("rule pack test.xml, " + c.where + ": ") == 0);
        CHECK(message.find(c.what) != std::string::npos);
    }
}
