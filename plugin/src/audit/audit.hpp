// The documentation audit: compliance per criterion over a stream of client
// cases, kept as counts that add up, so that partial audits merge into exactly
// the result of one run (DESIGN.md "Audit"; docs/audit.md).
#pragma once

#include "engine.hpp"
#include "failure.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casecheck::audit {

// What an audit is asked to do beyond counting (audit_begin's options).
struct Options {
    std::uint64_t sample = 0;      // audit only this many cases, chosen by `seed`; 0 audits every case
    std::uint64_t seed = 0;
    std::size_t top = 20;          // how many records with the most findings to list
    bool include_text = false;     // whether the listed records carry their prompts' wording (which may quote notes)
    bool subjects = false;         // whether to keep every judged record's id, for subject-list MeasureReports
};

// Reads audit_begin's options ({} or empty for the defaults); errors name the key.
Result<Options> read_options(std::string_view options_json);

// A numerator over a denominator: records judged by a criterion, and those without a finding.
struct Tally {
    std::uint64_t judged = 0;
    std::uint64_t compliant = 0;
};

// The ways compliance is broken down, in report order.
enum class Stratifier { team, author, kind, month };
constexpr std::array<Stratifier, 4> all_stratifiers = {Stratifier::team, Stratifier::author, Stratifier::kind, Stratifier::month};

// "team", "author", "kind" or "month".
std::string_view stratifier_name(Stratifier stratifier);

// Everything counted for one criterion.
struct CriterionCounts {
    Tally overall;
    std::array<std::uint64_t, 3> findings{};  // by severity: info, warning, critical
    std::uint64_t overridden = 0;             // findings the host had dismissed, with a reason
    std::map<std::string, std::uint64_t> override_reasons;
    std::array<std::map<std::string, Tally>, all_stratifiers.size()> strata;
    std::vector<std::string> noncompliant;    // record keys, only with Options::subjects
};

// A record with findings, listed by id only unless text was asked for.
struct FlaggedRecord {
    std::string case_id;
    std::string record;
    std::string kind;
    std::uint64_t findings = 0;
    std::uint64_t critical = 0;
    std::vector<std::string> criteria;   // the criteria it fails, sorted
    std::vector<std::string> summaries;  // the prompts' wording, only with Options::include_text
};

// A line, or a record inside one, that could not be audited.
struct Rejection {
    std::string source;
    std::uint64_t line = 0;
    std::string path;  // inside the line, for a record a case could not read
    std::string status;
    std::string message;
};

// The audit's counts. Every member adds up under merge, in any order.
struct Counts {
    std::uint64_t lines = 0;     // non-blank lines read
    std::uint64_t cases_read = 0;  // lines read as cases (more than were audited with a sample, or when some hold no records)
    std::uint64_t cases = 0;     // cases audited: lines with records
    std::uint64_t records = 0;   // records judged
    std::uint64_t bytes = 0;     // bytes of the lines read
    std::uint64_t rejected_lines = 0;
    std::uint64_t rejected_records = 0;
    std::array<std::uint64_t, 2> fingerprint{};  // two sums of per-line hashes: the same lines in any order and split give the same value
    std::vector<CriterionCounts> criteria;       // in the rule pack's order
    std::vector<FlaggedRecord> most_flagged;     // at most Options::top, worst first
    std::vector<Rejection> rejections;           // at most max_listed_rejections, by source and line
    std::vector<std::pair<std::string, std::string>> judged_records;  // (kind, record key), only with Options::subjects

    // Adds another audit's counts to these.
    void absorb(const Counts& other, std::size_t top);
};

// How many rejections a report lists by location; all are counted.
constexpr std::size_t max_listed_rejections = 100;

// One audit in progress. Owned by one thread at a time; the engine must outlive it.
class Audit {
public:
    Audit(const Engine& engine, Options options);

    // Audits whole NDJSON lines, each one client's case. A line that cannot be
    // read is counted and listed by `source` and line number, and the rest go on.
    void add(std::string_view lines, std::string_view source, std::uint64_t first_line);

    // Adds another audit's counts; both must come from the same configuration and options.
    std::optional<Failure> merge(const Audit& other);

    // Adds counts saved with state(); the same conditions as merge.
    std::optional<Failure> merge_state(std::string_view state_json);

    // The whole audit as JSON, for merge_state on another machine.
    std::string state() const;

    // The report as "json", "csv", "fhir" (a Bundle of MeasureReports) or "html".
    Result<std::string> report(std::string_view format) const;

    const Engine& engine() const { return engine_; }
    const Options& options() const { return options_; }

private:
    void add_line(std::string_view line, std::string_view source, std::uint64_t number);
    // The counts to report: everything, or the sampled cases with the whole input's line counts.
    Counts reported_counts() const;

    const Engine& engine_;
    Options options_;
    Counts counts_;
    // With Options::sample: the cases with the lowest sampling keys so far, each counted on its own.
    std::map<std::pair<std::uint64_t, std::string>, Counts> sampled_;
};

// The report as a JSON model, which every format is drawn from (report.cpp).
nlohmann::ordered_json report_model(const Audit& audit, const Counts& counts);

// Renderers over finished counts (report.cpp, report_html.cpp).
std::string report_json(const Audit& audit, const Counts& counts);
std::string report_csv(const Audit& audit, const Counts& counts);
std::string report_fhir(const Audit& audit, const Counts& counts);
std::string report_html(const Audit& audit, const Counts& counts);

}  // namespace casecheck::audit
