#include "config.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace casecheck::cds {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& key, const std::string& problem) {
    throw std::runtime_error("configuration " + key + ": " + problem);
}

// Every object is read through this, so a misspelt key is an error rather than a silent default.
void reject_unknown_keys(const json& object, const std::string& where, std::initializer_list<const char*> known) {
    for (const auto& item : object.items()) {
        bool listed = false;
        for (const char* name : known) listed = listed || item.key() == name;
        if (!listed) fail(where + "/" + item.key(), "unknown key");
    }
}

const json* member(const json& object, const char* key, json::value_t type, const std::string& where) {
    const auto it = object.find(key);
    if (it == object.end()) return nullptr;
    const bool number_wanted = type == json::value_t::number_unsigned;
    if (number_wanted ? !it->is_number_unsigned() : it->type() != type) {
        fail(where + "/" + key, number_wanted ? "must be a non-negative integer" : "has the wrong type");
    }
    return &*it;
}

template <typename Unsigned>
void read_unsigned(const json& object, const char* key, const std::string& where, Unsigned& out, std::uint64_t minimum,
                   std::uint64_t maximum) {
    if (const json* value = member(object, key, json::value_t::number_unsigned, where)) {
        const auto number = value->get<std::uint64_t>();
        if (number < minimum || number > maximum) {
            fail(where + "/" + key, "must be between " + std::to_string(minimum) + " and " + std::to_string(maximum));
        }
        out = static_cast<Unsigned>(number);
    }
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    const std::filesystem::path path(value);
    return path.is_absolute() ? path : base / path;
}

void read_limits(const json& limits, LimitsConfig& out) {
    const std::string where = "/limits";
    reject_unknown_keys(limits, where, {"max_body_bytes", "max_header_bytes", "read_timeout_seconds",
                                        "write_timeout_seconds", "shutdown_grace_seconds"});
    read_unsigned(limits, "max_body_bytes", where, out.max_body_bytes, 1024, 256u * 1024 * 1024);
    read_unsigned(limits, "max_header_bytes", where, out.max_header_bytes, 1024, 1024 * 1024);
    read_unsigned(limits, "read_timeout_seconds", where, out.read_timeout_seconds, 1, 3600);
    read_unsigned(limits, "write_timeout_seconds", where, out.write_timeout_seconds, 1, 3600);
    read_unsigned(limits, "shutdown_grace_seconds", where, out.shutdown_grace_seconds, 0, 3600);
}

void read_auth(const json& auth, const std::filesystem::path& base, AuthConfig& out) {
    const std::string where = "/auth";
    reject_unknown_keys(auth, where, {"enabled", "issuers", "leeway_seconds", "max_lifetime_seconds", "replay_cache_limit"});
    if (const json* enabled = member(auth, "enabled", json::value_t::boolean, where)) out.enabled = enabled->get<bool>();
    if (const json* issuers = member(auth, "issuers", json::value_t::array, where)) {
        for (std::size_t i = 0; i < issuers->size(); ++i) {
            const std::string at = where + "/issuers/" + std::to_string(i);
            const json& entry = (*issuers)[i];
            if (!entry.is_object()) fail(at, "must be an object {\"iss\", \"jwks_file\"}");
            reject_unknown_keys(entry, at, {"iss", "jwks_file"});
            const json* iss = member(entry, "iss", json::value_t::string, at);
            const json* jwks = member(entry, "jwks_file", json::value_t::string, at);
            if (iss == nullptr || iss->get<std::string>().empty()) fail(at + "/iss", "required");
            if (jwks == nullptr || jwks->get<std::string>().empty()) fail(at + "/jwks_file", "required");
            out.issuers.push_back({iss->get<std::string>(), resolve(base, jwks->get<std::string>())});
        }
    }
    std::uint64_t leeway = static_cast<std::uint64_t>(out.leeway_seconds);
    std::uint64_t lifetime = static_cast<std::uint64_t>(out.max_lifetime_seconds);
    read_unsigned(auth, "leeway_seconds", where, leeway, 0, 600);
    read_unsigned(auth, "max_lifetime_seconds", where, lifetime, 1, 86400);
    read_unsigned(auth, "replay_cache_limit", where, out.replay_cache_limit, 1, 100000000);
    out.leeway_seconds = static_cast<std::int64_t>(leeway);
    out.max_lifetime_seconds = static_cast<std::int64_t>(lifetime);
    if (out.enabled && out.issuers.empty()) fail(where + "/issuers", "at least one trusted issuer is needed while authentication is enabled");
}

}  // namespace

ServiceConfig load_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the configuration file " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    json document;
    try {
        document = json::parse(text.str());
    } catch (const json::parse_error& e) {
        throw std::runtime_error("configuration file " + file.string() + " is not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!document.is_object()) fail("", "must be a JSON object");
    const std::filesystem::path base = std::filesystem::absolute(file).parent_path();

    ServiceConfig config;
    reject_unknown_keys(document, "", {"listen", "public_base_url", "threads", "plugin", "rule_pack", "engine",
                                       "feedback_log", "access_log", "limits", "auth"});
    if (const json* listen = member(document, "listen", json::value_t::object, "")) {
        reject_unknown_keys(*listen, "/listen", {"address", "port"});
        if (const json* address = member(*listen, "address", json::value_t::string, "/listen")) config.listen_address = address->get<std::string>();
        read_unsigned(*listen, "port", "/listen", config.listen_port, 0, 65535);
    }
    if (const json* url = member(document, "public_base_url", json::value_t::string, "")) {
        config.public_base_url = url->get<std::string>();
        while (!config.public_base_url.empty() && config.public_base_url.back() == '/') config.public_base_url.pop_back();
    }
    read_unsigned(document, "threads", "", config.threads, 0, 1024);
    const json* plugin = member(document, "plugin", json::value_t::string, "");
    if (plugin == nullptr) fail("/plugin", "required: the path of libcasecheck.so");
    config.plugin_path = resolve(base, plugin->get<std::string>());
    if (const json* pack = member(document, "rule_pack", json::value_t::string, "")) config.rule_pack = pack->get<std::string>();
    if (const json* engine = member(document, "engine", json::value_t::object, "")) {
        if (engine->contains("flavour") || engine->contains("rule_pack")) {
            fail("/engine", "must not set flavour or rule_pack: the service chooses the flavour, and rule_pack has its own key");
        }
        config.engine_extra_json = engine->dump();
    }
    const json* log = member(document, "feedback_log", json::value_t::string, "");
    if (log == nullptr || log->get<std::string>().empty()) fail("/feedback_log", "required: where feedback is appended");
    config.feedback_log = resolve(base, log->get<std::string>());
    if (const json* access = member(document, "access_log", json::value_t::boolean, "")) config.access_log = access->get<bool>();
    if (const json* limits = member(document, "limits", json::value_t::object, "")) read_limits(*limits, config.limits);
    if (const json* auth = member(document, "auth", json::value_t::object, "")) {
        read_auth(*auth, base, config.auth);
    } else {
        fail("/auth", "required: configure trusted issuers, or set {\"enabled\": false} explicitly");
    }
    return config;
}

}  // namespace casecheck::cds
