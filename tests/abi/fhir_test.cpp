// FHIR through the real ABI: to_fhir, check() reading FHIR JSON, NDJSON and
// XML, and malformed FHIR answered with a path, never a crash.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

using casecheck_test::good_note;
using casecheck_test::load_plugin;
using casecheck_test::prompts_for;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

json late_note() {
    json note = good_note();
    note["id"] = "note-late";
    note["recorded"] = "2026-03-06T10:00:00Z";
    note["disclosures"] = json::array({{{"recipient", "Dr Lin Example"}, {"role", "gp"}, {"purpose", "care coordination"},
                                        {"date", "2026-03-06"}, {"items", {"contact note"}}}});
    return note;
}

std::vector<std::string> resource_types(const json& bundle) {
    std::vector<std::string> types;
    for (const auto& entry : bundle.at("entry")) types.push_back(entry.at("resource").at("resourceType"));
    return types;
}

struct Mapped {
    casecheck_status status;
    std::string document;
    std::string issues;
};

Mapped to_fhir(const casecheck_api& api, const casecheck_engine* engine, const std::string& request, const std::string& options) {
    char* out = nullptr;
    char* issues = nullptr;
    std::size_t out_len = 0, issues_len = 0;
    Mapped mapped;
    mapped.status = api.to_fhir(engine, request.data(), request.size(), options.data(), options.size(), &out, &out_len, &issues, &issues_len);
    if (out != nullptr) mapped.document.assign(out, out_len);
    if (issues != nullptr) mapped.issues.assign(issues, issues_len);
    api.free_buffer(out);
    api.free_buffer(issues);
    return mapped;
}

struct Fixture {
    casecheck::plugin plugin = load_plugin();
    casecheck::engine engine = plugin.create_engine();
    const casecheck_api& api = plugin.api();
};

}  // namespace

TEST_CASE("to_fhir maps a note to DocumentReference, Provenance and a Communication per disclosure") {
    Fixture f;
    const auto mapped = f.engine.to_fhir(request_for(late_note()));
    const json bundle = json::parse(mapped.bundle.view());
    CHECK(bundle.at("resourceType") == "Bundle");
    CHECK(bundle.at("type") == "collection");
    // The note's resources, then the context's consent to engage.
    CHECK(resource_types(bundle) == std::vector<std::string>{"DocumentReference", "Provenance", "Communication", "Consent"});
    const json& document = bundle["entry"][0]["resource"];
    CHECK(document.at("date") == "2026-03-06T10:00:00Z");
    CHECK(document.at("context").at("period").at("start") == "2026-03-02T10:00:00Z");
    const json& provenance = bundle["entry"][1]["resource"];
    CHECK(provenance.at("recorded") == "2026-03-06T10:00:00Z");
    CHECK(provenance.at("occurredDateTime") == "2026-03-02T10:00:00Z");
    CHECK(provenance.at("target")[0].at("reference") == bundle["entry"][0].at("fullUrl"));
    const json& communication = bundle["entry"][2]["resource"];
    CHECK(communication.at("payload")[0].at("contentReference").at("reference") == bundle["entry"][0].at("fullUrl"));
    CHECK(json::parse(mapped.issues.view()).empty());
}

TEST_CASE("to_fhir writes FHIR XML and transaction Bundles on request") {
    Fixture f;
    const auto xml = f.engine.to_fhir(request_for(late_note()), R"({"format": "xml"})");
    CHECK(xml.bundle.view().rfind("<?xml", 0) == 0);
    CHECK(xml.bundle.view().find("<Bundle xmlns=\"http://hl7.org/fhir\">") != std::string_view::npos);

    const json transaction = json::parse(f.engine.to_fhir(request_for(late_note()), R"({"bundle_type": "transaction"})").bundle.view());
    CHECK(transaction.at("type") == "transaction");
    const json& request = transaction["entry"][0].at("request");
    CHECK(request.at("method") == "POST");
    CHECK(request.at("url") == "DocumentReference");
    CHECK(request.at("ifNoneExist") == "identifier=https%3A%2F%2Fcasecheck.example%2Ffhir%2Frecord-id|note-late");

    json awkward = late_note();
    awkward["id"] = "note 42/B & more|x";
    const json encoded = json::parse(f.engine.to_fhir(request_for(awkward), R"({"bundle_type": "transaction"})").bundle.view());
    CHECK(encoded["entry"][0]["request"]["ifNoneExist"] ==
          "identifier=https%3A%2F%2Fcasecheck.example%2Ffhir%2Frecord-id|note%2042%2FB%20%26%20more%7Cx");
}

