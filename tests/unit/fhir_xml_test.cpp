// FHIR R4 JSON <-> XML: round trips for every covered resource type, element order, and errors.
#include "casecheck/fhir/xml.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using casecheck::fhir::read_xml;
using casecheck::fhir::write_xml;
using nlohmann::ordered_json;

namespace {

// One realistic resource of each covered type, between them using primitive extensions and ids,
// primitive arrays with nulls, Element ids, choice types, narrative, and every JSON number kind.
const std::vector<std::pair<const char*, const char*>> kResources = {
    {"Patient", R"json({
        "resourceType": "Patient", "id": "client-17",
        "meta": {"versionId": "3", "lastUpdated": "2024-03-01T10:15:00+00:00",
                 "profile": ["http://example.org/fhir/StructureDefinition/client"]},
        "text": {"status": "generated",
                 "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Ana <b>Rivera</b>, born 17 May 1980 &amp; known to the service</p></div>"},
        "extension": [{"url": "http://example.org/fhir/StructureDefinition/preferred-contact", "valueCode": "phone"}],
        "identifier": [{"use": "official", "system": "urn:example:case-id", "value": "C-2024-0017"}],
        "active": true,
        "name": [{"id": "name-1", "use": "official", "family": "Rivera", "given": ["Ana", null, "Lucía"],
                  "_given": [null, {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                                   "valueCode": "masked"}]}, {"id": "given-3"}]}],
        "telecom": [{"system": "phone", "value": "+44 20 7946 0017", "use": "mobile", "rank": 1}],
        "gender": "female",
        "birthDate": "1980-05-17",
        "_birthDate": {"id": "bd", "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                                                  "valueDateTime": "1980-05-17T04:30:00+01:00"}]},
        "deceasedBoolean": false,
        "address": [{"use": "home", "line": ["12 Harbour Row", "Flat 3"], "city": "Leeds", "postalCode": "LS1 4AB",
                     "country": "GB", "period": {"start": "2019-01-01"}}],
        "multipleBirthInteger": 2,
        "contact": [{"relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "N"}]}],
                     "name": {"text": "Jo Rivera"}, "telecom": [{"system": "phone", "value": "+44 20 7946 0018"}]}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es"}]}, "preferred": true}],
        "generalPractitioner": [{"reference": "Practitioner/gp-4", "display": "Dr Okafor"}]
    })json"},
    {"DocumentReference", R"json({
        "resourceType": "DocumentReference", "id": "note-88",
        "masterIdentifier": {"system": "urn:example:note", "value": "N-88"},
        "status": "current", "docStatus": "final",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3", "display": "Progress note"}]},
        "category": [{"text": "Case note"}],
        "subject": {"reference": "Patient/client-17"},
        "date": "2024-03-01T11:02:13.250Z",
        "author": [{"reference": "Practitioner/sw-2", "display": "Sam Ward"}],
        "relatesTo": [{"code": "appends", "target": {"reference": "DocumentReference/note-87"}}],
        "description": "Home visit.\nClient well; tenancy issue raised.",
        "securityLabel": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]}],
        "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "language": "en-GB",
                                    "data": "SG9tZSB2aXNpdCAmIDxyZXZpZXc+", "size": 21, "title": "Visit \"A\" <1>",
                                    "creation": "2024-03-01T10:30:00Z"},
                     "format": {"system": "urn:oid:1.3.6.1.4.1.19376.1.2.3", "code": "urn:ihe:iti:xds:2017:mimeTypeSufficient"}}],
        "context": {"encounter": [{"reference": "Encounter/visit-5"}],
                    "period": {"start": "2024-03-01T10:00:00Z", "end": "2024-03-01T10:45:00Z"},
                    "related": [{"reference": "CarePlan/plan-1"}]}
    })json"},
    {"Composition", R"json({
        "resourceType": "Composition", "id": "review-3",
        "identifier": {"system": "urn:example:review", "value": "R-3"},
        "status": "final",
        "type": {"coding": [{"system": "http://loinc.org", "code": "18842-5"}]},
        "subject": {"reference": "Patient/client-17"},
        "date": "2024-03-02",
        "author": [{"reference": "Practitioner/sw-2"}],
        "title": "Six-month review",
        "confidentiality": "R",
        "attester": [{"mode": "professional", "time": "2024-03-02T09:00:00Z", "party": {"reference": "Practitioner/lead-1"}}],
        "event": [{"code": [{"text": "review"}], "period": {"start": "2023-09-01", "end": "2024-03-01"}}],
        "section": [{"title": "Goals", "code": {"text": "goals"}, "mode": "snapshot",
                     "text": {"status": "additional", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><ul><li>Stable housing</li><li>Work</li></ul></div>"},
                     "entry": [{"reference": "Goal/goal-1"}],
                     "section": [{"title": "Housing", "entry": [{"reference": "Goal/goal-1"}],
                                  "emptyReason": {"text": "withheld"}}]}]
    })json"},
    {"Provenance", R"json({
        "resourceType": "Provenance", "id": "prov-9",
        "target": [{"reference": "DocumentReference/note-88"}],
        "occurredPeriod": {"start": "2024-03-01T10:00:00Z", "end": "2024-03-01T10:45:00Z"},
        "recorded": "2024-03-01T11:02:13Z",
        "policy": ["http://example.org/policy/records", "http://example.org/policy/consent"],
        "activity": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "code": "CREATE"}]},
        "agent": [{"type": {"coding": [{"code": "author"}]}, "role": [{"text": "social worker"}],
                   "who": {"reference": "Practitioner/sw-2"}, "onBehalfOf": {"reference": "Organization/council"}}],
        "entity": [{"role": "source", "what": {"reference": "Encounter/visit-5"},
                    "agent": [{"who": {"reference": "Patient/client-17"}}]}],
        "signature": [{"type": [{"system": "urn:iso-astm:E1762-95:2013", "code": "1.2.840.10065.1.12.1.1"}],
                       "when": "2024-03-01T11:03:00Z", "who": {"reference": "Practitioner/sw-2"},
                       "sigFormat": "application/jose", "data": "ZXlKaGJHY2lPaUpTVXpJMU5pSjk="}]
    })json"},
    {"CarePlan", R"json({
        "resourceType": "CarePlan", "id": "plan-1",
        "instantiatesCanonical": ["http://example.org/fhir/PlanDefinition/housing"],
        "status": "active", "intent": "plan",
        "title": "Support plan",
        "subject": {"reference": "Patient/client-17"},
        "period": {"start": "2024-01-10"},
        "created": "2024-01-10T14:00:00Z",
        "_created": {"extension": [{"url": "http://example.org/fhir/StructureDefinition/entered-late", "valueBoolean": true}]},
        "author": {"reference": "Practitioner/sw-2"},
        "contributor": [{"reference": "Patient/client-17"}, {"reference": "RelatedPerson/jo"}],
        "goal": [{"reference": "Goal/goal-1"}],
        "activity": [{"progress": [{"authorString": "Sam Ward", "time": "2024-02-01T09:00:00Z", "text": "Viewing *booked*"}],
                      "detail": {"kind": "Task", "code": {"text": "Housing application"}, "status": "in-progress",
                                 "doNotPerform": false,
                                 "scheduledTiming": {"repeat": {"boundsPeriod": {"start": "2024-01-15"}, "frequency": 1,
                                                                "period": 2.5, "periodUnit": "wk",
                                                                "dayOfWeek": ["mon", "thu"], "timeOfDay": ["09:30:00"]}},
                                 "performer": [{"reference": "Practitioner/sw-2"}],
                                 "dailyAmount": {"value": 0.25, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"},
                                 "description": "Complete and submit the application"}}],
        "note": [{"text": "Client agreed the plan."}]
    })json"},
    {"Goal", R"json({
        "resourceType": "Goal", "id": "goal-1",
        "lifecycleStatus": "active",
        "achievementStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": "improving"}]},
        "priority": {"text": "high"},
        "description": {"text": "Move into stable housing"},
        "subject": {"reference": "Patient/client-17"},
        "startDate": "2024-01-10",
        "target": [{"measure": {"text": "nights in stable housing per week"}, "detailInteger": 7, "dueDate": "2024-06-30"},
                   {"detailRange": {"low": {"value": 1}, "high": {"value": 3.75}}, "dueDuration": {"value": 26, "unit": "wk"}}],
        "statusDate": "2024-03-01",
        "expressedBy": {"reference": "Patient/client-17"},
        "note": [{"authorReference": {"reference": "Practitioner/sw-2"}, "text": "Client's own words."}]
    })json"},
    {"ServiceRequest", R"json({
        "resourceType": "ServiceRequest", "id": "referral-4",
        "identifier": [{"system": "urn:example:referral", "value": "RF-4"}],
        "requisition": {"value": "REQ-1"},
        "status": "active", "intent": "order", "priority": "urgent", "doNotPerform": false,
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "410606002", "display": "Social service procedure"}]},
        "quantityQuantity": {"value": 6, "unit": "sessions"},
        "subject": {"reference": "Patient/client-17"},
        "occurrencePeriod": {"start": "2024-03-04", "end": "2024-04-15"},
        "asNeededBoolean": false,
        "authoredOn": "2024-03-01T12:00:00Z",
        "requester": {"reference": "Practitioner/sw-2"},
        "performer": [{"reference": "Organization/debt-advice", "identifier": {"value": "ORG-7"}}],
        "reasonCode": [{"text": "rent arrears"}],
        "note": [{"text": "Interpreter needed."}],
        "patientInstruction": "Bring recent letters."
    })json"},
    {"Task", R"json({
        "resourceType": "Task", "id": "task-12",
        "instantiatesUri": "http://example.org/protocols/review",
        "groupIdentifier": {"value": "G-1"},
        "status": "requested", "intent": "order", "priority": "routine",
        "code": {"text": "Review consent"},
        "description": "Reconfirm information-sharing consent",
        "focus": {"reference": "Consent/consent-2"},
        "for": {"reference": "Patient/client-17"},
        "executionPeriod": {"start": "2024-03-05"},
        "authoredOn": "2024-03-01", "lastModified": "2024-03-01T12:30:00Z",
        "owner": {"reference": "Practitioner/sw-2"},
        "restriction": {"repetitions": 1, "recipient": [{"reference": "Practitioner/sw-2"}]},
        "input": [{"type": {"text": "due"}, "valueDate": "2024-03-15"},
                  {"type": {"text": "attempts"}, "valueUnsignedInt": 0},
                  {"type": {"text": "weight"}, "valueDecimal": 0.125}],
        "output": [{"type": {"text": "result"}, "valueCodeableConcept": {"text": "pending"}}]
    })json"},
    {"Communication", R"json({
        "resourceType": "Communication", "id": "letter-6",
        "basedOn": [{"reference": "ServiceRequest/referral-4"}],
        "status": "completed",
        "category": [{"text": "referral letter"}],
        "medium": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode", "code": "MAILWRIT"}]}],
        "subject": {"reference": "Patient/client-17"},
        "sent": "2024-03-01T15:00:00Z",
        "recipient": [{"reference": "Organization/debt-advice"}],
        "sender": {"reference": "Practitioner/sw-2"},
        "payload": [{"contentString": "Referral for debt advice; see attached."},
                    {"contentAttachment": {"contentType": "application/pdf", "url": "https://example.org/docs/4.pdf", "size": 40213}},
                    {"contentReference": {"reference": "DocumentReference/note-88"}}]
    })json"},
    {"Encounter", R"json({
        "resourceType": "Encounter", "id": "visit-5",
        "status": "finished",
        "statusHistory": [{"status": "arrived", "period": {"start": "2024-03-01T10:00:00Z", "end": "2024-03-01T10:05:00Z"}}],
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HH", "display": "home health"},
        "type": [{"text": "home visit"}],
        "subject": {"reference": "Patient/client-17"},
        "participant": [{"type": [{"text": "primary performer"}], "individual": {"reference": "Practitioner/sw-2"}}],
        "period": {"start": "2024-03-01T10:00:00Z", "end": "2024-03-01T10:45:00Z"},
        "length": {"value": 45, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"},
        "reasonCode": [{"text": "planned review"}],
        "diagnosis": [{"condition": {"reference": "Condition/arrears"}, "rank": 1}],
        "hospitalization": {"specialArrangement": [{"text": "interpreter"}]},
        "location": [{"location": {"display": "Client's home"}, "status": "completed"}],
        "serviceProvider": {"reference": "Organization/council"}
    })json"},
    {"Consent", R"json({
        "resourceType": "Consent", "id": "consent-2",
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": "Patient/client-17"},
        "dateTime": "2024-01-10T14:05:00Z",
        "performer": [{"reference": "Patient/client-17"}],
        "sourceAttachment": {"title": "Signed form", "url": "https://example.org/forms/c2.pdf"},
        "policy": [{"authority": "https://example.org", "uri": "https://example.org/policy/sharing"}],
        "verification": [{"verified": true, "verifiedWith": {"reference": "Patient/client-17"}, "verificationDate": "2024-01-10"}],
        "provision": {"type": "permit", "period": {"start": "2024-01-10", "end": "2025-01-10"},
                      "actor": [{"role": {"text": "recipient"}, "reference": {"reference": "Organization/debt-advice"}}],
                      "action": [{"text": "disclose"}],
                      "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT"}],
                      "data": [{"meaning": "related", "reference": {"reference": "CarePlan/plan-1"}}],
                      "provision": [{"type": "deny", "class": [{"code": "mental-health"}]}]}
    })json"},
    {"DetectedIssue", R"json({
        "resourceType": "DetectedIssue", "id": "issue-3",
        "status": "preliminary",
        "code": {"text": "late entry"},
        "severity": "moderate",
        "patient": {"reference": "Patient/client-17"},
        "identifiedDateTime": "2024-03-02T08:00:00Z",
        "author": {"display": "casecheck"},
        "implicated": [{"reference": "DocumentReference/note-88"}],
        "evidence": [{"code": [{"text": "recorded 26 hours after the visit"}], "detail": [{"reference": "Encounter/visit-5"}]}],
        "detail": "The note was written more than 24 hours after the visit.",
        "mitigation": [{"action": {"text": "late-entry reason added"}, "date": "2024-03-02T09:00:00Z"}]
    })json"},
    {"OperationOutcome", R"json({
        "resourceType": "OperationOutcome", "id": "outcome-1",
        "issue": [{"severity": "warning", "code": "business-rule",
                   "details": {"text": "Entry made late"}, "diagnostics": "RK-01",
                   "location": ["DocumentReference.date"], "expression": ["DocumentReference.date", "DocumentReference.context.period"]}]
    })json"},
    {"MeasureReport", R"json({
        "resourceType": "MeasureReport", "id": "audit-2024q1",
        "status": "complete", "type": "summary",
        "measure": "http://example.org/fhir/Measure/contemporaneous-notes",
        "date": "2024-04-01T00:00:00Z",
        "period": {"start": "2024-01-01", "end": "2024-03-31"},
        "improvementNotation": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "code": "increase"}]},
        "group": [{"code": {"text": "notes"},
                   "population": [{"code": {"text": "denominator"}, "count": 240}, {"code": {"text": "numerator"}, "count": 0}],
                   "measureScore": {"value": 0.9583, "unit": "%"},
                   "stratifier": [{"code": [{"text": "team"}],
                                   "stratum": [{"value": {"text": "north"},
                                                "component": [{"code": {"text": "site"}, "value": {"text": "A"}}],
                                                "population": [{"count": -1}], "measureScore": {"value": 1.0}}]}]}]
    })json"},
};

