// casecheck: the command-line host. It loads the plugin through the SDK, as
// any host would, and never links it.
#include "audit_command.hpp"
#include "casecheck/casecheck.hpp"
#include "generate.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <tuple>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#ifndef CASECHECK_PLUGIN_RELATIVE_PATH
#error "the build must define CASECHECK_PLUGIN_RELATIVE_PATH (the plugin's path relative to this program)"
#endif

namespace {

// Exit codes, documented in --help.
constexpr int exit_ok = 0;
constexpr int exit_prompts = 1;
constexpr int exit_usage = 2;
constexpr int exit_rejected = 3;
constexpr int exit_plugin = 4;

const char* const general_help = R"(casecheck: check case-management records against record-keeping and consent standards

Usage:
  casecheck check FILE|- [--json|--table] [--flavour F] [--rule-pack PACK] [--as-of TIME]
                  [--config FILE] [--fail-on SEVERITY]
  casecheck map FILE|- [--xml] [--bundle-type collection|transaction]
  casecheck audit INPUT... [--pack P] [--as-of T] [--out DIR] [--format F,...] [--threads N]
  casecheck merge STATE... [--pack P] [--as-of T] [--out DIR] [--format F,...]
  casecheck generate --clients N --seed S [--defect-rate R] [--as-of TIME]
                     [--out FILE] [--truth FILE] [--labels FILE]
  casecheck version
  casecheck help [COMMAND]

Commands:
  audit     Audit documentation over many cases: compliance per criterion, team,
            author, kind and month, as HTML, JSON, CSV and FHIR MeasureReports.
  merge     Merge the saved states of audits of shards into one report.
  check     Check a request document (one record, or a batch, with its case context)
            or FHIR R4 (JSON, NDJSON or XML) and print the prompts.
  map       Map the records of a request to a FHIR R4 Bundle (JSON or XML).
  generate  Write synthetic client cases (NDJSON) with their exact ground truth;
            needs no plugin.
  version   Print the plugin's version, build and criteria.
  help      Show this text, or the help of one command.

Options for every command (they may come before or after operands):
  --plugin PATH   The plugin to load. Default: $CASECHECK_PLUGIN, else the plugin
                  installed beside this program.
  -h, --help      Show help.
  --              Treat everything after it as operands.

Exit status:
  0  success (prompts may have been printed)
  1  a prompt at or above the --fail-on severity was found
  2  the command line is wrong
  3  the plugin rejected the input (its message says where)
  4  the plugin could not be loaded
)";

const char* const check_help = R"(casecheck check: check a request document and print the prompts

Usage:
  casecheck check FILE|- [options]

FILE is a request document (sdk/schema/record.schema.json): {"record": {...}} or
{"records": [...]} for a batch, with the client's other records in "context".
It may also be FHIR R4: a resource or a Bundle, as JSON or XML, or NDJSON with one
resource per line; the form is told from the content, and a Bundle is read as one
client's case in which every record is checked. "-" reads standard input.

Output: on a terminal, or with --table, the prompts grouped by record (severity,
criterion, summary); when the output is piped, or with --json, the response document
(sdk/schema/prompt.schema.json). In the table, a prompt whose evidence is a span of a
text field shows the line(s) holding it, up to 60 bytes either side, with the span
highlighted on a terminal, or marked [[ ]] with carets under it when piped or when
NO_COLOR is set.

Options:
  --json               Print the response document even on a terminal.
  --table              Print the table even when the output is piped.
  --as-of TIME         The clock for checks that need "now" (RFC 3339 date-time).
                       The plugin never reads the wall clock. A request's own
                       "as_of" takes precedence.
  --flavour F          The response form: native (the default), cds-hooks (CDS Hooks
                       2.0 cards) or fhir (DetectedIssue + OperationOutcome Bundle).
                       Cards and FHIR are always printed as JSON.
  --rule-pack PACK     A built-in pack (core, ircm-2022, ncmn-2012, bcv-2015,
                       cmsa-au-2013, ccmc-2022) or a pack file (a path, or *.xml).
  --config FILE        An engine configuration (sdk/schema/config.schema.json).
                       --as-of, --flavour and --rule-pack override its values.
  --fail-on SEVERITY   Exit with 1 if a prompt of this severity or worse is found:
                       info, warning or critical.
  --plugin PATH        The plugin to load (see casecheck help).
)";

const char* const map_help = R"(casecheck map: map records to a FHIR R4 Bundle

