// The record model <-> FHIR R4 (4.0.1) in its JSON form. docs/fhir-mapping.md
// lists, element by element, where each field of each record kind goes.
#pragma once

#include "casecheck/model/record.hpp"
#include "casecheck/model/record_json.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace casecheck::fhir {

// The Bundle.type of the output: a plain collection, or a transaction a server can apply.
enum class BundleType { collection, transaction };

// A field FHIR cannot carry as the record has it, so it was left out (never invented).
struct MappingIssue {
    std::string record;   // the record's id
    std::string path;     // JSON pointer inside the record
    std::string message;  // why; never the value
};

struct MappedBundle {
    nlohmann::ordered_json bundle;
    std::vector<MappingIssue> issues;
};

// Maps records to one Bundle. References between the resources resolve inside it
// through urn:uuid fullUrls derived from the record ids, so the output is deterministic.
MappedBundle to_bundle(const std::vector<model::Record>& records, BundleType type);

// Records read from FHIR, with the resources that were not used, counted by type.
struct FhirRecords {
    std::vector<model::Record> records;
    std::map<std::string, std::size_t> skipped;
};

struct FhirReadResult {
    FhirRecords value;
    std::optional<model::SchemaError> error;  // path: JSON pointer into the document
};

// One resource to read, with the JSON pointer it came from and its Bundle fullUrl, if any.
struct SourceResource {
    const nlohmann::json* resource = nullptr;
    std::string path;
    std::string full_url;
};

// Reads FHIR resources that belong to one case into records. References resolve
// by fullUrl or by "Type/id"; resources the model has no use for are counted.
FhirReadResult read_resources(const std::vector<SourceResource>& resources);

// Reads one FHIR document: a resource, or a Bundle whose entries are read together.
FhirReadResult read_document(const nlohmann::json& document);

// The FHIRPath of the element a record field maps to, from a JSON pointer into
// the record ("/recorded" of a note -> "DocumentReference.date"). Fields in an
// extension, or not mapped one to one, give the path of the resource itself.
std::string fhir_path_of(model::RecordKind kind, std::string_view record_pointer);

// A Reference to a client as the mapping writes it: Patient/<id>, or by identifier.
// Nothing when the client is unknown.
std::optional<nlohmann::ordered_json> client_reference(const std::optional<std::string>& client);

// A Reference to the main resource of a record, by its record-id identifier.
nlohmann::ordered_json record_reference(const std::string& record_id);

// A deterministic "urn:uuid:..." for a resource: the same name and role always give the same one.
std::string urn_uuid(const std::string& name, std::string_view role);

// The canonical URL of a criterion, for DetectedIssue.reference and codings.
std::string criterion_url(std::string_view criterion_id);

// The code system of casecheck's criterion ids.
std::string criterion_system();

// True when a JSON document is FHIR (it names a resourceType) rather than the record model.
bool is_fhir(const nlohmann::json& document);

}  // namespace casecheck::fhir
