// The C ABI: the only code that hosts reach. Every entry point is a thin,
// noexcept shell around the engine that turns failures into a status and a
// plugin-owned message buffer; nothing thrown inside ever crosses the boundary.
#include "casecheck/casecheck.h"

#include "audit/audit.hpp"
#include "engine.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <new>

#ifndef CASECHECK_VERSION
#error "the build must define CASECHECK_VERSION"
#endif
#ifndef CASECHECK_BUILD_ID
#define CASECHECK_BUILD_ID "unknown"
#endif

struct casecheck_engine {
    std::unique_ptr<casecheck::Engine> engine;
};

struct casecheck_audit {
    casecheck::audit::Audit audit;
};

namespace {

using casecheck::Failure;

// Copies text into a malloc'd, NUL-terminated buffer, released by free_buffer.
// Returns false when memory ran out (and leaves the outputs empty).
bool hand_out(std::string_view text, char** out, std::size_t* out_len) noexcept {
    char* buffer = static_cast<char*>(std::malloc(text.size() + 1));
    if (buffer == nullptr) return false;
    if (!text.empty()) std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    *out = buffer;
    *out_len = text.size();
    return true;
}

casecheck_status fail(const Failure& failure, char** out, std::size_t* out_len) noexcept {
    if (out == nullptr || out_len == nullptr) return failure.status;
    return hand_out(failure.message, out, out_len) ? failure.status : CASECHECK_E_OUT_OF_MEMORY;
}

// Runs `body`, converting anything it throws into a status. The message for an
// unexpected exception is fixed text: what() of a library error may quote input.
template <typename Body>
casecheck_status guarded(char** out, std::size_t* out_len, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return CASECHECK_E_OUT_OF_MEMORY;
    } catch (...) {
        return fail(Failure{CASECHECK_E_INTERNAL, "internal error in the casecheck plugin; the call had no effect"}, out,
                    out_len);
    }
}

const char* CASECHECK_CALL version() noexcept try {
    // Built once and never changed; the string lives until the plugin is unloaded.
    static const std::string description = [] {
        // The default pack's criteria: what an engine with an empty configuration checks.
        nlohmann::ordered_json criteria = nlohmann::ordered_json::array();
        const auto core = casecheck::read_rule_pack(*casecheck::builtin_rule_pack_xml("core"), "built-in pack core");
        if (core.ok()) {
            for (const auto& criterion : core.value().criteria) criteria.push_back(criterion.id);
        }
        nlohmann::ordered_json kinds = nlohmann::ordered_json::array();
        for (const auto& kind : casecheck::check_kinds()) kinds.push_back(kind.name);
        nlohmann::ordered_json info;
        info["name"] = "casecheck";
        info["version"] = CASECHECK_VERSION;
        info["build"] = CASECHECK_BUILD_ID;
        info["abi"] = {{"major", CASECHECK_ABI_MAJOR}, {"minor", CASECHECK_ABI_MINOR}};
        info["criteria"] = std::move(criteria);
        info["rule_packs"] = casecheck::builtin_rule_pack_ids();
        info["check_kinds"] = std::move(kinds);
        return info.dump();
    }();
    return description.c_str();
} catch (...) {
    // Only memory exhaustion gets here; a host still gets valid JSON.
    return "{\"name\":\"casecheck\",\"version\":\"" CASECHECK_VERSION "\"}";
}

const char* CASECHECK_CALL status_name(casecheck_status status) noexcept { return casecheck::status_name(status); }

casecheck_status CASECHECK_CALL engine_create(const char* config_json, std::size_t config_len,
                                              casecheck_engine** out_engine, char** out_error,
                                              std::size_t* out_error_len) noexcept {
    if (out_engine == nullptr || (out_error == nullptr) != (out_error_len == nullptr)) {
        return CASECHECK_E_INVALID_ARGUMENT;
    }
    *out_engine = nullptr;
    if (out_error != nullptr) {
        *out_error = nullptr;
        *out_error_len = 0;
    }
    if (config_json == nullptr && config_len != 0) {
        return fail(Failure{CASECHECK_E_INVALID_ARGUMENT, "config_json is NULL but config_len is not 0"}, out_error,
                    out_error_len);
    }
    return guarded(out_error, out_error_len, [&]() -> casecheck_status {
        auto created = casecheck::Engine::create(std::string_view(config_json == nullptr ? "" : config_json, config_len));
        if (!created.ok()) return fail(created.failure(), out_error, out_error_len);
        *out_engine = new casecheck_engine{std::move(created.value())};
        return CASECHECK_OK;
    });
}

