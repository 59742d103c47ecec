// Turning findings into the response document a host receives.
#pragma once

#include "criterion.hpp"
#include "failure.hpp"

#include <cstddef>
#include <map>
#include <optional>
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

// The longest summary a prompt may carry (the CDS Hooks card limit).
constexpr std::size_t max_summary_length = 140;

// The prompt's stable id: a hash of the criterion, the record id and the
// evidence, so the same finding keeps its id across checks and hosts.
std::string prompt_id(const std::string& criterion_id, const std::string& record_id, const Evidence& evidence);

// Renders the native response (sdk/schema/prompt.schema.json).
std::string render_native_response(const std::string& rule_pack, const std::vector<ReportedPrompt>& prompts,
                                   std::size_t records_checked,
                                   const std::vector<Rejection>& rejections,
                                   const std::map<std::string, std::size_t>& skipped,
                                   const std::optional<model::Instant>& as_of);

}  // namespace casecheck
