// What a criterion is to the engine: its description, its parameters, and the
// check that produces findings. Adding a criterion means writing one check
// file and listing it once in registry.cpp; nothing else changes.
#pragma once

#include "casecheck/model/record.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace casecheck {

// How urgent a prompt is (see DESIGN.md "Tiers").
enum class Severity { info, warning, critical };

// "info", "warning" or "critical".
std::string_view severity_name(Severity severity);

// One clause of a framework that supports a criterion, e.g. {"IRCM 2022", "Prac 9a"}.
struct Citation {
    std::string framework;
    std::string clause;
};

// The value types a criterion parameter can take.
enum class ParameterType { duration };

// A parameter a criterion accepts from configuration (and, later, rule packs).
struct ParameterSpec {
    std::string name;
    ParameterType type;
    std::string default_value;  // in its textual form, e.g. "PT24H"
};

// A parameter's resolved value.
using ParameterValue = std::variant<model::Duration>;

// Parameters resolved for one criterion, by name; every declared parameter is present.
class Parameters {
public:
    void set(const std::string& name, ParameterValue value) { values_[name] = std::move(value); }
    model::Duration duration(const std::string& name) const { return std::get<model::Duration>(values_.at(name)); }

private:
    std::map<std::string, ParameterValue> values_;
};

// Parses a parameter's textual value; nothing if it is not of the spec's type.
std::optional<ParameterValue> parse_parameter(const ParameterSpec& spec, std::string_view text);

// A proposed fix a host can offer with one click.
struct Suggestion {
    std::string kind;   // template, set-field, replace-text, create-resource
    std::string label;  // the button text
    std::string text;   // text to insert, if any
    nlohmann::ordered_json patch = nlohmann::ordered_json::array();  // RFC 6902 operations on the record
};

// Where in the record a finding points: a JSON pointer, and optionally a character span of a text field.
struct Evidence {
    std::string path;
    std::optional<std::pair<std::size_t, std::size_t>> span;
    std::vector<std::string> related;
};

// What a check reports; the engine adds the criterion, record, citations and id.
struct Finding {
    Severity severity = Severity::warning;
    std::string summary;  // one sentence, at most 140 characters
    std::string detail;
    Evidence evidence;
    std::optional<Suggestion> suggestion;
};

// Everything a check may look at. It never reads the wall clock: `as_of` is
// the configured clock, and may be absent.
struct CheckInput {
    const model::Record& record;
    const std::vector<model::Record>& case_records;
    std::optional<model::Instant> as_of;
};

// A configured check; immutable and safe to run from many threads at once.
class Check {
public:
    virtual ~Check() = default;
    // Appends this criterion's findings about input.record to `findings`.
    virtual void run(const CheckInput& input, std::vector<Finding>& findings) const = 0;
};

// A criterion the plugin knows how to check.
struct CriterionDefinition {
    std::string id;  // the CRITERIA.md id, e.g. "RK-01"
    std::string title;
    std::vector<ParameterSpec> parameters;
    std::vector<Citation> citations;
    // Builds the check from resolved parameters; on an inconsistent set it
    // returns nullptr and explains why in `error` (without client data).
    std::function<std::unique_ptr<Check>(const Parameters&, std::string& error)> make_check;
};

// Every criterion built into the plugin, in the order prompts are reported.
const std::vector<CriterionDefinition>& builtin_criteria();

}  // namespace casecheck