ordered_json parse(const char* text) { return ordered_json::parse(text); }

// A collection Bundle holding every sample resource, with entry ids, search scores and requests.
ordered_json bundle_of_all() {
    ordered_json bundle = {{"resourceType", "Bundle"}, {"id", "export-1"}, {"type", "collection"},
                           {"timestamp", "2024-04-01T00:00:00Z"}, {"total", kResources.size()}};
    bundle["link"] = ordered_json::array({{{"relation", "self"}, {"url", "https://example.org/fhir/Bundle/export-1"}}});
    for (const auto& [type, text] : kResources) {
        ordered_json resource = parse(text);
        const std::string id = resource["id"];
        bundle["entry"].push_back({{"id", "e-" + id},
                                   {"fullUrl", "https://example.org/fhir/" + std::string(type) + "/" + id},
                                   {"resource", std::move(resource)},
                                   {"search", {{"mode", "match"}, {"score", 0.5}}}});
    }
    return bundle;
}

// Converts to XML and back, requiring success both ways; XML -> JSON -> XML must give the same bytes too.
ordered_json round_trip(const ordered_json& resource) {
    const auto written = write_xml(resource);
    INFO((written.error ? written.error->path + ": " + written.error->message : std::string()));
    REQUIRE_FALSE(written.error);
    const auto read = read_xml(written.xml);
    INFO((read.error ? read.error->path + ": " + read.error->message : std::string()));
    REQUIRE_FALSE(read.error);
    CHECK(write_xml(read.resource).xml == written.xml);
    return read.resource;
}

