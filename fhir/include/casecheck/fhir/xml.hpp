// FHIR R4 (4.0.1) resources between their JSON and XML forms.
//
// Both directions are driven by element tables generated from the R4 StructureDefinitions
// (src/r4_elements.inc): every complex datatype, plus Bundle, DocumentReference, Composition, Provenance,
// CarePlan, Goal, ServiceRequest, Task, Communication, Encounter, Consent, DetectedIssue, OperationOutcome,
// MeasureReport and Patient. Nesting is limited to 128 elements. A narrative div passes through pugixml's
// serializer, which may respell it (quotes, character references); everything else round-trips as it
// is, except the textual form of decimals, which JSON numbers cannot keep (1.50 becomes 1.5).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace casecheck::fhir {

// Where and why a FHIR XML conversion failed; never quotes element values.
// `path` is a JSON pointer into the input for write_xml, and an element path such as
// "/Bundle/entry[2]/resource/Consent/status" (1-based indexes on repeating elements) for read_xml.
struct XmlError {
    std::string path;
    std::string message;
};

// Either the XML text or the first error found.
struct XmlWriteResult {
    std::string xml;
    std::optional<XmlError> error;
};

// Either the resource in JSON form or the first error found.
struct XmlReadResult {
    nlohmann::ordered_json resource;
    std::optional<XmlError> error;
};

// Writes a FHIR R4 resource given in JSON form as FHIR XML (UTF-8, with an XML declaration,
// default namespace http://hl7.org/fhir). Element order follows the StructureDefinitions whatever the
// JSON key order. An element the tables do not know is an error naming its path.
XmlWriteResult write_xml(const nlohmann::ordered_json& resource);

// Reads FHIR R4 XML (a resource, or a Bundle) into its JSON form. Elements unknown to the tables
// are an error naming their path (e.g. "/Bundle/entry[2]/resource/Consent/foo") — except inside
// resources of types the tables do not cover, which are kept as {"resourceType": "X"} only, so the
// caller can count and skip them. The input must be UTF-8; its size is the caller's to limit.
XmlReadResult read_xml(std::string_view xml);

}  // namespace casecheck::fhir
