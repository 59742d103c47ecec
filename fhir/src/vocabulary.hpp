// Code systems, extension URLs and code tables shared by both directions of
// the FHIR mapping, so that writing and reading cannot drift apart.
#pragma once

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace casecheck::fhir::vocabulary {

// casecheck's own canonical base; the extensions below are documented in docs/fhir-mapping.md.
constexpr std::string_view base = "https://casecheck.example/fhir";

// Identifier systems.
inline const std::string record_id_system = std::string(base) + "/record-id";
inline const std::string client_id_system = std::string(base) + "/client-id";
inline const std::string party_id_system = std::string(base) + "/party-id";
inline const std::string goal_id_system = std::string(base) + "/goal-id";
inline const std::string record_kind_system = std::string(base) + "/record-kind";

// Extensions for fields FHIR R4 has no element for.
inline std::string extension(std::string_view name) { return std::string(base) + "/StructureDefinition/" + std::string(name); }

// FHIR's own extension for a required element the source does not have.
constexpr std::string_view data_absent_reason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

constexpr std::string_view loinc = "http://loinc.org";
constexpr std::string_view consent_scope_system = "http://terminology.hl7.org/CodeSystem/consentscope";
constexpr std::string_view v3_act_code = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr std::string_view v3_participation_type = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
constexpr std::string_view v3_data_operation = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
constexpr std::string_view provenance_participant_type = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

struct LoincDocument {
    std::string_view note_type;
    std::string_view code;
    std::string_view display;
};

// Note types and the LOINC document codes of R4's c80-doc-typecodes that fit them
// (research/fhir-and-cds-hooks.md 1.1). The first entry for a code is its reading.
constexpr std::array<LoincDocument, 8> note_documents = {{
    {"contact", "11506-3", "Progress note"},
    {"review", "11506-3", "Progress note"},
    {"referral", "57133-1", "Referral note"},
    {"handover", "18761-7", "Transfer summary"},
    {"transfer", "18761-7", "Transfer summary"},
    {"closure", "34133-9", "Summary of episode note"},
    {"discharge", "18842-5", "Discharge summary"},
    {"telephone", "34748-4", "Telephone encounter Note"},
}};

// Codes of R4 required bindings that the model's free-text statuses may already be.
constexpr std::array<std::string_view, 7> request_status = {"draft", "active", "on-hold", "revoked",
                                                            "completed", "entered-in-error", "unknown"};
constexpr std::array<std::string_view, 9> goal_lifecycle_status = {
    "proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error", "rejected"};
constexpr std::array<std::string_view, 9> care_plan_activity_status = {
    "not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped", "unknown",
    "entered-in-error"};
constexpr std::array<std::string_view, 6> consent_state = {"draft", "proposed", "active", "rejected", "inactive",
                                                           "entered-in-error"};

template <std::size_t N>
bool is_code_of(const std::array<std::string_view, N>& codes, std::string_view value) {
    for (auto code : codes) {
        if (code == value) return true;
    }
    return false;
}

// The R4 consent-state code for a model consent status, or nothing when there is none.
inline std::optional<std::string_view> consent_state_for(std::string_view status) {
    if (is_code_of(consent_state, status)) return status;
    if (status == "withdrawn" || status == "expired") return std::string_view("inactive");
    if (status == "refused") return std::string_view("rejected");
    return std::nullopt;
}

// The R4 consentscope code for a model consent scope, or nothing.
inline std::optional<std::string_view> consent_scope_for(std::string_view scope) {
    if (scope == "share" || scope == "disclose" || scope == "privacy") return std::string_view("patient-privacy");
    if (scope == "engage" || scope == "treatment") return std::string_view("treatment");
    if (scope == "research") return std::string_view("research");
    return std::nullopt;
}

// The resource types of FHIR R4 4.0.1 (the non-abstract resource StructureDefinitions
// of the official definitions), sorted, so a misspelt or foreign type is refused.
constexpr std::array<std::string_view, 146> r4_resource_types = {
    "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment", "AppointmentResponse",
    "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct", "BodyStructure", "Bundle", "CapabilityStatement",
    "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem", "ChargeItemDefinition", "Claim", "ClaimResponse",
    "ClinicalImpression", "CodeSystem", "Communication", "CommunicationRequest", "CompartmentDefinition",
    "Composition", "ConceptMap", "Condition", "Consent", "Contract", "Coverage", "CoverageEligibilityRequest",
    "CoverageEligibilityResponse", "DetectedIssue", "Device", "DeviceDefinition", "DeviceMetric", "DeviceRequest",
    "DeviceUseStatement", "DiagnosticReport", "DocumentManifest", "DocumentReference", "EffectEvidenceSynthesis",
    "Encounter", "Endpoint", "EnrollmentRequest", "EnrollmentResponse", "EpisodeOfCare", "EventDefinition",
    "Evidence", "EvidenceVariable", "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag",
    "Goal", "GraphDefinition", "Group", "GuidanceResponse", "HealthcareService", "ImagingStudy", "Immunization",
    "ImmunizationEvaluation", "ImmunizationRecommendation", "ImplementationGuide", "InsurancePlan", "Invoice",
    "Library", "Linkage", "List", "Location", "Measure", "MeasureReport", "Media", "Medication",
    "MedicationAdministration", "MedicationDispense", "MedicationKnowledge", "MedicationRequest",
    "MedicationStatement", "MedicinalProduct", "MedicinalProductAuthorization", "MedicinalProductContraindication",
    "MedicinalProductIndication", "MedicinalProductIngredient", "MedicinalProductInteraction",
    "MedicinalProductManufactured", "MedicinalProductPackaged", "MedicinalProductPharmaceutical",
    "MedicinalProductUndesirableEffect", "MessageDefinition", "MessageHeader", "MolecularSequence", "NamingSystem",
    "NutritionOrder", "Observation", "ObservationDefinition", "OperationDefinition", "OperationOutcome",
    "Organization", "OrganizationAffiliation", "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation",
    "Person", "PlanDefinition", "Practitioner", "PractitionerRole", "Procedure", "Provenance", "Questionnaire",
    "QuestionnaireResponse", "RelatedPerson", "RequestGroup", "ResearchDefinition", "ResearchElementDefinition",
    "ResearchStudy", "ResearchSubject", "RiskAssessment", "RiskEvidenceSynthesis", "Schedule", "SearchParameter",
    "ServiceRequest", "Slot", "Specimen", "SpecimenDefinition", "StructureDefinition", "StructureMap",
    "Subscription", "Substance", "SubstanceNucleicAcid", "SubstancePolymer", "SubstanceProtein",
    "SubstanceReferenceInformation", "SubstanceSourceMaterial", "SubstanceSpecification", "SupplyDelivery",
    "SupplyRequest", "Task", "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet",
    "VerificationResult", "VisionPrescription"
};

inline bool is_r4_resource_type(std::string_view name) {
    return std::binary_search(r4_resource_types.begin(), r4_resource_types.end(), name);
}

// A FHIR id: [A-Za-z0-9-.]{1,64}.
inline bool is_fhir_id(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

}  // namespace casecheck::fhir::vocabulary