std::string error_of(std::string_view xml) {
    const auto read = read_xml(xml);
    return read.error ? read.error->path + ": " + read.error->message : "no error";
}

std::string fhir_xml(const std::string& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Patient xmlns=\"http://hl7.org/fhir\">" + body + "</Patient>";
}

}  // namespace

TEST_CASE("every covered resource type survives JSON to XML and back unchanged") {
    for (const auto& [type, text] : kResources) {
        INFO(type);
        const ordered_json resource = parse(text);
        CHECK(nlohmann::json(round_trip(resource)) == nlohmann::json(resource));
    }
}

TEST_CASE("a Bundle of every covered resource type survives JSON to XML and back unchanged") {
    const ordered_json bundle = bundle_of_all();
    CHECK(nlohmann::json(round_trip(bundle)) == nlohmann::json(bundle));
}

TEST_CASE("resources nest in contained and in Bundle entries as <resource><Type>") {
    ordered_json bundle = {{"resourceType", "Bundle"}, {"type", "transaction"}};
    ordered_json plan = parse(kResources[4].second);
    plan["contained"] = ordered_json::array({{{"resourceType", "Goal"}, {"id", "g"}, {"lifecycleStatus", "proposed"},
                                              {"description", {{"text", "d"}}}, {"subject", {{"reference", "#"}}}}});
    bundle["entry"] = ordered_json::array(
        {{{"resource", plan}, {"request", {{"method", "PUT"}, {"url", "CarePlan/plan-1"}}}}});
    const auto written = write_xml(bundle);
    REQUIRE_FALSE(written.error);
    CHECK(written.xml.find("    <resource>\n      <CarePlan>\n        <id value=\"plan-1\"/>\n") != std::string::npos);
    CHECK(written.xml.find("        <contained>\n          <Goal>\n") != std::string::npos);
    CHECK(nlohmann::json(round_trip(bundle)) == nlohmann::json(bundle));
}

