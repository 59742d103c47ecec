// Response flavours (native, CDS Hooks cards, FHIR) and repeat suppression, through the ABI.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

using casecheck_test::check_ok;
using casecheck_test::good_note;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

// A note 3 days late and unsigned: an RK-01 critical and an RK-03 warning.
json late_unsigned_note() {
    json note = good_note();
    note["recorded"] = "2026-03-05T16:30:00Z";
    note["signed"] = false;
    return note;
}

json check_flavour(const char* flavour, json extra = json::object()) {
    json request = {{"record", late_unsigned_note()}, {"flavour", flavour}, {"context", {casecheck_test::engage_consent()}}};
    for (auto& [key, value] : extra.items()) request[key] = value;
    return check_ok(request.dump(), R"({"as_of": "2026-03-06T09:00:00Z"})");
}

}  // namespace

TEST_CASE("cds-hooks gives one card per prompt, with source, suggestions and override reasons") {
    const json native = check_flavour("native");
    const json response = check_flavour("cds-hooks");
    REQUIRE(response.at("cards").size() == native.at("prompts").size());
    const json& card = response.at("cards")[0];
    const json& prompt = native.at("prompts")[0];
    CHECK(card.at("uuid") == prompt.at("id"));
    CHECK(card.at("summary") == prompt.at("summary"));
    CHECK(card.at("indicator") == "critical");
    CHECK(card.at("source").at("label") == "casecheck (rule pack core)");
    CHECK(card.at("source").at("topic").at("code") == "RK-01");
    CHECK(card.at("detail").get<std::string>().find("Sources: IRCM 2022 Prac 9a") != std::string::npos);
    REQUIRE(card.at("suggestions").size() == 1);
    CHECK(card.at("selectionBehavior") == "at-most-one");
    CHECK(card.at("suggestions")[0].at("extension").at("example.casecheck").at("patch") == prompt.at("suggestion").at("patch"));
    for (const auto& reason : card.at("overrideReasons")) CHECK_FALSE(reason.at("display").get<std::string>().empty());
    CHECK(response.at("extension").at("example.casecheck").at("records_checked") == 1);
}

TEST_CASE("fhir gives a DetectedIssue per prompt and one OperationOutcome with FHIRPath") {
    const json bundle = check_flavour("fhir");
    CHECK(bundle.at("resourceType") == "Bundle");
    const json& entries = bundle.at("entry");
    REQUIRE(entries.size() == 3);
    const json& issue = entries[0].at("resource");
    CHECK(issue.at("resourceType") == "DetectedIssue");
    CHECK(issue.at("status") == "final");
    CHECK(issue.at("severity") == "high");
    CHECK(issue.at("code").at("coding")[0].at("code") == "RK-01");
    CHECK(issue.at("patient") == json{{"reference", "Patient/client-1"}});
    CHECK(issue.at("identifiedDateTime") == "2026-03-06T09:00:00Z");
    CHECK(issue.at("implicated")[0].at("identifier").at("value") == "note-1");
    const json& outcome = entries[2].at("resource");
    CHECK(outcome.at("resourceType") == "OperationOutcome");
    REQUIRE(outcome.at("issue").size() == 2);
    CHECK(outcome.at("issue")[0].at("severity") == "error");
    CHECK(outcome.at("issue")[0].at("code") == "business-rule");
    CHECK(outcome.at("issue")[0].at("expression") == json::array({"DocumentReference.date"}));
    CHECK(outcome.at("issue")[1].at("expression") == json::array({"DocumentReference.docStatus"}));
}

TEST_CASE("an engine can answer in a flavour by default, which FHIR input relies on") {
    const auto plugin = casecheck_test::load_plugin();
    const auto native_engine = plugin.create_engine();
    const std::string bundle = native_engine.to_fhir(request_for(late_unsigned_note())).bundle.str();
    const json cards = json::parse(plugin.create_engine(R"({"flavour": "cds-hooks"})").check(bundle).view());
    const json native = json::parse(native_engine.check(bundle).view());
    CHECK(cards.at("cards").size() == native.at("prompts").size());
    CHECK_FALSE(cards.at("cards").empty());
}

TEST_CASE("dismissed prompts are not returned again for the same record, and are counted") {
    const json first = check_flavour("native");
    REQUIRE(first.at("prompts").size() == 2);
    const std::string dismissed_id = first.at("prompts")[1].at("id");
    const json again = check_flavour("native", {{"dismissed", {{{"prompt", dismissed_id}, {"reason", "will-complete"}}}}});
    REQUIRE(again.at("prompts").size() == 1);
    CHECK(again.at("prompts")[0].at("id") != dismissed_id);
    CHECK(again.at("suppressed") == 1);

    SECTION("the same finding on another record is still shown") {
        json other = late_unsigned_note();
        other["id"] = "note-2";
        const json batch = check_ok(json{{"records", {late_unsigned_note(), other}}, {"context", {casecheck_test::engage_consent()}},
                                         {"dismissed", {{{"prompt", dismissed_id}, {"reason", "will-complete"}}}}}
                                        .dump());
        CHECK(batch.at("prompts").size() == 3);
        CHECK(batch.at("suppressed") == 1);
    }
    SECTION("a dismissal without a reason is refused") {
        const auto plugin = casecheck_test::load_plugin();
        CHECK_THROWS_AS(plugin.create_engine().check(json{{"record", late_unsigned_note()}, {"dismissed", {{{"prompt", dismissed_id}}}}}.dump()),
                        casecheck::error);
    }
}
