// Reading records from JSON: every kind, missing fields, and error paths.
#include "casecheck/model/record_json.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using namespace casecheck::model;
using nlohmann::json;

TEST_CASE("a note reads every field of the model") {
    const json value = json::parse(R"({
        "id": "n1", "kind": "note", "client": "c1",
        "author": {"id": "s1", "name": "Sam Example", "role": "case manager"},
        "occurred": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z"},
        "recorded": "2026-03-02T12:00:00Z", "type": "contact", "text": "Visit.", "signed": true,
        "signed_at": "2026-03-02T12:05:00Z", "late_entry": {"flag": true, "reason": "r"},
        "amends": {"id": "n0", "reason": "typo"}, "consent_reconfirmed": true,
        "disclosures": [{"recipient": "GP", "role": "general practitioner", "purpose": "care coordination",
                         "date": "2026-03-02", "items": ["plan"], "exception": "safeguarding",
                         "exception_rationale": "risk of harm"}],
        "unknown_field": {"kept": "ignored"}
    })");
    const auto result = read_record(value, "/record");
    REQUIRE_FALSE(result.error);
    const Record& record = *result.record;
    CHECK(record.id == "n1");
    CHECK(record.client == "c1");
    CHECK(record.kind() == RecordKind::note);
    const Note& note = *record.as<Note>();
    CHECK(note.author->role == "case manager");
    CHECK(note.occurred->end->epoch_ms - note.occurred->start->epoch_ms == 3600000);
    CHECK(note.is_signed == true);
    CHECK(note.late_entry->flag);
    CHECK(note.amends->id == "n0");
    REQUIRE(note.disclosures.size() == 1);
    CHECK(note.disclosures[0].items == std::vector<std::string>{"plan"});
    CHECK(note.disclosures[0].exception == "safeguarding");
    CHECK(note.consent_reconfirmed == true);
}

TEST_CASE("missing optional fields stay missing and null reads as missing") {
    const auto result = read_record(json::parse(R"({"id": "n1", "kind": "note", "author": null})"), "/record");
    REQUIRE(result.record);
    const Note& note = *result.record->as<Note>();
    CHECK_FALSE(note.author);
    CHECK_FALSE(note.recorded);
    CHECK_FALSE(note.is_signed);
    CHECK(note.disclosures.empty());
}

TEST_CASE("each kind reads into its own body") {
    const auto read = [](const char* text) { return read_record(json::parse(text), "/r"); };
    const auto plan = read(R"({"id": "p", "kind": "care_plan", "review": {"frequency": "P4W"},
        "goals": [{"id": "g1", "due": "2026-06-01", "linked_needs": ["housing"]}],
        "activities": [{"id": "a1", "goal_ids": ["g1"], "performer": {"name": "x"}}]})");
    REQUIRE(plan.record);
    CHECK(plan.record->as<CarePlan>()->review->frequency->ms == 28 * 86400000LL);
    CHECK(plan.record->as<CarePlan>()->activities[0].goal_ids == std::vector<std::string>{"g1"});

    const auto transition = read(R"({"id": "t", "kind": "transition", "type": "referral",
        "to": {"organisation": "Housing"}, "plan": {"agreed_with_receiver": true, "steps": ["a", "b"]},
        "information_sent": [{"recipient": "Housing", "date": "2026-03-01"}]})");
    REQUIRE(transition.record);
    CHECK(transition.record->as<Transition>()->plan->steps.size() == 2);

    const auto consent = read(R"({"id": "c", "kind": "consent", "scope": "share", "status": "active",
        "recipients": [{"party": "GP", "role": "general practitioner"}], "purposes": ["care"],
        "capacity": {"assessed": true, "outcome": "has capacity"}})");
    REQUIRE(consent.record);
    CHECK(consent.record->as<Consent>()->recipients[0].party == "GP");

    const auto assessment = read(R"({"id": "a", "kind": "assessment", "domains": ["physical"],
        "risks": [{"type": "self", "level": "low", "strategy": "safety plan"}], "occurred": "2026-03-01T09:00:00Z"})");
    REQUIRE(assessment.record);
    CHECK(assessment.record->as<Assessment>()->risks[0].type == "self");
    CHECK_FALSE(assessment.record->as<Assessment>()->occurred->end);
}

TEST_CASE("schema errors name the JSON pointer of the first bad field") {
    const auto error_path = [](const char* text) {
        const auto result = read_record(json::parse(text), "/records/3");
        REQUIRE(result.error);
        CHECK_FALSE(result.record);
        return result.error->path;
    };
    CHECK(error_path(R"({"kind": "note"})") == "/records/3/id");
    CHECK(error_path(R"({"id": 7, "kind": "note"})") == "/records/3/id");
    CHECK(error_path(R"({"id": "n"})") == "/records/3/kind");
    CHECK(error_path(R"({"id": "n", "kind": "letter"})") == "/records/3/kind");
    CHECK(error_path(R"({"id": "n", "kind": "note", "signed": "yes"})") == "/records/3/signed");
    CHECK(error_path(R"({"id": "n", "kind": "note", "disclosures": [{}, {"items": ["a", 2]}]})") ==
          "/records/3/disclosures/1/items/1");
    CHECK(error_path(R"({"id": "n", "kind": "note", "occurred": 5})") == "/records/3/occurred");
    CHECK(error_path(R"({"id": "n", "kind": "note", "occurred": {"start": "yesterday"}})") == "/records/3/occurred/start");
    CHECK(error_path(R"({"id": "n", "kind": "care_plan", "review": {"frequency": "P1M"}})") ==
          "/records/3/review/frequency");
    CHECK(error_path(R"([1, 2])") == "/records/3");
}

TEST_CASE("schema error messages describe the problem without quoting the value") {
    const auto result = read_record(json::parse(R"({"id": "n", "kind": "note", "recorded": "Zelda's birthday"})"), "/r");
    REQUIRE(result.error);
    CHECK(result.error->message.find("Zelda") == std::string::npos);
    CHECK(result.error->message.find("RFC 3339") != std::string::npos);
}