// Expected text checked by hand against the R4 specification: Patient (id, meta, extension,
// identifier, active, name, gender, birthDate), Meta (versionId before lastUpdated), Identifier
// (system before value), HumanName (use, family, given), and Extension's url as an attribute.
TEST_CASE("element order follows the StructureDefinitions whatever the JSON key order") {
    const ordered_json shuffled = parse(R"json({
        "birthDate": "1980-05-17",
        "name": [{"given": ["Ana", "María"], "family": "Rivera", "use": "official"}],
        "gender": "female",
        "identifier": [{"value": "12345", "system": "urn:example:mrn"}],
        "active": true,
        "extension": [{"valueString": "she/her", "url": "http://example.org/fhir/StructureDefinition/pronouns"}],
        "meta": {"lastUpdated": "2024-03-01T10:00:00Z", "versionId": "2"},
        "id": "p1",
        "resourceType": "Patient"
    })json");
    const auto written = write_xml(shuffled);
    REQUIRE_FALSE(written.error);
    CHECK(written.xml == R"xml(<?xml version="1.0" encoding="UTF-8"?>
<Patient xmlns="http://hl7.org/fhir">
  <id value="p1"/>
  <meta>
    <versionId value="2"/>
    <lastUpdated value="2024-03-01T10:00:00Z"/>
  </meta>
  <extension url="http://example.org/fhir/StructureDefinition/pronouns">
    <valueString value="she/her"/>
  </extension>
  <identifier>
    <system value="urn:example:mrn"/>
    <value value="12345"/>
  </identifier>
  <active value="true"/>
  <name>
    <use value="official"/>
    <family value="Rivera"/>
    <given value="Ana"/>
    <given value="María"/>
  </name>
  <gender value="female"/>
  <birthDate value="1980-05-17"/>
</Patient>
)xml");
}