Usage:
  casecheck map FILE|- [--xml] [--bundle-type collection|transaction]
  casecheck audit INPUT... [--pack P] [--as-of T] [--out DIR] [--format F,...] [--threads N]
  casecheck merge STATE... [--pack P] [--as-of T] [--out DIR] [--format F,...]

FILE is anything casecheck check accepts. Every record in it, context included,
becomes FHIR R4 resources in one Bundle, written to standard output: notes as
DocumentReference + Provenance (+ Communication per disclosure), care plans as
CarePlan + Goal, transitions as ServiceRequest + Task (+ Encounter for a
discharge), consents as Consent, assessments as DocumentReference + Provenance.
Fields FHIR cannot carry as the record has them are left out, never invented,
and listed on standard error as mapping issues.

Options:
  --xml                  Write FHIR XML instead of FHIR JSON.
  --bundle-type TYPE     collection (the default) or transaction (POSTs with
                         conditional creates on the record identifiers).
  --config FILE          An engine configuration (limits).
  --plugin PATH          The plugin to load (see casecheck help).
)";

const char* const audit_help = R"(casecheck audit: audit documentation over many client cases

Usage:
  casecheck audit INPUT... [--pack ID|FILE] [--as-of TIME] [--out DIR]
                  [--format html,json,csv,fhir,state] [--threads N] [--sample N --seed S]
                  [--include-text] [--subjects] [--memory-budget MB] [--quiet]

INPUT is one of:
  an NDJSON file (or - for standard input) with one client case per line:
      {"case": "...", "team": "...", "records": [...], "dismissed": [...]}
  a directory of FHIR R4 Bundles (*.json), one client's case each;
  a FHIR Bulk Data export directory (one NDJSON file per resource type), whose
      resources are regrouped by client (spilling to disk beyond --memory-budget).
A line or Bundle that cannot be read is listed in the report with its file and
line, and the audit goes on.

Every record of a case is checked against the rule pack, with the rest of the case
as context. A criterion's rate is the share of the records it judges that have no
finding of it, broken down by team, author, record kind and month.

Options:
  --pack ID|FILE    Rule pack: a built-in id (core, ircm-2022, ...) or an XML file. Default: core.
  --as-of TIME      The audit's clock (RFC 3339). Default: now, recorded in the report.
  --out DIR         Where the reports go. Default: casecheck-audit.
  --format LIST     Any of html, json, csv, fhir (a Bundle of MeasureReports), state (for
                    casecheck merge). Default: html,json,csv,fhir. manifest.json (inputs with
                    SHA-256, command, threads, time taken) is always written.
  --threads N       Worker threads. Default: one per core. The report does not depend on it.
  --sample N        Audit a random sample of N cases; --seed S chooses it (default 0).
  --include-text    Let the listed records carry their prompts' wording (may quote notes).
  --subjects        subject-list MeasureReports and per-criterion record lists (memory
                    then grows with the number of records).
  --memory-budget MB  Memory for regrouping a bulk export before spilling. Default: 64.
  --quiet           No progress line and no summary table.

Progress (cases, MB/s, ETA) is shown on a terminal only.
)";

const char* const merge_help = R"(casecheck merge: merge saved audit states into one report

Usage:
  casecheck merge STATE... [--pack ID|FILE] [--as-of TIME] [--out DIR] [--format LIST]
                  [--sample N --seed S] [--include-text] [--subjects] [--quiet]

STATE is an audit-state.json written by casecheck audit --format state, for example
by each shard of an input that was split by client across machines. The pack, the
clock and the audit options must be the ones the shards used; the merged report is
then exactly the report of one audit over the whole input.
)";

const char* const generate_help = R"(casecheck generate: write synthetic client cases with exact ground truth

Usage:
  casecheck generate --clients N --seed S [--defect-rate R] [--as-of TIME]
                     [--out FILE] [--truth FILE] [--labels FILE]

Writes N made-up client cases as NDJSON, one case per line:
{"case": "case-000001", "team": ..., "records": [...], "dismissed": []}. The
records (sdk/schema/record.schema.json) are of every kind and dated over the
12 months before TIME. Clean records give no prompt under the core rule pack
at TIME. Each record carries, with probability R, one defect that trips one
criterion (docs/generator.md lists them). The same options give the same bytes
on every platform. The plugin is not loaded.

