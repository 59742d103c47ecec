// Turning findings into the response document a host receives.
#pragma once

#include "criterion.hpp"
#include "failure.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace casecheck {

// A finding with what the engine knows around it.
struct ReportedPrompt {
    const Criterion* criterion = nullptr;
    const model::Record* record = nullptr;
    Finding finding;
};

// A record of a batch that could not be checked; the rest of the batch goes on.
struct Rejection {
    std::size_t index = 0;
    std::string path;
    Failure failure;
};

// The longest summary a prompt may carry, in characters: CDS Hooks asks for fewer than 140.
constexpr std::size_t max_summary_length = 139;

// The prompt's stable id: a hash of the criterion, the record id, the message
// and the evidence, so the same finding keeps its id across checks and hosts.
std::string prompt_id(const std::string& criterion_id, const std::string& record_id, const Finding& finding);

// The response forms a request may ask for.
enum class Flavour { native, cds_hooks, fhir };

// The flavour with that request/config name ("native", "cds-hooks", "fhir"), or nothing.
inline std::optional<Flavour> flavour_named(std::string_view name) {
    if (name == "native") return Flavour::native;
    if (name == "cds-hooks") return Flavour::cds_hooks;
    if (name == "fhir") return Flavour::fhir;
    return std::nullopt;
}

// Everything one check() call found, ready to render.
struct CheckOutcome {
    std::string rule_pack;
    std::vector<ReportedPrompt> prompts;
    std::size_t records_checked = 0;
    std::vector<Rejection> rejections;
    std::map<std::string, std::size_t> skipped;
    std::size_t suppressed = 0;  // prompts the host had dismissed before
    std::optional<model::Instant> as_of;
};

// Renders the response in the flavour asked for: native (prompt.schema.json),
// CDS Hooks 2.0 cards (cds-hooks.schema.json), or a FHIR Bundle of
// DetectedIssue per prompt and one OperationOutcome.
std::string render_response(Flavour flavour, const CheckOutcome& outcome);

}  // namespace casecheck