TEST_CASE("the same resource always gives the same bytes, whatever its key order") {
    const ordered_json bundle = bundle_of_all();
    const std::string first = write_xml(bundle).xml;
    CHECK(write_xml(bundle).xml == first);
    // Reading sorts the keys into table order, so the re-read JSON is the same resource in another order.
    const ordered_json reordered = ordered_json::parse(nlohmann::json(bundle).dump());
    CHECK(write_xml(reordered).xml == first);
}

TEST_CASE("primitive values, ids and extensions map to value attributes, id attributes and child elements") {
    const ordered_json patient = parse(kResources[0].second);
    const auto written = write_xml(patient);
    REQUIRE_FALSE(written.error);
    const std::string& xml = written.xml;
    CHECK(xml.find("<name id=\"name-1\">") != std::string::npos);
    CHECK(xml.find("<given value=\"Ana\"/>\n    <given>\n      <extension "
                   "url=\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\">\n        <valueCode "
                   "value=\"masked\"/>\n      </extension>\n    </given>\n    <given id=\"given-3\" value=\"Lucía\"/>") !=
          std::string::npos);
    CHECK(xml.find("<birthDate id=\"bd\" value=\"1980-05-17\">\n    <extension") != std::string::npos);
    CHECK(xml.find("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Ana <b>Rivera</b>") != std::string::npos);
}

