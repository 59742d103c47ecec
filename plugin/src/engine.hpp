// The engine: a configuration compiled once, then used read-only by any number of threads.
#pragma once

#include "casecheck/fhir/mapping.hpp"
#include "criterion.hpp"
#include "failure.hpp"
#include "json_input.hpp"
#include "response.hpp"
#include "rule_pack.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casecheck {

// One request, read from any form the plugin accepts (the record model, or FHIR
// as JSON, NDJSON or XML), before any criterion runs.
struct CaseInput {
    std::vector<model::Record> targets;     // the records to check or map
    std::vector<model::Record> context;     // other records of the case
    std::vector<Rejection> rejections;      // batch records that could not be read
    std::map<std::string, std::size_t> skipped;  // FHIR resources the model does not use, by type
    std::optional<model::Instant> as_of;
    Flavour flavour = Flavour::native;
    std::map<std::string, std::string> dismissed;  // prompt ids the host has already had overridden, with the reason
    std::optional<std::string> case_id;            // the case's own id ("case", or a FHIR Patient's id), for audits
    std::optional<std::string> team;               // the team that holds the case ("team", or Patient.managingOrganization)
};

// Called once per finding: which criterion, on which record, found what.
using FindingVisitor = std::function<void(const Criterion&, const model::Record&, Finding&)>;

// What to_fhir returns: the Bundle as text, and the mapping issues as a JSON array.
struct FhirOutput {
    std::string document;
    std::string issues;
};

class Engine {
public:
    // Builds an engine from a configuration document (config.schema.json); an
    // empty document selects every default. Fails with E_CONFIG and the path
    // of the offending key for anything it does not understand.
    static Result<std::unique_ptr<Engine>> create(std::string_view config_json);

    // Checks a request document and returns the native response document.
    Result<std::string> check(std::string_view request_json) const;

    // Maps the records of a request to a FHIR R4 Bundle. `options_json` may be
    // empty, or {"format": "json"|"xml", "bundle_type": "collection"|"transaction"}.
    Result<FhirOutput> to_fhir(std::string_view request_json, std::string_view options_json) const;

    // Reads a request in any accepted form (the record model, or FHIR as JSON, NDJSON or XML).
    Result<CaseInput> read_case(std::string_view request_json) const;

    // Runs every criterion on every target of `input`, with the context and the
    // other targets as the case; dismissals are the caller's to apply.
    void run_criteria(const CaseInput& input, const FindingVisitor& visit) const;

    const InputLimits& limits() const { return limits_; }
    const std::vector<Criterion>& criteria() const { return criteria_; }
    const std::string& rule_pack_id() const { return rule_pack_; }
    // The configured clock, if any.
    const std::optional<model::Instant>& as_of() const { return as_of_; }
    // The configuration as given, re-serialised canonically (sorted keys), so an audit can state and compare it.
    const std::string& canonical_config() const { return canonical_config_; }

private:
    Engine() = default;

    InputLimits limits_;
    std::optional<model::Instant> as_of_;
    std::string rule_pack_;
    Flavour flavour_ = Flavour::native;  // the response form when a request does not ask for one
    std::vector<Criterion> criteria_;
    std::unique_ptr<const text::TextEngine> text_engine_;  // compiled from the rule pack's lexicon
    std::string canonical_config_;
};

}  // namespace casecheck
