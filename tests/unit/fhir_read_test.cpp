// Reading FHIR that an EHR already holds (not written by casecheck) into records.
#include "casecheck/fhir/mapping.hpp"
#include "casecheck/model/record_json.hpp"

#include <catch2/catch.hpp>

using namespace casecheck;
using nlohmann::json;

namespace {

json bundle_of(std::initializer_list<json> resources) {
    json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
    for (const auto& resource : resources) bundle["entry"].push_back({{"resource", resource}});
    return bundle;
}

}  // namespace

TEST_CASE("a Composition reads as a note: type, date, author, attestation, event period and section text") {
    const json composition = {
        {"resourceType", "Composition"},
        {"id", "comp-1"},
        {"status", "final"},
        {"type", {{"coding", {{{"system", "http://loinc.org"}, {"code", "18761-7"}, {"display", "Transfer summary"}}}}}},
        {"subject", {{"reference", "Patient/p-9"}}},
        {"date", "2026-04-02T16:00:00+01:00"},
        {"author", {{{"reference", "Practitioner/pr-3"}, {"display", "Kim Example"}}}},
        {"title", "Handover"},
        {"event", {{{"period", {{"start", "2026-04-02T09:00:00+01:00"}, {"end", "2026-04-02T10:00:00+01:00"}}}}}},
        {"section", {{{"title", "Summary"},
                      {"text", {{"status", "generated"}, {"div", "<div xmlns=\"http://www.w3.org/1999/xhtml\">Handed over.</div>"}}}}}}};
    const auto read = fhir::read_document(composition);
    REQUIRE_FALSE(read.error);
    REQUIRE(read.value.records.size() == 1);
    const json note = json(model::write_record(read.value.records[0]));
    CHECK(note.at("id") == "comp-1");
    CHECK(note.at("kind") == "note");
    CHECK(note.at("client") == "p-9");
    CHECK(note.at("type") == "Transfer summary");
    CHECK(note.at("recorded") == "2026-04-02T16:00:00+01:00");
    CHECK(note.at("author") == json{{"id", "pr-3"}, {"name", "Kim Example"}});
    CHECK(note.at("signed") == true);
    CHECK(note.at("occurred") == json{{"start", "2026-04-02T09:00:00+01:00"}, {"end", "2026-04-02T10:00:00+01:00"}});
    CHECK(note.at("text").get<std::string>().find("Handed over.") != std::string::npos);
}

TEST_CASE("a plain DocumentReference with a LOINC type and Type/id references reads as a note") {
    const json bundle = bundle_of({
        {{"resourceType", "DocumentReference"},
         {"id", "dr-1"},
         {"status", "current"},
         {"type", {{"coding", {{{"system", "http://loinc.org"}, {"code", "57133-1"}}}}}},
         {"subject", {{"reference", "Patient/p-1"}}},
         {"date", "2026-05-01T12:00:00Z"},
         {"content", {{{"attachment", {{"contentType", "text/plain"}, {"data", "UmVmZXJyZWQgdG8gaG91c2luZy4="}}}}}}},
        {{"resourceType", "Provenance"},
         {"target", {{{"reference", "DocumentReference/dr-1"}}}},
         {"occurredDateTime", "2026-04-28T10:00:00Z"},
         {"recorded", "2026-05-01T12:00:00Z"},
         {"agent", {{{"role", {{{"text", "social worker"}}}}, {"who", {{"reference", "Practitioner/pr-1"}}}}}}},
        {{"resourceType", "Patient"}, {"id", "p-1"}},
        {{"resourceType", "Observation"}, {"status", "final"}, {"code", {{"text", "weight"}}}},
    });
    const auto read = fhir::read_document(bundle);
    REQUIRE_FALSE(read.error);
    REQUIRE(read.value.records.size() == 1);
    const json note = json(model::write_record(read.value.records[0]));
    CHECK(note.at("type") == "referral");
    CHECK(note.at("text") == "Referred to housing.");
    CHECK(note.at("occurred") == "2026-04-28T10:00:00Z");
    CHECK(note.at("author") == json{{"id", "pr-1"}, {"role", "social worker"}});
    CHECK(read.value.skipped == std::map<std::string, std::size_t>{{"Observation", 1}, {"Patient", 1}});
}

TEST_CASE("an Encounter that no request explains reads as a discharge") {
    const json encounter = {{"resourceType", "Encounter"},
                            {"id", "enc-1"},
                            {"status", "finished"},
                            {"class", {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"}, {"code", "IMP"}}},
                            {"subject", {{"reference", "Patient/p-1"}}},
                            {"period", {{"start", "2026-05-01T09:00:00Z"}, {"end", "2026-05-09T11:00:00Z"}}},
                            {"hospitalization", {{"dischargeDisposition", {{"text", "home with support"}}},
                                                 {"destination", {{"display", "Riverside Housing Trust"}}}}}};
    const auto read = fhir::read_document(encounter);
    REQUIRE_FALSE(read.error);
    REQUIRE(read.value.records.size() == 1);
    const json transition = json(model::write_record(read.value.records[0]));
    CHECK(transition.at("type") == "discharge");
    CHECK(transition.at("date") == "2026-05-09T11:00:00Z");
    CHECK(transition.at("reason") == "home with support");
    CHECK(transition.at("to") == json{{"organisation", "Riverside Housing Trust"}});
}

TEST_CASE("supporting resources that reference nothing read are skipped and counted") {
    const auto read = fhir::read_document(bundle_of({
        {{"resourceType", "Goal"}, {"lifecycleStatus", "active"}, {"description", {{"text", "x"}}}, {"subject", {{"reference", "Patient/p"}}}},
        {{"resourceType", "Communication"}, {"status", "completed"}},
    }));
    REQUIRE_FALSE(read.error);
    CHECK(read.value.records.empty());
    CHECK(read.value.skipped == std::map<std::string, std::size_t>{{"Communication", 1}, {"Goal", 1}});
}

TEST_CASE("FHIR partial dates are refused with the element path") {
    const auto read = fhir::read_document({{"resourceType", "Consent"}, {"status", "active"}, {"dateTime", "2026-03"}});
    REQUIRE(read.error);
    CHECK(read.error->path == "/dateTime");
}