TEST_CASE("to_fhir reports what FHIR cannot carry instead of inventing it") {
    Fixture f;
    json note = late_note();
    note["recorded"] = "2026-03-06";
    note["text"] = "";
    const auto mapped = f.engine.to_fhir(request_for(note));
    const json issues = json::parse(mapped.issues.view());
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].at("path") == "/text");
    CHECK(issues[1].at("path") == "/recorded");
    const json bundle = json::parse(mapped.bundle.view());
    const json& document = bundle["entry"][0]["resource"];
    CHECK_FALSE(document.contains("date"));
    CHECK(document["content"][0]["attachment"]["extension"][0]["url"] == "http://hl7.org/fhir/StructureDefinition/data-absent-reason");
    CHECK(bundle["entry"][1]["resource"]["_recorded"]["extension"][0]["valueCode"] == "unknown");
}

TEST_CASE("text that XML cannot carry maps to FHIR JSON but is refused as FHIR XML") {
    Fixture f;
    json note = late_note();
    note["author"]["name"] = "Sam\u0007Example";
    CHECK(to_fhir(f.api, f.engine.handle(), request_for(note), "").status == CASECHECK_OK);
    const auto xml = to_fhir(f.api, f.engine.handle(), request_for(note), R"({"format": "xml"})");
    CHECK(xml.status == CASECHECK_E_SCHEMA);
    CHECK(xml.document.find("control character") != std::string::npos);
}

TEST_CASE("to_fhir rejects bad options and arguments") {
    Fixture f;
    const std::string request = request_for(late_note());
    CHECK(to_fhir(f.api, f.engine.handle(), request, R"({"format": "pdf"})").status == CASECHECK_E_SCHEMA);
    const auto unknown = to_fhir(f.api, f.engine.handle(), request, R"({"colour": "red"})");
    CHECK(unknown.status == CASECHECK_E_SCHEMA);
    CHECK(unknown.document.find("options /colour") != std::string::npos);
    char* out = nullptr;
    std::size_t length = 0;
    CHECK(f.api.to_fhir(nullptr, request.data(), request.size(), nullptr, 0, &out, &length, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(f.api.to_fhir(f.engine.handle(), request.data(), request.size(), nullptr, 0, nullptr, &length, nullptr, nullptr) ==
          CASECHECK_E_INVALID_ARGUMENT);
    // The issues output is optional.
    CHECK(f.api.to_fhir(f.engine.handle(), request.data(), request.size(), nullptr, 0, &out, &length, nullptr, nullptr) == CASECHECK_OK);
    f.api.free_buffer(out);
}

TEST_CASE("check reads a FHIR Bundle as one client's case and keeps the record ids") {
    Fixture f;
    json bundle = json::parse(f.engine.to_fhir(request_for(late_note())).bundle.view());
    bundle["entry"].push_back({{"fullUrl", "urn:uuid:0c3d6c37-7b6f-4cf2-9d5e-000000000001"},
                               {"resource", {{"resourceType", "Patient"}, {"name", {{{"family", "Example"}}}}}}});
    const json response = json::parse(f.engine.check(bundle.dump()).view());
    CHECK(response.at("records_checked") == 2);  // the note and its consent to engage
    CHECK(response.at("skipped") == json{{"Patient", 1}});
    const auto prompts = prompts_for(response, "RK-01");
    REQUIRE(prompts.size() == 1);
    CHECK(prompts[0].at("record") == "note-late");
    CHECK(prompts[0].at("severity") == "critical");
}

TEST_CASE("check reads FHIR XML and NDJSON to the same prompts as FHIR JSON") {
    Fixture f;
    const std::string request = request_for(late_note());
    const json from_json = json::parse(f.engine.check(f.engine.to_fhir(request).bundle.view()).view());
    const json from_xml = json::parse(f.engine.check(f.engine.to_fhir(request, R"({"format": "xml"})").bundle.view()).view());
    CHECK(from_xml == from_json);

    // NDJSON carries no fullUrls, so resources refer to each other by type and id, as bulk exports do.
    const json entries = json::parse(f.engine.to_fhir(request).bundle.view()).at("entry");
    std::vector<std::pair<std::string, std::string>> renames;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        renames.emplace_back(entries[i].at("fullUrl"), entries[i]["resource"].at("resourceType").get<std::string>() + "/r" + std::to_string(i));
    }
    std::string ndjson;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        json resource = entries[i].at("resource");
        resource["id"] = "r" + std::to_string(i);
        std::string line = resource.dump();
        for (const auto& [urn, reference] : renames) {
            for (auto at = line.find(urn); at != std::string::npos; at = line.find(urn)) line.replace(at, urn.size(), reference);
        }
        CHECK(line.find("urn:uuid:") == std::string::npos);
        ndjson += line + "\n";
    }
    const json from_ndjson = json::parse(f.engine.check(ndjson).view());
    CHECK(from_ndjson.at("records_checked") == 2);
    CHECK(prompts_for(from_ndjson, "RK-01").size() == 1);
}

