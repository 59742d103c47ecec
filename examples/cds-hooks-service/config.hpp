// config.hpp: the service's configuration file (JSON), read once at start-up.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace casecheck::cds {

// One token issuer the service trusts, and where its public keys are.
struct IssuerConfig {
    std::string issuer;                  // the JWT "iss" value, exactly
    std::filesystem::path jwks_file;     // a JWK Set (JSON) holding its public keys
};

// JWT checking of every hook and feedback call (CDS Hooks 2.0, "Trusting CDS Clients").
struct AuthConfig {
    bool enabled = true;                 // on unless the file turns it off
    std::vector<IssuerConfig> issuers;
    std::int64_t leeway_seconds = 60;
    std::int64_t max_lifetime_seconds = 300;
    std::size_t replay_cache_limit = 100000;
};

// Bounds on what one connection may cost.
struct LimitsConfig {
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::uint32_t read_timeout_seconds = 15;    // whole request, headers and body, and keep-alive idle time
    std::uint32_t write_timeout_seconds = 15;
    std::uint32_t shutdown_grace_seconds = 20;  // in-flight requests get this long after SIGTERM
};

// Everything the service is told by its configuration file.
struct ServiceConfig {
    std::string listen_address = "127.0.0.1";
    std::uint16_t listen_port = 8085;           // 0 picks a free port (tests)
    std::string public_base_url;                // what clients call; empty: http://address:port. JWT aud is built on it
    unsigned threads = 0;                       // 0: one per hardware thread
    std::filesystem::path plugin_path;          // libcasecheck.so
    std::string rule_pack = "core";
    std::string engine_extra_json = "{}";       // further engine settings (parameters, as_of), passed through
    std::filesystem::path feedback_log;
    bool access_log = true;                     // one line per request on stderr: route, status, time; never data
    LimitsConfig limits;
    AuthConfig auth;
};

// Reads and checks a configuration file; relative paths in it are taken from the file's folder.
// Throws std::runtime_error naming the offending key.
ServiceConfig load_config(const std::filesystem::path& file);

}  // namespace casecheck::cds
