// Helpers for tests that reach the plugin through its real ABI, loaded at run time.
#pragma once

#include "casecheck/casecheck.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace casecheck_test {

// A fresh load of the plugin under test (each call is its own host object).
inline casecheck::plugin load_plugin() { return casecheck::plugin::load(CASECHECK_PLUGIN_PATH); }

// The outcome of one raw ABI call: its status and the buffer it returned, as text.
struct Outcome {
    casecheck_status status = CASECHECK_E_INTERNAL;
    std::string text;

    nlohmann::json json() const { return nlohmann::json::parse(text); }
};

// Calls engine_create through the table, capturing the status and message.
inline Outcome create_engine(const casecheck_api& api, const std::string& config, casecheck_engine** engine) {
    char* message = nullptr;
    std::size_t length = 0;
    Outcome outcome;
    outcome.status = api.engine_create(config.data(), config.size(), engine, &message, &length);
    if (message != nullptr) outcome.text.assign(message, length);
    api.free_buffer(message);
    return outcome;
}

// Calls check through the table, capturing the status and the response or message.
inline Outcome check(const casecheck_api& api, const casecheck_engine* engine, const std::string& request) {
    char* out = nullptr;
    std::size_t length = 0;
    Outcome outcome;
    outcome.status = api.check(engine, request.data(), request.size(), &out, &length);
    if (out != nullptr) outcome.text.assign(out, length);
    api.free_buffer(out);
    return outcome;
}

// Checks one request with a fresh engine made from `config`; fails the test on any error.
inline nlohmann::json check_ok(const std::string& request, const std::string& config = "") {
    const auto plugin = load_plugin();
    const auto engine = plugin.create_engine(config);
    return nlohmann::json::parse(engine.check(request).view());
}

// The prompts of one criterion in a response.
inline nlohmann::json prompts_for(const nlohmann::json& response, const std::string& criterion) {
    nlohmann::json selected = nlohmann::json::array();
    for (const auto& prompt : response.at("prompts")) {
        if (prompt.at("criterion") == criterion) selected.push_back(prompt);
    }
    return selected;
}

// A note that satisfies every criterion the plugin checks; tests change one field at a time.
inline nlohmann::json good_note() {
    return {
        {"id", "note-1"},
        {"kind", "note"},
        {"client", "client-1"},
        {"author", {{"id", "staff-7"}, {"name", "Sam Example"}, {"role", "case manager"}}},
        {"occurred", "2026-03-02T10:00:00Z"},
        {"recorded", "2026-03-02T15:00:00Z"},
        {"type", "contact"},
        {"text", "Home visit. Reviewed the care plan with the client."},
        {"signed", true},
        {"information_given", {"privacy", "complaints"}},
        {"consent_reconfirmed", true},
    };
}

// A consent to engage for client-1, so that contact notes meet CO-01.
inline nlohmann::json engage_consent() {
    return {{"id", "consent-engage"},
            {"kind", "consent"},
            {"client", "client-1"},
            {"scope", "engage"},
            {"status", "active"},
            {"date", "2026-01-05T10:00:00Z"},
            {"capacity", {{"assessed", true}, {"outcome", "has capacity"}}}};
}

// A request checking one record, with the case context a compliant record needs.
inline std::string request_for(const nlohmann::json& record) {
    return nlohmann::json{{"record", record}, {"context", nlohmann::json::array({engage_consent()})}}.dump();
}

}  // namespace casecheck_test
