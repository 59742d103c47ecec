// The engine: a configuration compiled once, then used read-only by any number of threads.
#pragma once

#include "casecheck/fhir/mapping.hpp"
#include "criterion.hpp"
#include "failure.hpp"
#include "json_input.hpp"
#include "response.hpp"
#include "rule_pack.hpp"

#include <map>
#include <set>

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
    std::set<std::string> dismissed;  // prompt ids the host has already had overridden
};

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

    const InputLimits& limits() const { return limits_; }

private:
    Engine() = default;

    Result<CaseInput> read_case(std::string_view request_json) const;

    InputLimits limits_;
    std::optional<model::Instant> as_of_;
    std::string rule_pack_;
    Flavour flavour_ = Flavour::native;  // the response form when a request does not ask for one
    std::vector<Criterion> criteria_;
    std::unique_ptr<const text::TextEngine> text_engine_;  // compiled from the rule pack's lexicon
};

}  // namespace casecheck
