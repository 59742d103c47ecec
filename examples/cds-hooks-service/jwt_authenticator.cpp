// The authenticator seam implemented with the JWT library (auth.hpp); built only with casecheck_cds_auth.
#include "auth.hpp"
#include "authenticator.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

namespace casecheck::cds {
namespace {

class JwtAuthenticator final : public RequestAuthenticator {
public:
    explicit JwtAuthenticator(std::unique_ptr<TokenVerifier> verifier) : verifier_(std::move(verifier)) {}

    AuthVerdict check(std::string_view authorization) override {
        const TokenCheck result = verifier_->verify(authorization, static_cast<std::int64_t>(std::time(nullptr)));
        return {result.accepted, result.reason};
    }

private:
    std::unique_ptr<TokenVerifier> verifier_;
};

}  // namespace

bool jwt_authentication_available() { return true; }

std::unique_ptr<RequestAuthenticator> make_jwt_authenticator(const AuthConfig& config, const std::string& base_url,
                                                             std::string& error) {
    TokenPolicy policy;
    policy.audience = base_url;
    policy.leeway_seconds = config.leeway_seconds;
    policy.max_lifetime_seconds = config.max_lifetime_seconds;
    policy.replay_cache_limit = config.replay_cache_limit;
    for (const auto& issuer : config.issuers) {
        std::ifstream in(issuer.jwks_file, std::ios::binary);
        if (!in) {
            error = "cannot read the JWKS file " + issuer.jwks_file.string();
            return nullptr;
        }
        std::stringstream text;
        text << in.rdbuf();
        policy.issuers.push_back({issuer.issuer, text.str()});
    }
    auto verifier = TokenVerifier::create(std::move(policy), error);
    if (!verifier) return nullptr;
    return std::make_unique<JwtAuthenticator>(std::move(verifier));
}

}  // namespace casecheck::cds