Options:
  --clients N        How many cases to write (one client each).
  --seed S           Any whole number from 0 to 18446744073709551615.
  --defect-rate R    The chance that a record carries a defect, 0 to 1. Default 0.1.
  --as-of TIME       The clock the cases are dated against; check or audit them at
                     the same TIME. RFC 3339 date-time. Default 2026-06-30T12:00:00Z.
  --out FILE         Where the cases go. Default: standard output.
  --truth FILE       Write the ground truth (JSON): records per kind and, for each
                     criterion of the core pack, how many records are non-compliant.
  --labels FILE      Write one NDJSON line per case naming its non-compliant
                     records and their criteria.
)";

const char* const version_help = R"(casecheck version: print the plugin's version

Usage:
  casecheck version [--json]

Prints the plugin's name, version, build and ABI; --json (or a pipe) prints the
plugin's full self-description, including the criteria it checks.
)";

struct Options {
    std::string command;
    std::vector<std::string> operands;
    std::optional<std::string> plugin_path;
    std::optional<std::string> config_path;
    std::optional<std::string> as_of;
    std::optional<std::string> fail_on;
    std::optional<std::string> bundle_type;
    std::optional<std::string> flavour;
    std::optional<std::string> rule_pack;
    bool xml = false;
    bool json = false;
    bool table = false;
    bool help = false;
    // audit and merge
    std::optional<std::string> out_dir;
    std::optional<std::string> formats;
    std::optional<std::string> threads;
    std::optional<std::string> sample;
    std::optional<std::string> seed;
    std::optional<std::string> memory_budget;
    bool include_text = false;
    bool subjects = false;
    bool quiet = false;
    // generate; --seed, --out and --as-of are shared with other commands
    std::optional<std::string> clients;
    std::optional<std::string> defect_rate;
    std::optional<std::string> truth;
    std::optional<std::string> labels;
};

struct UsageError {
    std::string message;
};

// Options may come anywhere; the first operand is the command.
std::optional<UsageError> parse_arguments(int argc, char** argv, Options& options) {
    bool options_ended = false;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        const auto value = [&](std::optional<std::string>& target) -> std::optional<UsageError> {
            if (i + 1 >= argc) return UsageError{argument + " needs a value"};
            target = argv[++i];
            return std::nullopt;
        };
        std::optional<UsageError> error;
        if (options_ended || argument == "-" || argument.rfind("-", 0) != 0) {
            if (options.command.empty()) options.command = argument;
            else options.operands.push_back(argument);
        } else if (argument == "--") {
            options_ended = true;
        } else if (argument == "-h" || argument == "--help") {
            options.help = true;
        } else if (argument == "--json") {
            options.json = true;
        } else if (argument == "--xml") {
            options.xml = true;
        } else if (argument == "--flavour") {
            error = value(options.flavour);
        } else if (argument == "--rule-pack" || argument == "--pack") {
            error = value(options.rule_pack);
        } else if (argument == "--out") {
            error = value(options.out_dir);
        } else if (argument == "--format") {
            error = value(options.formats);
        } else if (argument == "--threads") {
            error = value(options.threads);
        } else if (argument == "--sample") {
            error = value(options.sample);
        } else if (argument == "--seed") {
            error = value(options.seed);
        } else if (argument == "--memory-budget") {
            error = value(options.memory_budget);
        } else if (argument == "--include-text") {
            options.include_text = true;
        } else if (argument == "--subjects") {
            options.subjects = true;
        } else if (argument == "--quiet" || argument == "-q") {
            options.quiet = true;
        } else if (argument == "--bundle-type") {
            error = value(options.bundle_type);
        } else if (argument == "--table") {
            options.table = true;
        } else if (argument == "--plugin") {
            error = value(options.plugin_path);
        } else if (argument == "--config") {
            error = value(options.config_path);
        } else if (argument == "--as-of") {
            error = value(options.as_of);
        } else if (argument == "--fail-on") {
            error = value(options.fail_on);
        } else if (argument == "--clients") {
            error = value(options.clients);
        } else if (argument == "--defect-rate") {
            error = value(options.defect_rate);
        } else if (argument == "--truth") {
            error = value(options.truth);
        } else if (argument == "--labels") {
            error = value(options.labels);
        } else {
            error = UsageError{"unknown option " + argument};
        }
        if (error) return error;
    }
    return std::nullopt;
}