TEST_CASE("a primitive with only an extension is written under its underscore name alone") {
    const auto read = read_xml(fhir_xml("<gender><extension url=\"http://x\"><valueString value=\"s\"/></extension></gender>"
                                        "<name><given><extension url=\"http://y\"><valueBoolean value=\"false\"/></extension>"
                                        "</given><given value=\"B\"/></name>"));
    REQUIRE_FALSE(read.error);
    CHECK(read.resource.dump() ==
          R"({"resourceType":"Patient","name":[{"given":[null,"B"],"_given":[{"extension":[{"url":"http://y",)"
          R"("valueBoolean":false}]},null]}],"_gender":{"extension":[{"url":"http://x","valueString":"s"}]}})");
}

TEST_CASE("booleans, integers and decimals read as JSON booleans and numbers") {
    const auto read = read_xml(fhir_xml(
        "<active value=\"false\"/><multipleBirthInteger value=\"-3\"/>"
        "<extension url=\"http://a\"><valueDecimal value=\"1.50\"/></extension>"
        "<extension url=\"http://b\"><valueDecimal value=\"100\"/></extension>"
        "<extension url=\"http://c\"><valueDecimal value=\"2.0e3\"/></extension>"
        "<extension url=\"http://d\"><valuePositiveInt value=\"2147483647\"/></extension>"
        "<extension url=\"http://e\"><valueUnsignedInt value=\"0\"/></extension>"));
    REQUIRE_FALSE(read.error);
    const ordered_json& r = read.resource;
    CHECK(r["active"] == false);
    CHECK(r["multipleBirthInteger"].is_number_integer());
    CHECK(r["multipleBirthInteger"] == -3);
    CHECK(r["extension"][0]["valueDecimal"] == 1.5);
    CHECK(r["extension"][1]["valueDecimal"].is_number_integer());
    CHECK(r["extension"][1]["valueDecimal"] == 100);
    CHECK(r["extension"][2]["valueDecimal"] == 2000.0);
    CHECK(r["extension"][3]["valuePositiveInt"] == 2147483647);
    CHECK(r["extension"][4]["valueUnsignedInt"] == 0);
    // Written back, a decimal keeps what the JSON number can say: 1.50 became 1.5, 100 stays an integer.
    const std::string xml = write_xml(r).xml;
    CHECK(xml.find("<valueDecimal value=\"1.5\"/>") != std::string::npos);
    CHECK(xml.find("<valueDecimal value=\"100\"/>") != std::string::npos);
    CHECK(xml.find("<valueDecimal value=\"2000.0\"/>") != std::string::npos);
}

TEST_CASE("attribute values keep markup characters and line breaks") {
    const ordered_json outcome = {{"resourceType", "OperationOutcome"},
                                  {"issue", {{{"severity", "error"}, {"code", "invalid"},
                                              {"diagnostics", "a < b & \"c\" > d\n\ttabbed\r\n"}}}}};
    const auto written = write_xml(outcome);
    REQUIRE_FALSE(written.error);
    CHECK(written.xml.find("value=\"a &lt; b &amp; &quot;c&quot; &gt; d&#10;&#9;tabbed&#13;&#10;\"") != std::string::npos);
    CHECK(nlohmann::json(round_trip(outcome)) == nlohmann::json(outcome));
    // pugixml would read other control characters; they are refused so that whatever reads also writes.
    CHECK(error_of(fhir_xml("<gender value=\"a&#1;b\"/>")) ==
          "/Patient/gender: contains a control character, which XML cannot carry (line 2, column 38)");
}

TEST_CASE("a narrative div is read as a string that declares the XHTML namespace") {
    const auto read = read_xml(
        "<f:Patient xmlns:f=\"http://hl7.org/fhir\" xmlns=\"http://www.w3.org/1999/xhtml\">"
        "<f:text><f:status value=\"generated\"/><div><p>x <i>y</i>\n z</p></div></f:text></f:Patient>");
    REQUIRE_FALSE(read.error);
    CHECK(read.resource["text"]["div"] == "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x <i>y</i>\n z</p></div>");
}

TEST_CASE("comments, whitespace and a schema location attribute are not content") {
    const auto read = read_xml(
        "<?xml version=\"1.0\"?>\n<!-- exported -->\n<Patient xmlns=\"http://hl7.org/fhir\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://hl7.org/fhir fhir-all.xsd\">\n"
        "  <!-- the id -->\n  <id value=\"p\"/>\n</Patient>\n");
    REQUIRE_FALSE(read.error);
    CHECK(read.resource.dump() == R"({"resourceType":"Patient","id":"p"})");
}

TEST_CASE("resources of types the tables do not cover are kept as their type alone inside a Bundle") {
    const auto read = read_xml(R"(<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
        <entry><resource><Observation><status value="final"/><anything/></Observation></resource></entry>
        <entry><resource><Patient><id value="p"/></Patient></resource></entry></Bundle>)");
    REQUIRE_FALSE(read.error);
    CHECK(read.resource["entry"][0]["resource"].dump() == R"({"resourceType":"Observation"})");
    CHECK(read.resource["entry"][1]["resource"]["id"] == "p");
}

TEST_CASE("malformed XML is located by line and column without quoting the text") {
    const auto read = read_xml("<Patient xmlns=\"http://hl7.org/fhir\">\n  <id value=\"secret\">\n</Patient>");
    REQUIRE(read.error);
    CHECK(read.error->path.empty());
    CHECK(read.error->message == "not well-formed XML: Start-end tags mismatch at line 3, column 3");
    CHECK(read.error->message.find("secret") == std::string::npos);
    CHECK(error_of("") == ": not well-formed XML: No document element found at line 1, column 1");
}

TEST_CASE("a root element outside the FHIR namespace is refused") {
    CHECK(error_of("<Patient><id value=\"p\"/></Patient>") ==
          "/Patient: the root element is not in the FHIR namespace http://hl7.org/fhir (line 1, column 1)");
    CHECK(error_of("<Patient xmlns=\"http://hl7.org/fhir/\"/>").find("not in the FHIR namespace") != std::string::npos);
}

TEST_CASE("a root element that is not a covered resource type is refused") {
    CHECK(error_of("<Observation xmlns=\"http://hl7.org/fhir\"/>") ==
          "/Observation: the root element is not a resource type the tables cover (line 1, column 1)");
    CHECK(error_of("<Foo xmlns=\"http://hl7.org/fhir\"/>") ==
          "/Foo: the root element is not a resource type the tables cover (line 1, column 1)");
}

TEST_CASE("an unknown element is named by its path, with 1-based indexes on repeating elements") {
    const std::string xml = R"(<Bundle xmlns="http://hl7.org/fhir">
  <entry><resource><Patient/></resource></entry>
  <entry>
    <resource>
      <Consent>
        <status value="active"/>
        <foo value="1"/>
      </Consent>
    </resource>
  </entry>
</Bundle>)";
    CHECK(error_of(xml) == "/Bundle/entry[2]/resource/Consent/foo: is not an element of Consent (line 7, column 9)");
    CHECK(error_of(fhir_xml("<name><given value=\"a\"/><nickname value=\"b\"/></name>")) ==
          "/Patient/name[1]/nickname: is not an element of HumanName (line 2, column 62)");
    CHECK(error_of(fhir_xml("<name><given value=\"a\" lang=\"en\"/></name>")) ==
          "/Patient/name[1]/given[1]/@lang: is not an attribute of Element (line 2, column 44)");
    CHECK(error_of("<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><Foo/></resource></entry></Bundle>") ==
          "/Bundle/entry[1]/resource/Foo: is not an R4 resource type (line 1, column 54)");
}

