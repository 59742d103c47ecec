// casecheck: the command-line host. It loads the plugin through the SDK, as
// any host would, and never links it.
#include "casecheck/casecheck.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
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
  casecheck version
  casecheck help [COMMAND]

Commands:
  check     Check a request document (one record, or a batch, with its case context)
            or FHIR R4 (JSON, NDJSON or XML) and print the prompts.
  map       Map the records of a request to a FHIR R4 Bundle (JSON or XML).
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
(sdk/schema/prompt.schema.json).

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
        } else if (argument == "--rule-pack") {
            error = value(options.rule_pack);
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

// Prints prompts grouped by record, one line each, worst first within a record.
void print_table(const nlohmann::json& response) {
    const bool colour = use_colour();
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
        print_table(document);
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

const char* help_for(const std::string& command) {
    if (command == "check") return check_help;
    if (command == "version") return version_help;
    if (command == "map") return map_help;
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
    if (options.command != "check" && options.command != "map" && options.command != "version") {
        std::cerr << "casecheck: unknown command " << options.command << "\n\n" << general_help;
        return exit_usage;
    }

    try {
        const auto plugin = casecheck::plugin::load(plugin_path(options));
        if (options.command == "check") return run_check(options, plugin);
        if (options.command == "map") return run_map(options, plugin);
        return run_version(options, plugin);
    } catch (const casecheck::load_error& e) {
        std::cerr << "casecheck: " << e.what() << "\n";
        return exit_plugin;
    } catch (const casecheck::error& e) {
        std::cerr << "casecheck: " << e.what() << "\n";
        return exit_rejected;
    }
}