std::optional<std::string> read_input(const std::string& path) {
    std::ostringstream contents;
    if (path == "-") {
        contents << std::cin.rdbuf();
        return contents.str();
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    contents << file.rdbuf();
    return contents.str();
}

std::filesystem::path plugin_path(const Options& options) {
    if (options.plugin_path) return *options.plugin_path;
    if (const char* from_environment = std::getenv("CASECHECK_PLUGIN"); from_environment && *from_environment) {
        return from_environment;
    }
    // The build tree mirrors the install layout, so one relative path serves both.
    return boost::dll::program_location().parent_path() / CASECHECK_PLUGIN_RELATIVE_PATH;
}

int severity_rank(const std::string& severity) {
    if (severity == "critical") return 2;
    if (severity == "warning") return 1;
    return 0;
}

bool use_colour() {
    const char* no_colour = std::getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && (no_colour == nullptr || *no_colour == '\0');
}

const char* colour_of(const std::string& severity) {
    if (severity == "critical") return "\033[1;31m";
    if (severity == "warning") return "\033[33m";
    return "\033[36m";
}

// ---- Evidence excerpts ----------------------------------------------------------

// The bytes of note text shown either side of an evidence span, and of a long span's own
// ends; a prompt shows a window of its text, never the whole note.
constexpr std::size_t excerpt_context_bytes = 60;

bool is_continuation(unsigned char byte) { return (byte & 0xC0u) == 0x80u; }

// The columns a UTF-8 string takes, at one column per code point.
std::size_t columns_of(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(static_cast<unsigned char>(c)); }));
}

// The text with ASCII control characters as spaces, for a label printed beside an excerpt.
std::string printable(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    }
    return text;
}

// The records whose text a prompt's evidence can point into, by id: the request's
// "record" or "records". FHIR input has none; its prompts are shown without excerpts.
std::map<std::string, const nlohmann::json*> records_by_id(const nlohmann::json& request) {
    std::map<std::string, const nlohmann::json*> records;
    if (!request.is_object() || request.contains("resourceType")) return records;
    const auto add = [&records](const nlohmann::json& record) {
        const auto id = record.find("id");
        if (record.is_object() && id != record.end() && id->is_string()) records.emplace(id->get<std::string>(), &record);
    };
    if (const auto record = request.find("record"); record != request.end()) add(*record);
    if (const auto batch = request.find("records"); batch != request.end() && batch->is_array()) {
        for (const auto& record : *batch) add(record);
    }
    return records;
}

// The text a prompt's evidence span points into, with the span snapped outwards to
// UTF-8 boundaries; nothing when the prompt has no span or the span does not fit the text.
struct SpanInText {
    const std::string* text = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
};

