// casecheck.hpp: a header-only C++17 host-side wrapper over casecheck.h.
//
// It loads the plugin with Boost.DLL (define BOOST_DLL_USE_STD_FS; link with
// -ldl only), keeps the library loaded for as long as any plugin, engine or
// buffer object refers to it, and turns status codes into exceptions. It
// never links the plugin: hosts reach it only through the C ABI.
//
//     auto plugin = casecheck::plugin::load("/usr/lib/casecheck/libcasecheck.so");
//     auto engine = plugin.create_engine(R"({"as_of": "2026-03-06T09:00:00Z"})");
//     casecheck::buffer response = engine.check(request_json);
//     std::cout << response.view();
//
// Thread rules follow casecheck.h: an engine may be used by many threads at
// once; copying or destroying one wrapper object is not synchronised.
#pragma once

#ifndef BOOST_DLL_USE_STD_FS
#error "casecheck.hpp needs BOOST_DLL_USE_STD_FS (so that Boost.DLL uses std::filesystem); the casecheck::sdk target sets it"
#endif

#include "casecheck/casecheck.h"

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace casecheck {

// A failed call: the status from casecheck.h and the plugin's message.
class error : public std::runtime_error {
public:
    error(casecheck_status status, std::string status_name, const std::string& message)
        : std::runtime_error(status_name + ": " + message), status_(status), status_name_(std::move(status_name)) {}

    // The status code (CASECHECK_E_...).
    casecheck_status status() const noexcept { return status_; }
    // The status's name, e.g. "E_SCHEMA".
    const std::string& status_name() const noexcept { return status_name_; }

private:
    casecheck_status status_;
    std::string status_name_;
};

// The plugin could not be loaded, or does not serve this header's ABI major.
class load_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {

// The loaded library and its function table; shared by everything that may call into it.
struct loaded_plugin {
    boost::dll::shared_library library;
    const casecheck_api* api = nullptr;
};

using plugin_ref = std::shared_ptr<const loaded_plugin>;

}  // namespace detail

// A buffer the plugin returned; released with the plugin's own free_buffer.
class buffer {
public:
    buffer() = default;
    buffer(detail::plugin_ref plugin, char* data, std::size_t size) noexcept
        : plugin_(std::move(plugin)), data_(data), size_(size) {}
    buffer(buffer&& other) noexcept { swap(other); }
    buffer& operator=(buffer&& other) noexcept {
        buffer(std::move(other)).swap(*this);
        return *this;
    }
    buffer(const buffer&) = delete;
    buffer& operator=(const buffer&) = delete;
    ~buffer() {
        if (data_ != nullptr) plugin_->api->free_buffer(data_);
    }

    // The contents (UTF-8); valid while this object lives.
    std::string_view view() const noexcept { return {data_ == nullptr ? "" : data_, size_}; }
    // A copy of the contents.
    std::string str() const { return std::string(view()); }
    std::size_t size() const noexcept { return size_; }

    void swap(buffer& other) noexcept {
        std::swap(plugin_, other.plugin_);
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
    }

private:
    detail::plugin_ref plugin_;
    char* data_ = nullptr;
    std::size_t size_ = 0;
};

namespace detail {

// Throws casecheck::error for a failed status, taking ownership of the message buffer.
inline void throw_on_failure(const plugin_ref& plugin, casecheck_status status, char* message, std::size_t length) {
    buffer text(plugin, message, length);
    if (status == CASECHECK_OK) return;
    throw error(status, plugin->api->status_name(status), text.size() != 0 ? text.str() : "(no message)");
}

}  // namespace detail

// A configured engine. Move-only; the plugin stays loaded while it exists.
class engine {
public:
    engine(engine&&) noexcept = default;
    engine& operator=(engine&&) noexcept = default;
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;
    ~engine() = default;

    // Checks a request document; returns the response document. Throws casecheck::error.
    // [thread-safe] Many threads may call check on one engine at once.
    buffer check(std::string_view request_json) const {
        char* out = nullptr;
        std::size_t out_len = 0;
        const casecheck_status status = plugin_->api->check(handle_.get(), request_json.data(), request_json.size(), &out, &out_len);
        if (status != CASECHECK_OK) detail::throw_on_failure(plugin_, status, out, out_len);
        return buffer(plugin_, out, out_len);
    }

    // A FHIR R4 Bundle and the mapping issues (a JSON array) that to_fhir returned.
    struct fhir_output {
        buffer bundle;
        buffer issues;
    };

    // Maps the records of a request to a FHIR R4 Bundle; `options_json` as for
    // casecheck_api::to_fhir. Throws casecheck::error (E_VERSION from a 1.0 plugin).
    // [thread-safe]
    fhir_output to_fhir(std::string_view request_json, std::string_view options_json = {}) const {
        if (!CASECHECK_API_HAS(plugin_->api, to_fhir)) {
            throw error(CASECHECK_E_VERSION, "E_VERSION", "the loaded plugin predates to_fhir (ABI 1.1)");
        }
        char* out = nullptr;
        std::size_t out_len = 0;
        char* issues = nullptr;
        std::size_t issues_len = 0;
        const casecheck_status status =
            plugin_->api->to_fhir(handle_.get(), request_json.data(), request_json.size(), options_json.data(),
                                  options_json.size(), &out, &out_len, &issues, &issues_len);
        if (status != CASECHECK_OK) detail::throw_on_failure(plugin_, status, out, out_len);
        return {buffer(plugin_, out, out_len), buffer(plugin_, issues, issues_len)};
    }

    // Begins an audit (casecheck_api::audit_begin; options as documented there).
    // Throws casecheck::error (E_VERSION from a plugin older than ABI 1.2).
    // [thread-safe] The audit keeps this engine alive.
    class audit begin_audit(std::string_view options_json = {}) const;

    // The raw handle, for calls this wrapper does not cover yet.
    const casecheck_engine* handle() const noexcept { return handle_.get(); }

private:
    friend class plugin;
    friend class audit;

    struct destroyer {
        detail::plugin_ref plugin;
        void operator()(casecheck_engine* handle) const noexcept { plugin->api->engine_destroy(handle); }
    };

    engine(detail::plugin_ref plugin, casecheck_engine* handle)
        : plugin_(plugin), handle_(handle, destroyer{std::move(plugin)}) {}

    // Declared first so that it is destroyed after handle_ (members die in reverse order).
    detail::plugin_ref plugin_;
    // Shared, because an audit borrows its engine and must keep it alive.
    std::shared_ptr<casecheck_engine> handle_;
};

// An audit in progress (ABI 1.2). Move-only; one thread at a time. It keeps its
// engine and the plugin alive.
class audit {
public:
    audit(audit&&) noexcept = default;
    audit& operator=(audit&&) noexcept = default;
    audit(const audit&) = delete;
    audit& operator=(const audit&) = delete;
    ~audit() = default;

    // Audits whole NDJSON lines, one client's case each; bad lines are counted, not thrown.
    void add(std::string_view ndjson, std::string_view source = {}, std::uint64_t first_line = 1) {
        const casecheck_status status =
            plugin_->api->audit_add(handle_.get(), ndjson.data(), ndjson.size(), source.data(), source.size(), first_line);
        if (status != CASECHECK_OK) detail::throw_on_failure(plugin_, status, nullptr, 0);
    }

    // Adds another audit's counts (same configuration and options). Throws casecheck::error.
    void merge(const audit& other) {
        char* message = nullptr;
        std::size_t message_len = 0;
        const casecheck_status status = plugin_->api->audit_merge(handle_.get(), other.handle_.get(), &message, &message_len);
        detail::throw_on_failure(plugin_, status, message, message_len);
    }

    // Adds counts saved with finish("state"). Throws casecheck::error.
    void merge_state(std::string_view state) {
        char* message = nullptr;
        std::size_t message_len = 0;
        const casecheck_status status = plugin_->api->audit_merge_state(handle_.get(), state.data(), state.size(), &message, &message_len);
        detail::throw_on_failure(plugin_, status, message, message_len);
    }

    // The report so far: "json", "csv", "fhir", "html" or "state". Throws casecheck::error.
    buffer finish(std::string_view format) const {
        char* out = nullptr;
        std::size_t out_len = 0;
        const casecheck_status status = plugin_->api->audit_finish(handle_.get(), format.data(), format.size(), &out, &out_len);
        if (status != CASECHECK_OK) detail::throw_on_failure(plugin_, status, out, out_len);
        return buffer(plugin_, out, out_len);
    }

    // The raw handle, for calls this wrapper does not cover yet.
    casecheck_audit* handle() const noexcept { return handle_.get(); }

private:
    friend class engine;

    struct destroyer {
        detail::plugin_ref plugin;
        std::shared_ptr<casecheck_engine> engine;  // outlives the audit that borrows it
        void operator()(casecheck_audit* handle) const noexcept { plugin->api->audit_destroy(handle); }
    };

    audit(detail::plugin_ref plugin, std::shared_ptr<casecheck_engine> engine, casecheck_audit* handle)
        : plugin_(plugin), handle_(handle, destroyer{std::move(plugin), std::move(engine)}) {}

    detail::plugin_ref plugin_;
    std::unique_ptr<casecheck_audit, destroyer> handle_;
};

inline audit engine::begin_audit(std::string_view options_json) const {
    if (!CASECHECK_API_HAS(plugin_->api, audit_destroy)) {
        throw error(CASECHECK_E_VERSION, "E_VERSION", "the loaded plugin predates the audit (ABI 1.2)");
    }
    casecheck_audit* handle = nullptr;
    char* message = nullptr;
    std::size_t message_len = 0;
    const casecheck_status status =
        plugin_->api->audit_begin(handle_.get(), options_json.data(), options_json.size(), &handle, &message, &message_len);
    detail::throw_on_failure(plugin_, status, message, message_len);
    return audit(plugin_, handle_, handle);
}

// A loaded plugin. Cheap to copy; every copy and every engine and buffer made
// from it keep the library loaded.
class plugin {
public:
    // Loads the plugin at `path` (RTLD_NOW | RTLD_LOCAL) and fetches the table
    // for this header's ABI major. Throws load_error.
    static plugin load(const std::filesystem::path& path) {
        auto loaded = std::make_shared<detail::loaded_plugin>();
        try {
            // The throwing overload keeps dlerror()'s text, which says what is wrong.
            loaded->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
        } catch (const std::exception& e) {
            throw load_error("cannot load the casecheck plugin " + path.string() + ": " + e.what());
        }
        if (!loaded->library.has(CASECHECK_ENTRY_SYMBOL)) {
            throw load_error(path.string() + " is not a casecheck plugin (no " CASECHECK_ENTRY_SYMBOL ")");
        }
        auto& get_api = loaded->library.get<const casecheck_api*(std::uint32_t)>(CASECHECK_ENTRY_SYMBOL);
        loaded->api = get_api(CASECHECK_ABI_MAJOR);
        if (loaded->api == nullptr) {
            throw load_error(path.string() + " does not serve casecheck ABI major " + std::to_string(CASECHECK_ABI_MAJOR));
        }
        if (loaded->api->struct_size < offsetof(casecheck_api, free_buffer) + sizeof(loaded->api->free_buffer)) {
            throw load_error(path.string() + " has a truncated casecheck_api table");
        }
        return plugin(std::move(loaded));
    }

    // The plugin's self-description (JSON: name, version, build, abi, criteria, rule packs).
    std::string version() const { return plugin_->api->version(); }

    // Creates an engine from a configuration document; empty selects the defaults. Throws casecheck::error.
    engine create_engine(std::string_view config_json = {}) const {
        casecheck_engine* handle = nullptr;
        char* message = nullptr;
        std::size_t message_len = 0;
        const casecheck_status status =
            plugin_->api->engine_create(config_json.data(), config_json.size(), &handle, &message, &message_len);
        detail::throw_on_failure(plugin_, status, message, message_len);
        return engine(plugin_, handle);
    }

    // The raw function table, for calls this wrapper does not cover yet. Valid while this object lives.
    const casecheck_api& api() const noexcept { return *plugin_->api; }

private:
    explicit plugin(detail::plugin_ref loaded) : plugin_(std::move(loaded)) {}

    detail::plugin_ref plugin_;
};

}  // namespace casecheck
