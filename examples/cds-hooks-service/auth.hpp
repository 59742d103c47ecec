// Who may call the CDS Hooks service: the signed JWT a CDS client sends in every
// request (CDS Hooks 2.0, "Trusting CDS Clients"), checked against the JWK Sets
// of the clients we trust. RS256, RS384, ES256 and ES384; nothing symmetric, never "none".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace casecheck::cds {

// One client allowed to call the service: its issuer string and its public keys (a JWKS document).
struct TrustedIssuer {
    std::string issuer;     // compared with the token's `iss` exactly, as RFC 7519 compares StringOrURI
    std::string jwks_json;  // {"keys": [...]}; keys we cannot use for signatures (use "enc", OKP, P-521) are skipped
};

// What a token must satisfy.
struct TokenPolicy {
    // The service's base URL as clients address it. A client names the endpoint it calls
    // ({base}/cds-services or {base}/cds-services/{id}[/feedback]), so `aud` must be the base
    // or an endpoint under {base}/cds-services; a trailing '/' here is ignored.
    std::string audience;
    std::vector<TrustedIssuer> issuers;
    std::int64_t leeway_seconds = 60;          // clock skew allowed on exp, iat and nbf; 0 to 300
    std::int64_t max_lifetime_seconds = 300;   // longest exp - iat accepted; 1 to 3600
    std::size_t replay_cache_limit = 100000;   // jti entries kept; beyond it the token is refused (fail closed)
};

// The verdict on one request; `reason` is fixed text for logs and the 401 body, never token or client content.
struct TokenCheck {
    bool accepted = false;
    std::string reason;  // empty when accepted
    std::string issuer;  // the trusted issuer that signed the token; set only when accepted
};

// Checks client tokens against a policy. Holds the parsed public keys and the replay
// cache of the jti values seen within their tokens' lifetimes.
class TokenVerifier {
public:
    // Parses every JWKS up front; nullptr with `error` set (naming the issuer and what is wrong) on failure.
    static std::unique_ptr<TokenVerifier> create(TokenPolicy policy, std::string& error);

    // Checks an Authorization header value ("Bearer ..."); `now` is Unix seconds, passed in (never read the clock here).
    // An accepted token's jti is remembered, so the same token is refused the second time.
    // [thread-safe] Many server threads call it at once; the replay cache is guarded.
    TokenCheck verify(std::string_view authorization, std::int64_t now);

    ~TokenVerifier();
    TokenVerifier(const TokenVerifier&) = delete;
    TokenVerifier& operator=(const TokenVerifier&) = delete;

private:
    struct Impl;
    explicit TokenVerifier(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace casecheck::cds
