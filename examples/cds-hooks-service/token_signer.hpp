// The CDS client's side of the token: key pairs, their public JWK Set, and signed
// JWTs. Used by casecheck-cds-token and by the tests; the service itself only verifies.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace casecheck::cds {

// base64url without padding, as JWS uses it (RFC 7515 §2).
std::string base64url_encode(std::string_view bytes);

// A private key for RS256, RS384, ES256 or ES384, and the kid clients put in their tokens.
class SigningKey {
public:
    // A fresh key pair: RSA of `rsa_bits` for RS*, P-256 for ES256, P-384 for ES384; nullptr with `error` set on failure.
    static std::unique_ptr<SigningKey> generate(const std::string& alg, std::string kid, std::string& error,
                                                int rsa_bits = 2048);
    // An unencrypted PEM private key (PKCS #8 or traditional); it must fit `alg`.
    static std::unique_ptr<SigningKey> from_pem(std::string_view pem, const std::string& alg, std::string kid,
                                                std::string& error);
    ~SigningKey();
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;

    const std::string& alg() const;
    const std::string& kid() const;

    // PKCS #8 PEM, unencrypted: whoever holds it can sign as the client.
    std::string private_pem() const;
    // The public key as a JWK: kty, use "sig", alg, kid, and n/e or crv/x/y.
    nlohmann::json public_jwk() const;

    // The JWS signature of `signing_input` under `alg` (default: the key's own): PKCS #1 v1.5 for
    // RS*, raw r||s for ES*. Throws std::runtime_error if `alg` does not fit the key or OpenSSL fails.
    std::string sign(std::string_view signing_input, std::string_view alg = {}) const;
    // header.payload.signature, each part base64url of the JSON as given (dumped compactly).
    std::string sign_compact(const nlohmann::json& header, const nlohmann::json& payload,
                             std::string_view alg = {}) const;

private:
    struct Impl;
    explicit SigningKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// {"keys": [each key's public JWK]}.
nlohmann::json jwks_of(const std::vector<const SigningKey*>& keys);

// What a CDS Hooks 2.0 client puts in its token's payload.
struct ClientClaims {
    std::string iss;
    std::string aud;
    std::string sub;     // omitted when empty
    std::string tenant;  // omitted when empty
    std::string jti;     // a random UUID when empty
    std::int64_t iat = 0;
    std::int64_t lifetime = 300;  // exp = iat + lifetime
};

// A signed client token: header {alg, typ "JWT", kid} and the claims.
std::string sign_client_token(const SigningKey& key, const ClientClaims& claims);

// 122 random bits as a version 4 UUID, the usual form of a jti.
std::string random_uuid();

}  // namespace casecheck::cds
