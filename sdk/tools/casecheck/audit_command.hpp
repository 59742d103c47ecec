// `casecheck audit` and `casecheck merge`: the documentation audit from the command line.
#pragma once

#include "casecheck/casecheck.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace casecheck::cli {

// Everything `casecheck audit` and `casecheck merge` are asked to do.
struct AuditSettings {
    std::vector<std::string> operands;        // inputs for audit; saved states for merge
    std::string engine_config;                // the engine configuration (rule pack, clock), as JSON
    std::string out_dir = "casecheck-audit";  // where the report files go
    std::vector<std::string> formats = {"html", "json", "csv", "fhir"};
    unsigned threads = 0;                     // 0: one per core
    std::uint64_t sample = 0;
    std::uint64_t seed = 0;
    bool include_text = false;
    bool subjects = false;
    bool quiet = false;
    std::size_t memory_budget = std::size_t{64} << 20;  // for regrouping bulk exports
    std::string command_line;                 // for the manifest
};

// Parses --format's comma-separated list; nothing if a name is unknown.
std::optional<std::vector<std::string>> parse_formats(const std::string& list);

// Runs the audit over settings.operands and writes the reports; returns the exit status.
int run_audit(const AuditSettings& settings, const casecheck::plugin& plugin, std::ostream& out, std::ostream& err);

// Merges saved audit states (format "state") and writes the reports; returns the exit status.
int run_merge(const AuditSettings& settings, const casecheck::plugin& plugin, std::ostream& out, std::ostream& err);

}  // namespace casecheck::cli