std::optional<SpanInText> evidence_span(const nlohmann::json& prompt,
                                        const std::map<std::string, const nlohmann::json*>& records) {
    const auto evidence = prompt.find("evidence");
    if (evidence == prompt.end() || !evidence->is_object()) return std::nullopt;
    const auto path = evidence->find("path");
    const auto span = evidence->find("span");
    if (path == evidence->end() || !path->is_string() || span == evidence->end() || !span->is_object()) return std::nullopt;
    const auto record = records.find(prompt.value("record", std::string()));
    if (record == records.end()) return std::nullopt;
    const nlohmann::json* field = nullptr;
    try {
        const nlohmann::json::json_pointer pointer(path->get<std::string>());
        if (record->second->contains(pointer)) field = &record->second->at(pointer);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    const auto begin = span->find("begin");
    const auto end = span->find("end");
    if (field == nullptr || !field->is_string() || begin == span->end() || end == span->end() ||
        !begin->is_number_unsigned() || !end->is_number_unsigned()) {
        return std::nullopt;
    }
    SpanInText out{&field->get_ref<const std::string&>(), begin->get<std::size_t>(), end->get<std::size_t>()};
    const std::string& text = *out.text;
    if (out.begin > out.end || out.end > text.size()) return std::nullopt;
    while (out.begin > 0 && is_continuation(static_cast<unsigned char>(text[out.begin]))) --out.begin;
    while (out.end < text.size() && is_continuation(static_cast<unsigned char>(text[out.end]))) ++out.end;
    return out;
}

// One output line of an excerpt: what is printed, and under it a caret line marking the span.
struct ExcerptLine {
    std::string shown;
    std::string carets;
    bool marked = false;  // the line holds part of the span
};

// Lays the excerpt out line by line. Text runs are cut into lines at '\n' (a "\r\n" counts
// as one); other control characters become spaces, so a note can neither move the cursor
// nor colour the terminal, and the caret line stays aligned (one column per code point).
class ExcerptWriter {
public:
    explicit ExcerptWriter(bool colour) : colour_(colour) { lines_.emplace_back(); }

    void text(std::string_view run) {
        for (std::size_t i = 0; i < run.size(); ++i) {
            const auto byte = static_cast<unsigned char>(run[i]);
            if (byte == '\n') {
                new_line();
            } else if (byte == '\r' && i + 1 < run.size() && run[i + 1] == '\n') {
                continue;
            } else if (byte < 0x20 || byte == 0x7F) {
                put(" ", 1);
            } else if (byte == 0xC2 && i + 1 < run.size() && static_cast<unsigned char>(run[i + 1]) < 0xA0) {
                put(" ", 1);  // a C1 control character (U+0080 to U+009F)
                ++i;
            } else {
                std::size_t length = 1;
                while (i + length < run.size() && is_continuation(static_cast<unsigned char>(run[i + length]))) ++length;
                put(run.substr(i, length), 1);
                i += length - 1;
            }
        }
    }
    // "…": one column.
    void ellipsis() { put("\u2026", 1); }

    void open_span() {
        in_span_ = true;
        if (colour_) lines_.back().shown += highlight_on;
        else put_marker("[[");
        lines_.back().marked = true;
    }
    void close_span() {
        if (colour_) lines_.back().shown += highlight_off;
        else put_marker("]]");
        lines_.back().marked = true;
        in_span_ = false;
    }

    // Writes the lines, the first after `label`, the rest aligned under it; a caret line
    // follows each line that holds part of the span when there is no colour.
    void print(std::ostream& out, const std::string& indent, const std::string& label) const {
        const std::string hanging(indent.size() + columns_of(label), ' ');
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            const ExcerptLine& line = lines_[i];
            out << (i == 0 ? indent + label : hanging) << line.shown << "\n";
            if (!colour_ && line.marked) {
                std::string carets = line.carets;
                while (!carets.empty() && carets.back() == ' ') carets.pop_back();
                if (!carets.empty()) out << hanging << carets << "\n";
            }
        }
    }

private:
    static constexpr const char* highlight_on = "\033[1;7m";
    static constexpr const char* highlight_off = "\033[0m";

    void put(std::string_view bytes, std::size_t columns) {
        lines_.back().shown += bytes;
        lines_.back().carets.append(columns, in_span_ ? '^' : ' ');
        if (in_span_) lines_.back().marked = true;
    }
    void put_marker(std::string_view marker) {
        lines_.back().shown += marker;
        lines_.back().carets.append(marker.size(), ' ');
    }
    // A highlighted span that runs over a line break is closed at the end of the line and
    // reopened on the next, so the indentation is never highlighted.
    void new_line() {
        if (colour_ && in_span_) lines_.back().shown += highlight_off;
        lines_.emplace_back();
        if (colour_ && in_span_) lines_.back().shown += highlight_on;
        if (in_span_) lines_.back().marked = true;
    }

    bool colour_;
    bool in_span_ = false;
    std::vector<ExcerptLine> lines_;
};

// Moves `at` back (towards `floor`) until it is on a UTF-8 boundary of `text`.
std::size_t boundary_back(const std::string& text, std::size_t at, std::size_t floor) {
    while (at > floor && at < text.size() && is_continuation(static_cast<unsigned char>(text[at]))) --at;
    return at;
}
// Moves `at` forward (towards `ceiling`) until it is on a UTF-8 boundary of `text`.
std::size_t boundary_forward(const std::string& text, std::size_t at, std::size_t ceiling) {
    while (at < ceiling && is_continuation(static_cast<unsigned char>(text[at]))) ++at;
    return at;
}

// Prints the line(s) of text holding a prompt's evidence span, cut to a window of
// excerpt_context_bytes either side, with the span in bold reverse video on a terminal
// and otherwise between [[ ]] with carets under it.
void print_excerpt(std::ostream& out, const SpanInText& span, const std::string& path, bool colour) {
    const std::string& text = *span.text;
    const std::size_t line_begin = [&] {
        const auto newline = span.begin == 0 ? std::string::npos : text.rfind('\n', span.begin - 1);
        return newline == std::string::npos ? 0 : newline + 1;
    }();
    std::size_t line_end = std::min(text.find('\n', span.end), text.size());
    if (line_end > span.end && text[line_end - 1] == '\r') --line_end;  // "\r\n"
    const std::size_t window_begin = boundary_forward(
        text, span.begin - std::min(span.begin - line_begin, excerpt_context_bytes), span.begin);
    const std::size_t window_end = boundary_back(text, std::min(line_end, span.end + excerpt_context_bytes), span.end);

    ExcerptWriter writer(colour);
    if (window_begin > line_begin) writer.ellipsis();
    writer.text(std::string_view(text).substr(window_begin, span.begin - window_begin));
    writer.open_span();
    if (span.end - span.begin <= 2 * excerpt_context_bytes) {
        writer.text(std::string_view(text).substr(span.begin, span.end - span.begin));
    } else {
        // A long span shows its two ends.
        const std::size_t head_end = boundary_back(text, span.begin + excerpt_context_bytes, span.begin);
        const std::size_t tail_begin = boundary_forward(text, span.end - excerpt_context_bytes, span.end);
        writer.text(std::string_view(text).substr(span.begin, head_end - span.begin));
        writer.ellipsis();
        writer.text(std::string_view(text).substr(tail_begin, span.end - tail_begin));
    }
    writer.close_span();
    writer.text(std::string_view(text).substr(span.end, window_end - span.end));
    if (window_end < line_end) writer.ellipsis();
    writer.print(out, std::string(12, ' '), printable(path) + ": ");
}

