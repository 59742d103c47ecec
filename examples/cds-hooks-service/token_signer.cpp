// Signing as a CDS client does: OpenSSL makes and uses the keys, the JWS framing is ours.
#include "token_signer.hpp"
#include "jws_algorithms.hpp"
#include "openssl_handles.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace casecheck::cds {
namespace {

using nlohmann::json;

using openssl::Bignum;
using openssl::EcdsaSig;
using openssl::MdCtx;
using openssl::Pkey;
using openssl::Bio;
using ClearOpensslErrors = openssl::ClearErrorsOnExit;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what);
}

using jws::Algorithm;
using jws::find_algorithm;
using jws::KeyKind;

// What kind of key OpenSSL holds; false for anything we cannot sign with.
bool kind_of(EVP_PKEY* key, KeyKind& kind) {
    if (EVP_PKEY_is_a(key, "RSA")) {
        kind = KeyKind::rsa;
        return true;
    }
    if (!EVP_PKEY_is_a(key, "EC")) return false;
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1) {
        return false;
    }
    const std::string_view name(group, length);
    if (name == "prime256v1" || name == "P-256") {
        kind = KeyKind::ec_p256;
        return true;
    }
    if (name == "secp384r1" || name == "P-384") {
        kind = KeyKind::ec_p384;
        return true;
    }
    return false;
}

std::string big_endian(const BIGNUM* n, std::size_t width) {
    std::string bytes(width == 0 ? static_cast<std::size_t>(BN_num_bytes(n)) : width, '\0');
    if (BN_bn2binpad(n, reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) < 0) {
        fail("a key number does not fit its width");
    }
    return bytes;
}

std::string bn_param_bytes(EVP_PKEY* key, const char* name, std::size_t width) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) fail(std::string("key has no ") + name);
    Bignum n(raw);
    return big_endian(n.get(), width);
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string text;
    text.reserve((bytes.size() * 4 + 2) / 3);
    std::uint32_t buffer = 0;
    int buffered_bits = 0;
    for (const char c : bytes) {
        buffer = ((buffer << 8) | static_cast<unsigned char>(c)) & 0xFFFFu;
        buffered_bits += 8;
        while (buffered_bits >= 6) {
            buffered_bits -= 6;
            text.push_back(alphabet[(buffer >> buffered_bits) & 0x3Fu]);
        }
    }
    if (buffered_bits > 0) text.push_back(alphabet[(buffer << (6 - buffered_bits)) & 0x3Fu]);
    return text;
}

struct SigningKey::Impl {
    Pkey key;
    KeyKind kind;
    std::string alg;
    std::string kid;
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::~SigningKey() = default;

const std::string& SigningKey::alg() const { return impl_->alg; }
const std::string& SigningKey::kid() const { return impl_->kid; }

std::unique_ptr<SigningKey> SigningKey::generate(const std::string& alg, std::string kid, std::string& error,
                                                 int rsa_bits) {
    ClearOpensslErrors clear_errors;
    const Algorithm* algorithm = find_algorithm(alg);
    if (!algorithm) {
        error = "unsupported algorithm '" + alg + "' (RS256, RS384, ES256 or ES384)";
        return nullptr;
    }
    if (algorithm->key == KeyKind::rsa && (rsa_bits < 2048 || rsa_bits > 8192)) {
        error = "RSA keys must have 2048 to 8192 bits";
        return nullptr;
    }
    EVP_PKEY* raw = nullptr;
    switch (algorithm->key) {
        case KeyKind::rsa:
            raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits));
            break;
        case KeyKind::ec_p256:
            raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
            break;
        case KeyKind::ec_p384:
            raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
            break;
    }
    if (!raw) {
        error = "OpenSSL could not generate the key";
        return nullptr;
    }
    auto impl = std::make_unique<Impl>();
    impl->key.reset(raw);
    impl->kind = algorithm->key;
    impl->alg = alg;
    impl->kid = std::move(kid);
    return std::unique_ptr<SigningKey>(new SigningKey(std::move(impl)));
}

