// What a criterion is to the engine: its description, its parameters, and the
// check that produces findings. Adding a criterion means writing one check
// file and listing it once in registry.cpp; nothing else changes.
#pragma once

#include "casecheck/model/record.hpp"
#include "text/statements.hpp"

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
    std::optional<nlohmann::ordered_json> resource;                    // for create-resource: a draft FHIR resource
};

// Where in the record a finding points: a JSON pointer, and optionally a character span of a text field.
struct Evidence {
    std::string path;
    std::optional<std::pair<std::size_t, std::size_t>> span;
    std::vector<std::string> related;
};

// Values substituted for a message's {placeholders}.
using MessageValues = std::map<std::string, std::string>;

// What a check reports: which of its messages, with what values; the engine
// adds the wording and severity the rule pack gives that message, and the
// criterion, record, citations and id.
struct Finding {
    std::string message;  // a MessageSpec key of the check
    MessageValues values;
    Evidence evidence;
    std::optional<Suggestion> suggestion;
};

// One thing a check can say, with its default wording; a rule pack may reword it.
struct MessageSpec {
    std::string key;
    Severity severity = Severity::warning;
    std::string summary;  // one sentence, at most 140 characters once filled in
    std::string detail;
    std::vector<std::string> placeholders;  // the {names} the check fills in
};

// Everything a check may look at. It never reads the wall clock: `as_of` is
// the configured clock, and may be absent.
struct CheckInput {
    const model::Record& record;
    const std::vector<model::Record>& case_records;
    std::optional<model::Instant> as_of;
    const text::TextReader& text;  // the rule pack's text engine, reading each free text once
};

// A configured check; immutable and safe to run from many threads at once.
class Check {
public:
    virtual ~Check() = default;
    // Appends this criterion's findings about input.record to `findings`.
    virtual void run(const CheckInput& input, std::vector<Finding>& findings) const = 0;
};

// A kind of check a rule pack can assign to a criterion ("timeliness",
// "attribution", ...): its parameters, its messages, and how to build it.
struct CheckKind {
    std::string name;
    std::vector<ParameterSpec> parameters;
    std::vector<MessageSpec> messages;
    // Builds the check from resolved parameters; on an inconsistent set it
    // returns nullptr and explains why in `error` (without client data).
    std::function<std::unique_ptr<Check>(const Parameters&, std::string& error)> make_check;
    // The record kinds this check passes judgement on: an audit's denominator for
    // the criterion. It never reports a finding on a record of another kind.
    std::vector<model::RecordKind> judges;

    bool judges_kind(model::RecordKind kind) const;
    const ParameterSpec* parameter(std::string_view name) const;
    const MessageSpec* message(std::string_view key) const;
};

// Every check kind built into the plugin.
const std::vector<CheckKind>& check_kinds();

// The check kind with that name, or nullptr.
const CheckKind* find_check_kind(std::string_view name);

// A criterion as a rule pack configures it and an engine runs it.
struct Criterion {
    std::string id;  // a CRITERIA.md id, e.g. "RK-01", or an organisation's own
    std::string title;
    const CheckKind* kind = nullptr;
    std::vector<Citation> citations;
    std::map<std::string, MessageSpec> messages;  // every message of the kind, as the pack words it
    std::unique_ptr<Check> check;
};

// Fills {name} placeholders from `values`; unknown names are left as written.
std::string fill_placeholders(std::string_view text, const MessageValues& values);

}  // namespace casecheck