void CASECHECK_CALL engine_destroy(casecheck_engine* engine) noexcept { delete engine; }

casecheck_status CASECHECK_CALL check(const casecheck_engine* engine, const char* request_json,
                                      std::size_t request_len, char** out, std::size_t* out_len) noexcept {
    if (out == nullptr || out_len == nullptr) return CASECHECK_E_INVALID_ARGUMENT;
    *out = nullptr;
    *out_len = 0;
    if (engine == nullptr) return CASECHECK_E_INVALID_ARGUMENT;
    if (request_json == nullptr && request_len != 0) {
        return fail(Failure{CASECHECK_E_INVALID_ARGUMENT, "request_json is NULL but request_len is not 0"}, out,
                    out_len);
    }
    return guarded(out, out_len, [&]() -> casecheck_status {
        auto response = engine->engine->check(std::string_view(request_json == nullptr ? "" : request_json, request_len));
        if (!response.ok()) return fail(response.failure(), out, out_len);
        return hand_out(response.value(), out, out_len) ? CASECHECK_OK : CASECHECK_E_OUT_OF_MEMORY;
    });
}

casecheck_status CASECHECK_CALL to_fhir(const casecheck_engine* engine, const char* request_json, std::size_t request_len,
                                        const char* options_json, std::size_t options_len, char** out,
                                        std::size_t* out_len, char** out_issues, std::size_t* out_issues_len) noexcept {
    if (out == nullptr || out_len == nullptr || (out_issues == nullptr) != (out_issues_len == nullptr)) {
        return CASECHECK_E_INVALID_ARGUMENT;
    }
    *out = nullptr;
    *out_len = 0;
    if (out_issues != nullptr) {
        *out_issues = nullptr;
        *out_issues_len = 0;
    }
    if (engine == nullptr) return CASECHECK_E_INVALID_ARGUMENT;
    if ((request_json == nullptr && request_len != 0) || (options_json == nullptr && options_len != 0)) {
        return fail(Failure{CASECHECK_E_INVALID_ARGUMENT, "a NULL input has a non-zero length"}, out, out_len);
    }
    return guarded(out, out_len, [&]() -> casecheck_status {
        auto mapped = engine->engine->to_fhir(std::string_view(request_json == nullptr ? "" : request_json, request_len),
                                              std::string_view(options_json == nullptr ? "" : options_json, options_len));
        if (!mapped.ok()) return fail(mapped.failure(), out, out_len);
        if (!hand_out(mapped.value().document, out, out_len)) return CASECHECK_E_OUT_OF_MEMORY;
        if (out_issues != nullptr && !hand_out(mapped.value().issues, out_issues, out_issues_len)) {
            std::free(*out);
            *out = nullptr;
            *out_len = 0;
            return CASECHECK_E_OUT_OF_MEMORY;
        }
        return CASECHECK_OK;
    });
}

void CASECHECK_CALL free_buffer(char* buffer) noexcept { std::free(buffer); }

// Clears an optional error output pair; false when only one of the two was given.
bool reset_error(char** out_error, std::size_t* out_error_len) noexcept {
    if ((out_error == nullptr) != (out_error_len == nullptr)) return false;
    if (out_error != nullptr) {
        *out_error = nullptr;
        *out_error_len = 0;
    }
    return true;
}

std::string_view view(const char* text, std::size_t len) noexcept { return std::string_view(text == nullptr ? "" : text, len); }

