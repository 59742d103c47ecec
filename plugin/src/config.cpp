// Engine::create: reading and validating the engine configuration.
#include "engine.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

namespace casecheck {
namespace {

using nlohmann::json;

Failure config_error(const std::string& path, const std::string& message) {
    return Failure{CASECHECK_E_CONFIG, "configuration " + path + ": " + message};
}

// Rejects any key of `object` that is not in `known`, naming the first one found.
// Keys are the host's own configuration, never client data, so naming them is safe.
std::optional<Failure> reject_unknown_keys(const json& object, const std::string& path,
                                           std::initializer_list<std::string_view> known) {
    for (const auto& item : object.items()) {
        bool found = false;
        for (auto key : known) found = found || item.key() == key;
        if (!found) return config_error(path + "/" + item.key(), "unknown key");
    }
    return std::nullopt;
}

std::optional<Failure> read_limit(const json& limits, const char* key, std::size_t min, std::size_t max,
                                  std::size_t& out) {
    const auto it = limits.find(key);
    if (it == limits.end()) return std::nullopt;
    const std::string path = std::string("/limits/") + key;
    if (!it->is_number_unsigned()) return config_error(path, "must be a whole number");
    const auto value = it->get<std::uint64_t>();
    if (value < min || value > max) {
        return config_error(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    out = static_cast<std::size_t>(value);
    return std::nullopt;
}

// Resolves one criterion's parameters: its check's defaults, then the pack's
// values, then the configuration's `overrides`.
Result<Parameters> resolve_parameters(const PackCriterion& criterion, const json* overrides) {
    const std::string path = "/parameters/" + criterion.id;
    Parameters parameters;
    for (const auto& spec : criterion.kind->parameters) parameters.set(spec.name, *parse_parameter(spec, spec.default_value));
    for (const auto& [name, value] : criterion.parameters) parameters.set(name, value);
    if (overrides == nullptr) return parameters;
    if (!overrides->is_object()) return config_error(path, "must be an object");

    for (const auto& item : overrides->items()) {
        const ParameterSpec* spec = criterion.kind->parameter(item.key());
        if (spec == nullptr) return config_error(path + "/" + item.key(), "unknown parameter");
        const auto value = item.value().is_string() ? parse_parameter(*spec, item.value().get<std::string>()) : std::nullopt;
        if (!value) {
            return config_error(path + "/" + item.key(),
                                "must be an ISO 8601 duration in weeks, days, hours, minutes or seconds");
        }
        parameters.set(spec->name, *value);
    }
    return parameters;
}

// The pack the configuration selects: a built-in id, {"file": path} or {"xml": text}.
Result<RulePack> select_rule_pack(const json& config) {
    const auto it = config.find("rule_pack");
    if (it == config.end()) return read_rule_pack(*builtin_rule_pack_xml("core"), "built-in pack core");
    if (it->is_string()) {
        const std::string id = it->get<std::string>();
        const auto xml = builtin_rule_pack_xml(id);
        if (!xml) return config_error("/rule_pack", "is not a built-in pack (give {\"file\": path} for a pack on disk)");
        return read_rule_pack(*xml, "built-in pack " + id);
    }
    if (!it->is_object() || it->size() != 1 || !(it->contains("file") || it->contains("xml")) || !it->begin()->is_string()) {
        return config_error("/rule_pack", "must be a built-in pack id, {\"file\": path} or {\"xml\": text}");
    }
    if (it->contains("xml")) return read_rule_pack(it->at("xml").get_ref<const std::string&>(), "inline pack");
    const std::string path = it->at("file").get<std::string>();
    std::ifstream file(path, std::ios::binary);
    if (!file) return config_error("/rule_pack/file", "cannot read the pack file " + path);
    std::ostringstream text;
    text << file.rdbuf();
    // A pack is configuration, but it is still bounded like any input.
    if (auto failure = check_text_input(text.str(), InputLimits{}, "rule pack " + path)) return *failure;
    return read_rule_pack(text.str(), path);
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::create(std::string_view config_json) {
    std::unique_ptr<Engine> engine(new Engine());
    json config = json::object();
    if (!config_json.empty()) {
        auto parsed = parse_json_input(config_json, InputLimits{}, "configuration");
        if (!parsed.ok()) return parsed.failure();
        config = std::move(parsed.value());
    }
    if (!config.is_object()) return config_error("/", "must be a JSON object");
    if (auto failure = reject_unknown_keys(config, "", {"as_of", "limits", "parameters", "rule_pack", "flavour"})) return *failure;
    engine->canonical_config_ = config.dump();  // json's object keys are sorted, so equal configurations dump equally

    if (const auto it = config.find("as_of"); it != config.end()) {
        const auto as_of = it->is_string() ? model::parse_instant(it->get<std::string>()) : std::nullopt;
        if (!as_of || as_of->date_only) return config_error("/as_of", "must be an RFC 3339 date-time with a UTC offset");
        engine->as_of_ = as_of;
    }

    if (const auto it = config.find("limits"); it != config.end()) {
        if (!it->is_object()) return config_error("/limits", "must be an object");
        if (auto failure = reject_unknown_keys(*it, "/limits", {"max_request_bytes", "max_depth"})) return *failure;
        if (auto failure = read_limit(*it, "max_request_bytes", 1, std::size_t{1} << 30, engine->limits_.max_bytes))
            return *failure;
        // Depth 2 is the least a request needs ({"record": {...}}); 1024 keeps recursion in the parser shallow.
        if (auto failure = read_limit(*it, "max_depth", 2, 1024, engine->limits_.max_depth)) return *failure;
    }

    if (const auto it = config.find("flavour"); it != config.end()) {
        const auto flavour = it->is_string() ? flavour_named(it->get_ref<const std::string&>()) : std::nullopt;
        if (!flavour) return config_error("/flavour", "must be \"native\", \"cds-hooks\" or \"fhir\"");
        engine->flavour_ = *flavour;
    }

    auto pack = select_rule_pack(config);
    if (!pack.ok()) return pack.failure();
    engine->rule_pack_ = pack.value().id;
    engine->text_engine_ = std::make_unique<const text::TextEngine>(pack.value().lexicon);

    std::map<std::string, const json*> overrides;
    if (const auto it = config.find("parameters"); it != config.end()) {
        if (!it->is_object()) return config_error("/parameters", "must be an object");
        for (const auto& item : it->items()) {
            bool known = false;
            for (const auto& criterion : pack.value().criteria) known = known || criterion.id == item.key();
            if (!known) return config_error("/parameters/" + item.key(), "unknown criterion (not in rule pack " + pack.value().id + ")");
            overrides[item.key()] = &item.value();
        }
    }

    for (const auto& declared : pack.value().criteria) {
        const auto found = overrides.find(declared.id);
        auto parameters = resolve_parameters(declared, found == overrides.end() ? nullptr : found->second);
        if (!parameters.ok()) return parameters.failure();
        Criterion criterion;
        criterion.id = declared.id;
        criterion.title = declared.title;
        criterion.kind = declared.kind;
        criterion.citations = declared.citations;
        for (const auto& spec : declared.kind->messages) {
            MessageSpec message = spec;
            if (const auto reworded = declared.messages.find(spec.key); reworded != declared.messages.end()) {
                if (reworded->second.severity) message.severity = *reworded->second.severity;
                if (reworded->second.summary) message.summary = *reworded->second.summary;
                if (reworded->second.detail) message.detail = *reworded->second.detail;
            }
            criterion.messages[spec.key] = std::move(message);
        }
        std::string error;
        criterion.check = declared.kind->make_check(parameters.value(), error);
        if (!criterion.check) return config_error("/parameters/" + declared.id, error);
        engine->criteria_.push_back(std::move(criterion));
    }
    return engine;
}

}  // namespace casecheck
