// casecheck generate: synthetic client cases with exact ground truth, for
// benchmarks and for testing the audit. See docs/generator.md.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace casecheck::cli {

// The clock every generated date derives from when --as-of is not given.
inline constexpr const char* default_generate_as_of = "2026-06-30T12:00:00Z";

// What to generate: how many client cases, from which seed, how often a record carries a defect, and "now".
struct GenerateOptions {
    std::uint64_t clients = 0;
    std::uint64_t seed = 0;
    double defect_rate = 0.1;
    std::string as_of = default_generate_as_of;
};

// Writes one NDJSON case line per client to `cases` and, when `labels` is given, one line per case
// naming its non-compliant records; returns the ground truth (docs/generator.md). Memory does not
// grow with the number of clients. Throws std::invalid_argument for an as_of that is not an RFC 3339
// date-time with an offset, or a defect rate outside [0, 1].
nlohmann::ordered_json generate_cases(const GenerateOptions& options, std::ostream& cases, std::ostream* labels = nullptr);

// The arguments of `casecheck generate` as they were typed; absent ones take their defaults.
struct GenerateArguments {
    std::optional<std::string> clients;
    std::optional<std::string> seed;
    std::optional<std::string> defect_rate;
    std::optional<std::string> as_of;
    std::optional<std::string> out;
    std::optional<std::string> truth;
    std::optional<std::string> labels;
};

// Runs `casecheck generate`; returns 0, or 2 after writing what was wrong to `errors`.
int run_generate(const GenerateArguments& arguments, std::ostream& errors);

}  // namespace casecheck::cli