casecheck_status CASECHECK_CALL audit_begin(const casecheck_engine* engine, const char* options_json, std::size_t options_len,
                                            casecheck_audit** out_audit, char** out_error, std::size_t* out_error_len) noexcept {
    if (out_audit == nullptr || !reset_error(out_error, out_error_len)) return CASECHECK_E_INVALID_ARGUMENT;
    *out_audit = nullptr;
    if (engine == nullptr || (options_json == nullptr && options_len != 0)) {
        return fail(Failure{CASECHECK_E_INVALID_ARGUMENT, "engine is NULL, or options_json is NULL with a non-zero length"}, out_error, out_error_len);
    }
    return guarded(out_error, out_error_len, [&]() -> casecheck_status {
        auto options = casecheck::audit::read_options(view(options_json, options_len));
        if (!options.ok()) return fail(options.failure(), out_error, out_error_len);
        *out_audit = new casecheck_audit{casecheck::audit::Audit(*engine->engine, options.value())};
        return CASECHECK_OK;
    });
}

casecheck_status CASECHECK_CALL audit_add(casecheck_audit* audit, const char* ndjson, std::size_t len, const char* source,
                                          std::size_t source_len, std::uint64_t first_line) noexcept {
    if (audit == nullptr || (ndjson == nullptr && len != 0) || (source == nullptr && source_len != 0)) return CASECHECK_E_INVALID_ARGUMENT;
    return guarded(nullptr, nullptr, [&]() -> casecheck_status {
        audit->audit.add(view(ndjson, len), view(source, source_len), first_line);
        return CASECHECK_OK;
    });
}

casecheck_status CASECHECK_CALL audit_merge(casecheck_audit* into, const casecheck_audit* from, char** out_error,
                                            std::size_t* out_error_len) noexcept {
    if (!reset_error(out_error, out_error_len) || into == nullptr || from == nullptr) return CASECHECK_E_INVALID_ARGUMENT;
    return guarded(out_error, out_error_len, [&]() -> casecheck_status {
        if (auto failure = into->audit.merge(from->audit)) return fail(*failure, out_error, out_error_len);
        return CASECHECK_OK;
    });
}

casecheck_status CASECHECK_CALL audit_merge_state(casecheck_audit* into, const char* state, std::size_t state_len, char** out_error,
                                                  std::size_t* out_error_len) noexcept {
    if (!reset_error(out_error, out_error_len) || into == nullptr || (state == nullptr && state_len != 0)) return CASECHECK_E_INVALID_ARGUMENT;
    return guarded(out_error, out_error_len, [&]() -> casecheck_status {
        if (auto failure = into->audit.merge_state(view(state, state_len))) return fail(*failure, out_error, out_error_len);
        return CASECHECK_OK;
    });
}

casecheck_status CASECHECK_CALL audit_finish(const casecheck_audit* audit, const char* format, std::size_t format_len, char** out,
                                             std::size_t* out_len) noexcept {
    if (out == nullptr || out_len == nullptr) return CASECHECK_E_INVALID_ARGUMENT;
    *out = nullptr;
    *out_len = 0;
    if (audit == nullptr || (format == nullptr && format_len != 0)) return CASECHECK_E_INVALID_ARGUMENT;
    return guarded(out, out_len, [&]() -> casecheck_status {
        auto report = audit->audit.report(view(format, format_len));
        if (!report.ok()) return fail(report.failure(), out, out_len);
        return hand_out(report.value(), out, out_len) ? CASECHECK_OK : CASECHECK_E_OUT_OF_MEMORY;
    });
}

void CASECHECK_CALL audit_destroy(casecheck_audit* audit) noexcept { delete audit; }

constexpr casecheck_api api_v1 = {
    sizeof(casecheck_api), CASECHECK_ABI_MAJOR, CASECHECK_ABI_MINOR, 0u, version, status_name, engine_create,
    engine_destroy,        check,               free_buffer,         to_fhir,     audit_begin,
    audit_add,             audit_merge,         audit_merge_state,   audit_finish, audit_destroy,
};

}  // namespace

extern "C" CASECHECK_EXPORT const casecheck_api* CASECHECK_CALL casecheck_get_api(uint32_t abi_major) {
    return abi_major == CASECHECK_ABI_MAJOR ? &api_v1 : nullptr;
}
