// Choosing a rule pack through engine_create: built-in ids, a file, inline XML.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <set>

using casecheck_test::good_note;
using casecheck_test::load_plugin;
using casecheck_test::prompts_for;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

json note_recorded_after(const std::string& recorded) {
    json note = good_note();
    note["recorded"] = recorded;
    return note;
}

json check_with(const json& config, const json& record) {
    return json::parse(load_plugin().create_engine(config.dump()).check(request_for(record)).view());
}

}  // namespace

TEST_CASE("every built-in pack makes an engine, and version lists them") {
    const auto plugin = load_plugin();
    const json info = json::parse(plugin.version());
    CHECK(info.at("rule_packs") == json{"core", "ircm-2022", "ncmn-2012", "bcv-2015", "cmsa-au-2013", "ccmc-2022"});
    for (const auto& id : info.at("rule_packs")) {
        const json response = json::parse(plugin.create_engine(json{{"rule_pack", id}}.dump()).check(request_for(good_note())).view());
        CHECK(response.at("rule_pack") == id);
    }
}

TEST_CASE("the default pack is core, citing every framework") {
    const json response = check_with(json::object(), note_recorded_after("2026-03-06T10:00:00Z"));
    CHECK(response.at("rule_pack") == "core");
    const json citations = prompts_for(response, "RK-01").at(0).at("citations");
    std::set<std::string> frameworks;
    for (const auto& citation : citations) frameworks.insert(citation.at("framework"));
    CHECK(frameworks == std::set<std::string>{"BABICM/CMSUK/VRA 2015", "IRCM 2022", "NCMN 2012"});
}

TEST_CASE("a jurisdiction pack cites its own framework's clauses") {
    const json response = check_with({{"rule_pack", "ncmn-2012"}}, note_recorded_after("2026-03-06T10:00:00Z"));
    const json citations = prompts_for(response, "RK-01").at(0).at("citations");
    CHECK(citations == json::parse(R"([{"framework": "NCMN 2012", "clause": "5.4"}, {"framework": "NCMN 2012", "clause": "5.4.2"}])"));
}

TEST_CASE("a pack from disk changes thresholds, wording and severity, and removes a criterion") {
    const json config = {{"rule_pack", {{"file", CASECHECK_TEST_RULEPACKS "/org-override.xml"}}}};
    json note = note_recorded_after("2026-03-02T20:00:00Z");  // 10 hours: late under the local 8-hour rule
    note.erase("author");                                     // RK-03 would flag this, but the pack removes it
    const json response = check_with(config, note);
    CHECK(response.at("rule_pack") == "northwind-community");
    CHECK(prompts_for(response, "RK-03").empty());
    REQUIRE(prompts_for(response, "RK-01").size() == 1);
    const json prompt = prompts_for(response, "RK-01")[0];
    CHECK(prompt.at("criterion") == "RK-01");
    CHECK(prompt.at("severity") == "info");
    CHECK(prompt.at("summary") == "Written up 10 hours after the contact: please add a late-entry note");
    CHECK(prompt.at("citations") == json::parse(R"([{"framework": "Northwind records policy 2026", "clause": "4.2 Same-day recording"}])"));
}

TEST_CASE("an inline pack works, and configuration parameters still override it") {
    const std::string xml =
        "<rule-pack id=\"inline-test\" format=\"1\"><criterion id=\"RK-01\" check=\"timeliness\">"
        "<parameter name=\"late_warning_after\" value=\"PT2H\"/><cite framework=\"F\" clause=\"1\"/></criterion></rule-pack>";
    const json note = note_recorded_after("2026-03-02T13:00:00Z");  // 3 hours
    CHECK(prompts_for(check_with({{"rule_pack", {{"xml", xml}}}}, note), "RK-01").size() == 1);
    CHECK(prompts_for(check_with({{"rule_pack", {{"xml", xml}}}, {"parameters", {{"RK-01", {{"late_warning_after", "PT4H"}}}}}}, note),
                      "RK-01")
              .empty());
}

TEST_CASE("a reworded summary is cut to fewer than 140 characters, on a character boundary") {
    const auto pack = [](const std::string& summary) {
        return "<rule-pack id=\"long\" format=\"1\"><criterion id=\"RK-01\" check=\"timeliness\"><message key=\"late\" summary=\"" + summary +
               "\"/><cite framework=\"F\" clause=\"1\"/></criterion></rule-pack>";
    };
    const json note = note_recorded_after("2026-03-03T13:00:00Z");
    const auto summary_with = [&](const std::string& text) {
        const json prompts = prompts_for(check_with({{"rule_pack", {{"xml", pack(text)}}}}, note), "RK-01");
        REQUIRE(prompts.size() == 1);
        return prompts[0].at("summary").get<std::string>();
    };
    const auto characters = [](const std::string& text) {
        return std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; });
    };
    const std::string exactly_139(139, 'a');
    CHECK(summary_with(exactly_139) == exactly_139);
    // Two-byte characters: a cut must not split one.
    std::string long_text;
    for (int i = 0; i < 150; ++i) long_text += "\u00e9";
    const std::string cut = summary_with(long_text);
    CHECK(characters(cut) == 139);
    CHECK(cut.substr(cut.size() - 3) == "\u2026");
    CHECK(cut.substr(0, 138 * 2) == long_text.substr(0, 138 * 2));
    CHECK(characters(summary_with(std::string(140, 'b'))) == 139);
}

TEST_CASE("a bad rule pack choice is E_CONFIG with its path, line and column") {
    const auto plugin = load_plugin();
    const auto refused = [&](const json& config, const std::string& where) {
        try {
            plugin.create_engine(config.dump());
            FAIL("engine_create accepted " << config.dump());
        } catch (const casecheck::error& e) {
            CHECK(e.status() == CASECHECK_E_CONFIG);
            CHECK(std::string(e.what()).find(where) != std::string::npos);
        }
    };
    refused({{"rule_pack", "nowhere-2030"}}, "/rule_pack");
    refused({{"rule_pack", {{"file", "/nonexistent/pack.xml"}}}}, "/rule_pack/file");
    refused({{"rule_pack", {{"url", "https://example.org/pack.xml"}}}}, "/rule_pack");
    refused({{"rule_pack", {{"xml", "<rule-pack id=\"x\" format=\"1\">\n  <criterion id=\"RK-01\" check=\"nope\"/>\n</rule-pack>"}}}},
            "rule pack inline pack, line 2, column 4: unknown check \"nope\"");
    refused({{"rule_pack", "ircm-2022"}, {"parameters", {{"AS-04", json::object()}}}}, "/parameters/AS-04");
}
