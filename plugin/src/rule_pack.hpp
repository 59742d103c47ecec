// Rule packs: XML files (sdk/schema/rule-pack.xsd) that choose the criteria an
// engine checks, with each criterion's check kind, parameters, wording and
// citations. Built-in packs are compiled in; a pack on disk or inline may
// extend one and override or remove its criteria.
#pragma once

#include "criterion.hpp"
#include "failure.hpp"
#include "text/lexicon.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casecheck {

// A pack's rewording of one message of a check.
struct PackMessage {
    std::optional<Severity> severity;
    std::optional<std::string> summary;
    std::optional<std::string> detail;
};

// A criterion as a pack declares it, validated against its check kind.
struct PackCriterion {
    std::string id;
    std::string title;
    const CheckKind* kind = nullptr;
    std::map<std::string, ParameterValue> parameters;
    std::vector<Citation> citations;
    std::map<std::string, PackMessage> messages;
};

struct RulePack {
    std::string id;
    std::string version;
    std::string title;
    std::vector<PackCriterion> criteria;  // in the order prompts are reported
    text::Lexicon lexicon;                // the text engine's phrases: the built-in "en" unless the pack changes them
};

// Reads a pack, resolving `extends` against the built-in packs. `source` names
// the pack in errors ("built-in pack core", a file path, "inline pack"); every
// error is E_CONFIG with the line and column.
Result<RulePack> read_rule_pack(std::string_view xml, const std::string& source);

// The built-in pack with that id, or nothing.
std::optional<std::string_view> builtin_rule_pack_xml(std::string_view id);

// The ids of the built-in packs, in a fixed order.
std::vector<std::string> builtin_rule_pack_ids();

}  // namespace casecheck
