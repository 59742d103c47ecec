// The authenticator seam in a build without the JWT library: authentication cannot be enabled.
#include "authenticator.hpp"

namespace casecheck::cds {

bool jwt_authentication_available() { return false; }

std::unique_ptr<RequestAuthenticator> make_jwt_authenticator(const AuthConfig&, const std::string&, std::string& error) {
    error = "this build has no JWT support (casecheck_cds_auth was not built)";
    return nullptr;
}

}  // namespace casecheck::cds