// Prints prompts grouped by record, one line each, worst first within a record. Under a
// prompt whose evidence is a span of a text field of the request, prints that part of the text.
void print_table(const nlohmann::json& response, const nlohmann::json& request) {
    const bool colour = use_colour();
    const auto records = records_by_id(request);
    std::map<std::string, std::vector<const nlohmann::json*>> by_record;
    std::vector<std::string> record_order;
    for (const auto& prompt : response.at("prompts")) {
        const std::string& record = prompt.at("record").get_ref<const std::string&>();
        if (by_record.find(record) == by_record.end()) record_order.push_back(record);
        by_record[record].push_back(&prompt);
    }
    for (const auto& record : record_order) {
        auto& prompts = by_record[record];
        std::stable_sort(prompts.begin(), prompts.end(), [](const nlohmann::json* a, const nlohmann::json* b) {
            return severity_rank(a->at("severity")) > severity_rank(b->at("severity"));
        });
        std::cout << (colour ? "\033[1m" : "") << record << (colour ? "\033[0m" : "") << " ("
                  << prompts.front()->at("kind").get<std::string>() << ")\n";
        for (const auto* prompt : prompts) {
            const std::string severity = prompt->at("severity");
            char label[16];
            std::snprintf(label, sizeof label, "%-8s", severity.c_str());
            std::cout << "  " << (colour ? colour_of(severity) : "") << label << (colour ? "\033[0m" : "") << "  "
                      << prompt->at("criterion").get<std::string>() << "  " << prompt->at("summary").get<std::string>()
                      << "\n";
            if (const auto span = evidence_span(*prompt, records)) {
                print_excerpt(std::cout, *span, prompt->at("evidence").at("path").get<std::string>(), colour);
            }
        }
    }
    if (const auto rejected = response.find("rejected"); rejected != response.end()) {
        for (const auto& item : *rejected) {
            std::cout << "rejected record " << item.at("index").get<std::size_t>() << ": "
                      << item.at("status").get<std::string>() << ": " << item.at("message").get<std::string>() << "\n";
        }
    }
    const auto& summary = response.at("summary");
    std::cout << response.at("records_checked").get<std::size_t>() << " record(s) checked: "
              << summary.at("critical").get<int>() << " critical, " << summary.at("warning").get<int>() << " warning, "
              << summary.at("info").get<int>() << " info\n";
}

// The engine configuration from --config and --as-of, or nothing after a usage error (already reported).
std::optional<std::string> engine_config(const Options& options) {
    nlohmann::json config = nlohmann::json::object();
    if (options.config_path) {
        const auto text = read_input(*options.config_path);
        if (!text) {
            std::cerr << "casecheck " << options.command << ": cannot read the configuration file " << *options.config_path << "\n";
            return std::nullopt;
        }
        // The plugin validates the configuration itself; parse only to merge --as-of.
        config = nlohmann::json::parse(*text, nullptr, false);
        if (config.is_discarded() || !config.is_object()) {
            std::cerr << "casecheck " << options.command << ": the configuration file " << *options.config_path
                      << " is not a JSON object\n";
            return std::nullopt;
        }
    }
    if (options.as_of) config["as_of"] = *options.as_of;
    if (options.flavour) config["flavour"] = *options.flavour;
    if (options.rule_pack) {
        // A path names a pack file; anything else a built-in pack.
        const std::string& pack = *options.rule_pack;
        const bool is_file = pack.find('/') != std::string::npos ||
                             (pack.size() > 4 && pack.compare(pack.size() - 4, 4, ".xml") == 0);
        config["rule_pack"] = is_file ? nlohmann::json{{"file", pack}} : nlohmann::json(pack);
    }
    return config.dump();
}

