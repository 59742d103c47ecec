// authenticator.hpp: the seam between the HTTP service and JWT checking.
//
// The service asks one question: may this Authorization header call this
// endpoint? The JWT implementation (auth.hpp, casecheck_cds_auth) answers it in
// jwt_authenticator.cpp; the service itself never parses a token.
#pragma once

#include "config.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace casecheck::cds {

// Whether a request may proceed, and why not (a token fault, never token content).
struct AuthVerdict {
    bool accepted = false;
    std::string reason;
};

// Checks bearer tokens; thread-safe.
class RequestAuthenticator {
public:
    virtual ~RequestAuthenticator() = default;
    // Checks the Authorization header of one request; a token is accepted once only (jti).
    virtual AuthVerdict check(std::string_view authorization) = 0;
};

// True when this build has the JWT library (casecheck_cds_auth).
bool jwt_authentication_available();

// A JWT authenticator whose tokens must name `base_url` (or an endpoint under it) as aud.
// Returns null and sets `error` when the keys or settings are unusable.
std::unique_ptr<RequestAuthenticator> make_jwt_authenticator(const AuthConfig& config, const std::string& base_url,
                                                             std::string& error);

}  // namespace casecheck::cds