TEST_CASE("structure the tables forbid is refused with its path") {
    CHECK(error_of(fhir_xml("<active value=\"true\"/><active value=\"false\"/>")) ==
          "/Patient/active: occurs more than once, but may occur at most once (line 2, column 60)");
    CHECK(error_of(fhir_xml("<gender/>")) == "/Patient/gender: has neither a value nor an extension (line 2, column 38)");
    CHECK(error_of(fhir_xml("<gender value=\"male\">male</gender>")) ==
          "/Patient/gender: has text content, which a FHIR element cannot have (line 2, column 59)");
    CHECK(error_of(fhir_xml("<contained><Goal/><Goal/></contained>")) ==
          "/Patient/contained[1]: must hold exactly one resource (line 2, column 38)");
    CHECK(error_of(fhir_xml("<text><status value=\"generated\"/><div/></text>")) ==
          "/Patient/text/div: is not an element of Narrative (line 2, column 71)");
}

TEST_CASE("a boolean other than true or false, or an integer that is not one, is refused with its path") {
    CHECK(error_of(fhir_xml("<active value=\"yes\"/>")) ==
          "/Patient/active: value must be true or false (line 2, column 38)");
    CHECK(error_of(fhir_xml("<active value=\"True\"/>")).find("must be true or false") != std::string::npos);
    CHECK(error_of(fhir_xml("<multipleBirthInteger value=\"1.5\"/>")) ==
          "/Patient/multipleBirthInteger: value must be a 32-bit integer (line 2, column 38)");
    CHECK(error_of(fhir_xml("<multipleBirthInteger value=\"2147483648\"/>")).find("32-bit integer") != std::string::npos);
    CHECK(error_of(fhir_xml("<telecom><rank value=\"0\"/></telecom>")) ==
          "/Patient/telecom[1]/rank: value must be a positive 32-bit integer (line 2, column 47)");
    CHECK(error_of(fhir_xml("<extension url=\"u\"><valueDecimal value=\"1,5\"/></extension>")) ==
          "/Patient/extension[1]/valueDecimal: value must be a decimal number (line 2, column 57)");
    CHECK(error_of(fhir_xml("<extension url=\"u\"><valueDecimal value=\"1e999\"/></extension>"))
              .find("must be a decimal number") != std::string::npos);
}