// The one FILE operand's contents, or nothing after a usage error (already reported).
std::optional<std::string> request_input(const Options& options, const char* help) {
    if (options.operands.size() != 1) {
        std::cerr << "casecheck " << options.command << ": expected one FILE (or - for standard input)\n" << help;
        return std::nullopt;
    }
    auto request = read_input(options.operands.front());
    if (!request) std::cerr << "casecheck " << options.command << ": cannot read " << options.operands.front() << "\n";
    return request;
}

// The request with --flavour written into it, so the flag beats the request's own
// "flavour". FHIR input has no such field; the engine's default serves it.
std::string with_flavour(const std::string& request, const std::optional<std::string>& flavour) {
    if (!flavour) return request;
    auto document = nlohmann::json::parse(request, nullptr, false);
    if (document.is_discarded() || !document.is_object() || document.contains("resourceType")) return request;
    document["flavour"] = *flavour;
    return document.dump();
}

int run_check(const Options& options, const casecheck::plugin& plugin) {
    if (options.fail_on && options.fail_on != "info" && options.fail_on != "warning" && options.fail_on != "critical") {
        std::cerr << "casecheck check: --fail-on takes info, warning or critical\n";
        return exit_usage;
    }
    const auto request = request_input(options, check_help);
    const auto config = request ? engine_config(options) : std::nullopt;
    if (!request || !config) return exit_usage;

    const auto engine = plugin.create_engine(*config);
    const casecheck::buffer response = engine.check(with_flavour(*request, options.flavour));

    const auto document = nlohmann::json::parse(response.view());
    if (options.json && options.table) {
        std::cerr << "casecheck check: --json and --table exclude each other\n";
        return exit_usage;
    }
    // Cards and FHIR are for machines; only the native response has a table form.
    const bool native = !document.contains("cards") && !document.contains("resourceType");
    if (native && (options.table || (!options.json && isatty(STDOUT_FILENO)))) {
        // The request as the plugin read it: evidence spans point into its text fields.
        print_table(document, nlohmann::json::parse(*request, nullptr, false));
    } else {
        std::cout << response.view() << "\n";
    }

    if (options.fail_on && native) {
        for (const auto& prompt : document.at("prompts")) {
            if (severity_rank(prompt.at("severity")) >= severity_rank(*options.fail_on)) return exit_prompts;
        }
    }
    return exit_ok;
}

int run_map(const Options& options, const casecheck::plugin& plugin) {
    if (options.bundle_type && options.bundle_type != "collection" && options.bundle_type != "transaction") {
        std::cerr << "casecheck map: --bundle-type takes collection or transaction\n";
        return exit_usage;
    }
    const auto request = request_input(options, map_help);
    const auto config = request ? engine_config(options) : std::nullopt;
    if (!request || !config) return exit_usage;

    nlohmann::json map_options = {{"format", options.xml ? "xml" : "json"}};
    if (options.bundle_type) map_options["bundle_type"] = *options.bundle_type;
    const auto engine = plugin.create_engine(*config);
    const auto mapped = engine.to_fhir(*request, map_options.dump());
    std::cout << mapped.bundle.view() << "\n";
    for (const auto& issue : nlohmann::json::parse(mapped.issues.view())) {
        std::cerr << "casecheck map: " << (issue.contains("record") ? "record " + issue["record"].get<std::string>() + " " : "")
                  << issue.value("path", "") << ": " << issue.value("message", "") << "\n";
    }
    return exit_ok;
}

std::optional<std::uint64_t> whole_number(const std::optional<std::string>& text) {
    if (!text || text->empty() || text->find_first_not_of("0123456789") != std::string::npos || text->size() > 18) return std::nullopt;
    return std::stoull(*text);
}

// The current UTC time, for an audit run without --as-of: the host may read the
// clock; the plugin never does, and the report records the instant used.
std::string now_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