TEST_CASE("malformed FHIR is refused with the element path, line or column") {
    Fixture f;
    const auto refused = [&](const std::string& request, casecheck_status status, const std::string& where) {
        const auto outcome = casecheck_test::check(f.api, f.engine.handle(), request);
        CHECK(outcome.status == status);
        CHECK(outcome.text.find(where) != std::string::npos);
        return outcome.text;
    };
    SECTION("an unknown resourceType") {
        refused(R"({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Banana"}}]})",
                CASECHECK_E_SCHEMA, "/entry/0/resource/resourceType");
    }
    SECTION("a resourceType that is not a string") {
        refused(R"({"resourceType": 7})", CASECHECK_E_SCHEMA, "/resourceType");
    }
    SECTION("an element of the wrong type") {
        refused(R"({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "DocumentReference", "status": "current", "date": 5}}]})",
                CASECHECK_E_SCHEMA, "/entry/0/resource/date");
    }
    SECTION("a single object where FHIR has an array") {
        refused(R"({"resourceType": "Consent", "status": "active", "provision": {"actor": {"role": {}}}})", CASECHECK_E_SCHEMA,
                "/provision/actor");
    }
    SECTION("a Bundle entry without a resource") {
        refused(R"({"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "urn:uuid:1"}]})", CASECHECK_E_SCHEMA,
                "/entry/0/resource");
    }
    SECTION("broken XML") {
        const auto message = refused("<Bundle xmlns=\"http://hl7.org/fhir\">\n  <type value=\"collection\">\n</Bundle>", CASECHECK_E_PARSE, "line");
        CHECK(message.find("column") != std::string::npos);
    }
    SECTION("an XML element FHIR does not define") {
        refused(R"(<Consent xmlns="http://hl7.org/fhir"><status value="active"/><colour value="red"/></Consent>)", CASECHECK_E_SCHEMA,
                "colour");
    }
    SECTION("an XML boolean that is not true or false") {
        refused(R"(<Consent xmlns="http://hl7.org/fhir"><verification><verified value="maybe"/></verification></Consent>)",
                CASECHECK_E_SCHEMA, "verified");
    }
    SECTION("a bad NDJSON line names its line") {
        refused("{\"resourceType\": \"Consent\", \"status\": \"active\"}\n{\"resourceType\": \n", CASECHECK_E_PARSE, "line 2");
    }
    SECTION("XML that is not UTF-8") { refused("<Consent xmlns=\"http://hl7.org/fhir\">\xFF</Consent>", CASECHECK_E_ENCODING, "byte 37"); }
}