TEST_CASE("nesting beyond 128 elements is refused in either direction") {
    std::string deep;
    for (int i = 0; i < 200; ++i) deep += "<extension url=\"u\">";
    for (int i = 0; i < 200; ++i) deep += "</extension>";
    const auto read = read_xml(fhir_xml(deep));
    REQUIRE(read.error);
    CHECK(read.error->path == "/Patient");
    CHECK(read.error->message.rfind("nests deeper than 128 elements (line 2, column ", 0) == 0);

    ordered_json patient = {{"resourceType", "Patient"}};
    ordered_json* at = &patient;
    for (int i = 0; i < 200; ++i) {
        (*at)["extension"] = ordered_json::array({{{"url", "u"}}});
        at = &(*at)["extension"][0];
    }
    const auto written = write_xml(patient);
    REQUIRE(written.error);
    CHECK(written.error->message == "nests deeper than 128 elements");
    CHECK(written.error->path.rfind("/extension/0/extension/0/", 0) == 0);

    // A pathologically deep XHTML div counts too, and is never walked recursively.
    std::string div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";
    for (int i = 0; i < 100000; ++i) div += "<b>";
    const auto deep_div = write_xml({{"resourceType", "Patient"}, {"text", {{"status", "generated"}, {"div", div}}}});
    CHECK(deep_div.error->message.find("is not well-formed XHTML") == 0);
    for (int i = 0; i < 100000; ++i) div += "</b>";
    div += "</div>";
    const auto closed_div = write_xml({{"resourceType", "Patient"}, {"text", {{"status", "generated"}, {"div", div}}}});
    REQUIRE(closed_div.error);
    CHECK(closed_div.error->path == "/text/div");
    CHECK(closed_div.error->message == "nests deeper than 128 elements");
}

TEST_CASE("JSON that does not fit the tables is refused with a JSON pointer") {
    const auto error_writing = [](const char* text) {
        const auto written = write_xml(ordered_json::parse(text));
        return written.error ? written.error->path + ": " + written.error->message : "no error";
    };
    CHECK(error_writing(R"({"resourceType": "Patient", "name": [{"given": ["a"], "nick~/name": "b"}]})") ==
          "/name/0/nick~0~1name: is not an element of HumanName");
    CHECK(error_writing(R"({"resourceType": "Observation"})") == "/resourceType: is not a resource type the tables cover");
    CHECK(error_writing(R"({"id": "x"})") == "/resourceType: must name the resource type");
    CHECK(error_writing(R"({"resourceType": "Patient", "active": "true"})") == "/active: must be true or false");
    CHECK(error_writing(R"({"resourceType": "Patient", "multipleBirthInteger": 2.5})") ==
          "/multipleBirthInteger: must be a 32-bit integer");
    CHECK(error_writing(R"({"resourceType": "Patient", "name": {"family": "x"}})") == "/name: must be an array");
    CHECK(error_writing(R"({"resourceType": "Patient", "gender": ["x"]})") == "/gender: must be a string");
    CHECK(error_writing(R"({"resourceType": "Patient", "_id": {"extension": []}, "meta": {"_id": "x"}})") ==
          "/meta/_id: is not an element of Meta");
    CHECK(error_writing(R"({"resourceType": "Patient", "name": [{"given": ["a", null], "_given": [null]}]})") ==
          "/name/0/_given: must have as many items as /name/0/given");
    CHECK(error_writing(R"({"resourceType": "Patient", "name": [{"given": ["a", null]}]})") ==
          "/name/0/given/1: has neither a value nor an extension");
    CHECK(error_writing(R"({"resourceType": "Patient", "gender": "x\u0001"})") ==
          "/gender: contains a control character, which XML cannot carry");
    CHECK(error_writing(R"({"resourceType": "Patient", "text": {"div": "<p>x</p>"}})") ==
          "/text/div: must be a single <div> element in the XHTML namespace");
    CHECK(error_writing(R"({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation"}}]})") ==
          "/entry/0/resource/resourceType: is not a resource type the tables cover");
}