int run_audit_or_merge(Options options, const casecheck::plugin& plugin, int argc, char** argv) {
    const bool merge = options.command == "merge";
    const char* help = merge ? merge_help : audit_help;
    casecheck::cli::AuditSettings settings;
    settings.operands = options.operands;
    if (!options.as_of && !merge) options.as_of = now_utc();
    const auto config = engine_config(options);
    if (!config) return exit_usage;
    settings.engine_config = *config;
    if (options.out_dir) settings.out_dir = *options.out_dir;
    if (options.formats) {
        auto formats = casecheck::cli::parse_formats(*options.formats);
        if (!formats) {
            std::cerr << "casecheck " << options.command << ": --format takes a comma-separated list of html, json, csv, fhir, state\n" << help;
            return exit_usage;
        }
        settings.formats = std::move(*formats);
    }
    for (const auto& [flag, text, target] : {std::tuple{"--threads", &options.threads, 0}, std::tuple{"--sample", &options.sample, 1},
                                             std::tuple{"--seed", &options.seed, 2}, std::tuple{"--memory-budget", &options.memory_budget, 3}}) {
        if (!*text) continue;
        const auto number = whole_number(*text);
        if (!number || (target == 0 && (*number == 0 || *number > 1024)) || (target == 3 && (*number == 0 || *number > (1u << 20)))) {
            std::cerr << "casecheck " << options.command << ": " << flag << " takes a positive whole number\n" << help;
            return exit_usage;
        }
        if (target == 0) settings.threads = static_cast<unsigned>(*number);
        if (target == 1) settings.sample = *number;
        if (target == 2) settings.seed = *number;
        if (target == 3) settings.memory_budget = static_cast<std::size_t>(*number) << 20;
    }
    settings.include_text = options.include_text;
    settings.subjects = options.subjects;
    settings.quiet = options.quiet;
    for (int i = 0; i < argc; ++i) settings.command_line += (i == 0 ? "casecheck" : std::string(" ") + argv[i]);
    if (merge) return casecheck::cli::run_merge(settings, plugin, std::cout, std::cerr);
    return casecheck::cli::run_audit(settings, plugin, std::cout, std::cerr);
}

int run_version(const Options& options, const casecheck::plugin& plugin) {
    const std::string description = plugin.version();
    if (options.json || !isatty(STDOUT_FILENO)) {
        std::cout << description << "\n";
        return exit_ok;
    }
    const auto info = nlohmann::json::parse(description);
    std::cout << "casecheck " << info.at("version").get<std::string>() << " (build "
              << info.at("build").get<std::string>() << ", ABI " << info.at("abi").at("major").get<int>() << "."
              << info.at("abi").at("minor").get<int>() << ")\n";
    return exit_ok;
}

// Generation needs no plugin: it runs before one is loaded.
int run_generate(const Options& options) {
    if (!options.operands.empty()) {
        std::cerr << "casecheck generate: unexpected operand " << options.operands.front() << "\n\n" << generate_help;
        return exit_usage;
    }
    casecheck::cli::GenerateArguments arguments;
    arguments.clients = options.clients;
    arguments.seed = options.seed;
    arguments.defect_rate = options.defect_rate;
    arguments.as_of = options.as_of;
    arguments.out = options.out_dir;
    arguments.truth = options.truth;
    arguments.labels = options.labels;
    return casecheck::cli::run_generate(arguments, std::cerr);
}

const char* help_for(const std::string& command) {
    if (command == "check") return check_help;
    if (command == "version") return version_help;
    if (command == "map") return map_help;
    if (command == "generate") return generate_help;
    if (command == "audit") return audit_help;
    if (command == "merge") return merge_help;
    return general_help;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (auto error = parse_arguments(argc, argv, options)) {
        std::cerr << "casecheck: " << error->message << "\n\n" << general_help;
        return exit_usage;
    }
    if (options.command == "help") {
        std::cout << help_for(options.operands.empty() ? "" : options.operands.front());
        return exit_ok;
    }
    if (options.help || options.command.empty()) {
        std::cout << help_for(options.command);
        return options.command.empty() && !options.help ? exit_usage : exit_ok;
    }
    if (options.command == "generate") return run_generate(options);
    if (options.command != "check" && options.command != "map" && options.command != "version" && options.command != "audit" &&
        options.command != "merge") {
        std::cerr << "casecheck: unknown command " << options.command << "\n\n" << general_help;
        return exit_usage;
    }

    try {
        const auto plugin = casecheck::plugin::load(plugin_path(options));
        if (options.command == "check") return run_check(options, plugin);
        if (options.command == "map") return run_map(options, plugin);
        if (options.command == "audit" || options.command == "merge") return run_audit_or_merge(options, plugin, argc, argv);
        return run_version(options, plugin);
    } catch (const casecheck::load_error& e) {
        std::cerr << "casecheck: " << e.what() << "\n";
        return exit_plugin;
    } catch (const casecheck::error& e) {
        std::cerr << "casecheck: " << e.what() << "\n";
        return exit_rejected;
    }
}