std::unique_ptr<SigningKey> SigningKey::from_pem(std::string_view pem, const std::string& alg, std::string kid,
                                                 std::string& error) {
    ClearOpensslErrors clear_errors;
    const Algorithm* algorithm = find_algorithm(alg);
    if (!algorithm) {
        error = "unsupported algorithm '" + alg + "' (RS256, RS384, ES256 or ES384)";
        return nullptr;
    }
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        error = "out of memory";
        return nullptr;
    }
    // A callback that supplies no passphrase: OpenSSL would otherwise prompt on the terminal.
    const auto no_passphrase = [](char*, int, int, void*) { return 0; };
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    if (!key) {
        error = "not an unencrypted PEM private key";
        return nullptr;
    }
    KeyKind kind;
    if (!kind_of(key.get(), kind) || kind != algorithm->key) {
        error = "the key does not fit " + alg + " (RS* needs RSA, ES256 EC P-256, ES384 EC P-384)";
        return nullptr;
    }
    if (kind == KeyKind::rsa && EVP_PKEY_get_bits(key.get()) < 2048) {
        error = "RSA keys must have 2048 bits or more";
        return nullptr;
    }
    auto impl = std::make_unique<Impl>();
    impl->key = std::move(key);
    impl->kind = kind;
    impl->alg = alg;
    impl->kid = std::move(kid);
    return std::unique_ptr<SigningKey>(new SigningKey(std::move(impl)));
}

std::string SigningKey::private_pem() const {
    ClearOpensslErrors clear_errors;
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        fail("could not write the private key");
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

json SigningKey::public_jwk() const {
    ClearOpensslErrors clear_errors;
    json jwk;
    EVP_PKEY* key = impl_->key.get();
    if (impl_->kind == KeyKind::rsa) {
        jwk["kty"] = "RSA";
        jwk["n"] = base64url_encode(bn_param_bytes(key, OSSL_PKEY_PARAM_RSA_N, 0));
        jwk["e"] = base64url_encode(bn_param_bytes(key, OSSL_PKEY_PARAM_RSA_E, 0));
    } else {
        const bool p256 = impl_->kind == KeyKind::ec_p256;
        const std::size_t width = p256 ? 32 : 48;
        jwk["kty"] = "EC";
        jwk["crv"] = p256 ? "P-256" : "P-384";
        jwk["x"] = base64url_encode(bn_param_bytes(key, OSSL_PKEY_PARAM_EC_PUB_X, width));
        jwk["y"] = base64url_encode(bn_param_bytes(key, OSSL_PKEY_PARAM_EC_PUB_Y, width));
    }
    jwk["use"] = "sig";
    jwk["alg"] = impl_->alg;
    jwk["kid"] = impl_->kid;
    return jwk;
}

std::string SigningKey::sign(std::string_view signing_input, std::string_view alg) const {
    ClearOpensslErrors clear_errors;
    const Algorithm* algorithm = find_algorithm(alg.empty() ? std::string_view(impl_->alg) : alg);
    if (!algorithm || algorithm->key != impl_->kind) fail("the algorithm does not fit the key");
    MdCtx ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), nullptr, algorithm->digest, nullptr, nullptr, impl_->key.get(), nullptr) !=
            1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, input, signing_input.size()) != 1) {
        fail("OpenSSL could not start signing");
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, input,
                       signing_input.size()) != 1) {
        fail("OpenSSL could not sign");
    }
    signature.resize(length);
    if (algorithm->key == KeyKind::rsa) return signature;

    // OpenSSL gives ECDSA as DER; JWS wants r and s, each padded to the coordinate size.
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size())));
    if (!sig) fail("OpenSSL gave an unreadable ECDSA signature");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    return big_endian(r, algorithm->ec_coordinate_bytes) + big_endian(s, algorithm->ec_coordinate_bytes);
}

std::string SigningKey::sign_compact(const json& header, const json& payload, std::string_view alg) const {
    std::string token = base64url_encode(header.dump()) + '.' + base64url_encode(payload.dump());
    const std::string signature = sign(token, alg);
    return token + '.' + base64url_encode(signature);
}

json jwks_of(const std::vector<const SigningKey*>& keys) {
    json set = {{"keys", json::array()}};
    for (const SigningKey* key : keys) set["keys"].push_back(key->public_jwk());
    return set;
}

std::string sign_client_token(const SigningKey& key, const ClientClaims& claims) {
    const json header = {{"alg", key.alg()}, {"typ", "JWT"}, {"kid", key.kid()}};
    json payload = {{"iss", claims.iss},
                    {"aud", claims.aud},
                    {"iat", claims.iat},
                    {"exp", claims.iat + claims.lifetime},
                    {"jti", claims.jti.empty() ? random_uuid() : claims.jti}};
    if (!claims.sub.empty()) payload["sub"] = claims.sub;
    if (!claims.tenant.empty()) payload["tenant"] = claims.tenant;
    return key.sign_compact(header, payload);
}

std::string random_uuid() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        ERR_clear_error();
        fail("no random bytes");
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
        text.push_back(hex[bytes[i] >> 4]);
        text.push_back(hex[bytes[i] & 0x0F]);
    }
    return text;
}

}  // namespace casecheck::cds
