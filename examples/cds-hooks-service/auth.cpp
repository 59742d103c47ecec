// CDS client tokens: compact JWS (RFC 7515) carrying a JWT (RFC 7519), signed with
// RS256/RS384 (RSASSA-PKCS1-v1_5) or ES256/ES384 (ECDSA, RFC 7518 §3.4), keys from
// JWK Sets (RFC 7517/7518 §6). OpenSSL does the arithmetic; the JOSE framing is ours.
//
// Order of the checks: the header and payload are parsed only as far as needed to
// choose a key (alg, kid, iss); the claims are read once the signature holds, so
// nothing an unauthenticated sender wrote decides anything beyond "which key".
#include "auth.hpp"
#include "jws_algorithms.hpp"
#include "openssl_handles.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <new>
#include <optional>
#include <queue>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace casecheck::cds {
namespace {

using nlohmann::json;

// ---- Limits ------------------------------------------------------------------------

// Real client tokens are well under 1 KB; the cap bounds the work one header can cause.
constexpr std::size_t max_token_bytes = 8192;
// RFC 7518 §3.3 asks for 2048 bits at least; above 8192 a verify costs more than any client needs.
constexpr int min_rsa_bits = 2048;
constexpr int max_rsa_bits = 8192;
// NumericDates beyond 2^53 cannot be exact in a JSON double, and keep exp + leeway far from overflow.
constexpr std::int64_t max_numeric_date = std::int64_t{1} << 53;

// ---- Reasons (fixed text: they go to logs and 401 bodies) -------------------------------

constexpr const char* reason_missing = "missing bearer token";
constexpr const char* reason_not_bearer = "not a bearer token";
constexpr const char* reason_too_large = "token too large";
constexpr const char* reason_malformed = "malformed token";
constexpr const char* reason_algorithm = "unsupported algorithm";
constexpr const char* reason_typ = "wrong token type";
constexpr const char* reason_crit = "unsupported critical header";
constexpr const char* reason_kid = "missing or invalid kid";
constexpr const char* reason_iss = "missing or invalid iss";
constexpr const char* reason_unknown_issuer = "unknown issuer";
constexpr const char* reason_no_key = "no key with that kid";
constexpr const char* reason_key_mismatch = "key does not fit the algorithm";
constexpr const char* reason_signature = "bad signature";
constexpr const char* reason_aud = "missing or invalid aud";
constexpr const char* reason_wrong_audience = "wrong audience";
constexpr const char* reason_exp = "missing or invalid exp";
constexpr const char* reason_iat = "missing or invalid iat";
constexpr const char* reason_nbf = "invalid nbf";
constexpr const char* reason_jti = "missing or invalid jti";
constexpr const char* reason_claim_type = "invalid sub or tenant";
constexpr const char* reason_exp_before_iat = "expires before it was issued";
constexpr const char* reason_expired = "expired";
constexpr const char* reason_future = "issued in the future";
constexpr const char* reason_not_yet_valid = "not yet valid";
constexpr const char* reason_lifetime = "lifetime over the maximum";
constexpr const char* reason_replayed = "token replayed";
constexpr const char* reason_cache_full = "replay cache full";
constexpr const char* reason_internal = "internal error";

TokenCheck refuse(const char* reason) {
    TokenCheck check;
    check.reason = reason;
    return check;
}

// ---- OpenSSL ownership -------------------------------------------------------------------

using openssl::Bignum;
using openssl::EcdsaSig;
using openssl::MdCtx;
using openssl::Pkey;
using openssl::Params;
using openssl::ParamBuild;
using openssl::PkeyCtx;
using ClearOpensslErrors = openssl::ClearErrorsOnExit;

Bignum bignum_from(const std::string& big_endian) {
    return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                            static_cast<int>(big_endian.size()), nullptr));
}

// ---- base64url (RFC 4648 §5, unpadded as RFC 7515 §2 requires) ---------------------------

int base64url_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

// Strict: only the url-safe alphabet, no '=' padding, no whitespace, and the bits after the
// last whole byte must be zero, so every byte string has exactly one accepted encoding.
bool base64url_decode(std::string_view text, std::string& bytes) {
    bytes.clear();
    if (text.size() % 4 == 1) return false;  // 6 bits cannot end a byte
    bytes.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t buffer = 0;
    int buffered_bits = 0;
    for (const char c : text) {
        const int value = base64url_value(c);
        if (value < 0) return false;
        buffer = ((buffer << 6) | static_cast<std::uint32_t>(value)) & 0xFFFFu;
        buffered_bits += 6;
        if (buffered_bits >= 8) {
            buffered_bits -= 8;
            bytes.push_back(static_cast<char>((buffer >> buffered_bits) & 0xFFu));
        }
    }
    return (buffer & ((1u << buffered_bits) - 1u)) == 0;
}

// ---- Algorithms and keys -----------------------------------------------------------------

using jws::Algorithm;
using jws::find_algorithm;
using jws::KeyKind;

struct VerificationKey {
    KeyKind kind;
    std::string alg;  // the JWK's "alg", if it named one: then only that algorithm may use the key
    Pkey pkey;

    bool fits(const Algorithm& algorithm) const {
        return kind == algorithm.key && (alg.empty() || alg == algorithm.name);
    }
};

struct Issuer {
    std::string name;
    std::unordered_map<std::string, VerificationKey> keys_by_kid;
};

// Builds a public key from OSSL_PARAMs; nullptr if OpenSSL refuses it or it fails the public-key check.
Pkey key_from_params(const char* key_type, const OSSL_PARAM* params) {
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, key_type, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) != 1) {
        return nullptr;
    }
    Pkey key(raw);
    PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
    return key;
}

// A base64urlUInt or coordinate member of a JWK, decoded; false if absent or not strict base64url.
bool jwk_bytes(const json& jwk, const char* member, std::string& bytes) {
    const auto it = jwk.find(member);
    return it != jwk.end() && it->is_string() && base64url_decode(it->get_ref<const std::string&>(), bytes) &&
           !bytes.empty();
}

// RFC 7518 §6.3.1: n and e; the key must be big enough to be worth trusting.
std::optional<Pkey> rsa_key(const json& jwk, std::string& problem) {
    std::string n_bytes, e_bytes;
    if (!jwk_bytes(jwk, "n", n_bytes) || !jwk_bytes(jwk, "e", e_bytes)) {
        problem = "RSA key without valid base64url \"n\" and \"e\"";
        return std::nullopt;
    }
    Bignum n = bignum_from(n_bytes), e = bignum_from(e_bytes);
    if (!n || !e) throw std::bad_alloc();
    const int bits = BN_num_bits(n.get());
    if (bits < min_rsa_bits || bits > max_rsa_bits) {
        problem = "RSA modulus of " + std::to_string(bits) + " bits (2048 to 8192 accepted)";
        return std::nullopt;
    }
    // An even or tiny exponent is no RSA public key; the public check does not look at e in every version.
    if (!BN_is_odd(e.get()) || BN_num_bits(e.get()) < 2 || BN_num_bits(e.get()) > 64 || !BN_is_odd(n.get())) {
        problem = "RSA key with an invalid modulus or exponent";
        return std::nullopt;
    }
    ParamBuild build(OSSL_PARAM_BLD_new());
    if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
        throw std::bad_alloc();
    }
    Params params(OSSL_PARAM_BLD_to_param(build.get()));
    if (!params) throw std::bad_alloc();
    Pkey key = key_from_params("RSA", params.get());
    if (!key) {
        problem = "RSA key that OpenSSL refuses";
        return std::nullopt;
    }
    return key;
}

// RFC 7518 §6.2.1: x and y, each exactly the field size; the point must lie on the curve.
std::optional<Pkey> ec_key(const json& jwk, KeyKind kind, std::string& problem) {
    const std::size_t size = kind == KeyKind::ec_p256 ? 32 : 48;
    std::string x, y;
    if (!jwk_bytes(jwk, "x", x) || !jwk_bytes(jwk, "y", y) || x.size() != size || y.size() != size) {
        problem = "EC key without base64url \"x\" and \"y\" of " + std::to_string(size) + " bytes each";
        return std::nullopt;
    }
    std::string point;
    point.reserve(1 + 2 * size);
    point.push_back('\x04');  // SEC 1 uncompressed point
    point += x;
    point += y;
    ParamBuild build(OSSL_PARAM_BLD_new());
    const char* group = kind == KeyKind::ec_p256 ? "prime256v1" : "secp384r1";
    if (!build || OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
        throw std::bad_alloc();
    }
    Params params(OSSL_PARAM_BLD_to_param(build.get()));
    if (!params) throw std::bad_alloc();
    Pkey key = key_from_params("EC", params.get());
    if (!key) {
        problem = "EC key whose point is not on the curve";
        return std::nullopt;
    }
    return key;
}

const json* string_member(const json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? &*it : nullptr;
}

// Reads one issuer's JWK Set. Keys that cannot sign in our algorithms are skipped, because a
// client's published set may hold encryption or other keys too; a signing key that is broken is
// an error, since the client would otherwise be refused later with no hint why.
bool read_issuer(const TrustedIssuer& trusted, Issuer& issuer, std::string& error) {
    const std::string where = "issuer '" + trusted.issuer + "': ";
    const json jwks = json::parse(trusted.jwks_json, nullptr, false);
    if (jwks.is_discarded() || !jwks.is_object()) {
        error = where + "JWKS is not a JSON object";
        return false;
    }
    const auto keys = jwks.find("keys");
    if (keys == jwks.end() || !keys->is_array()) {
        error = where + "JWKS has no \"keys\" array";
        return false;
    }
    issuer.name = trusted.issuer;
    std::size_t index = 0;
    for (const json& jwk : *keys) {
        const std::string which = where + "JWKS key " + std::to_string(index++);
        if (!jwk.is_object()) {
            error = which + " is not a JSON object";
            return false;
        }
        // Private members mean the signing key itself was handed over: refuse, so it gets noticed and rotated.
        for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
            if (jwk.contains(secret)) {
                error = which + " holds private key material (\"" + secret + "\"); configure the public JWKS only";
                return false;
            }
        }
        const json* kty = string_member(jwk, "kty");
        if (!kty) {
            error = which + " has no \"kty\"";
            return false;
        }
        if (const json* use = string_member(jwk, "use"); use && *use != "sig") continue;
        if (const auto ops = jwk.find("key_ops"); ops != jwk.end()) {
            if (!ops->is_array() || std::find(ops->begin(), ops->end(), json("verify")) == ops->end()) continue;
        }
        KeyKind kind;
        if (*kty == "RSA") {
            kind = KeyKind::rsa;
        } else if (*kty == "EC") {
            const json* crv = string_member(jwk, "crv");
            if (!crv) {
                error = which + " is an EC key with no \"crv\"";
                return false;
            }
            if (*crv == "P-256") {
                kind = KeyKind::ec_p256;
            } else if (*crv == "P-384") {
                kind = KeyKind::ec_p384;
            } else {
                continue;  // P-521, secp256k1: algorithms we do not offer
            }
        } else {
            continue;  // OKP and others
        }
        std::string alg;
        if (const auto alg_member = jwk.find("alg"); alg_member != jwk.end()) {
            if (!alg_member->is_string()) {
                error = which + " has a non-string \"alg\"";
                return false;
            }
            alg = alg_member->get<std::string>();
            const Algorithm* algorithm = find_algorithm(alg);
            if (!algorithm) continue;  // PS384 and the like: the key is meant for an algorithm we do not offer
            if (algorithm->key != kind) {
                error = which + " says \"alg\": \"" + alg + "\", which does not fit its kty/crv";
                return false;
            }
        }
        const json* kid = string_member(jwk, "kid");
        if (!kid || kid->get_ref<const std::string&>().empty()) {
            continue;  // tokens name their key by kid (CDS Hooks requires it), so this one can never be chosen
        }
        const std::string& kid_text = kid->get_ref<const std::string&>();
        std::string problem;
        std::optional<Pkey> pkey = kind == KeyKind::rsa ? rsa_key(jwk, problem) : ec_key(jwk, kind, problem);
        if (!pkey) {
            error = which + " (kid '" + kid_text + "'): " + problem;
            return false;
        }
        const bool added =
            issuer.keys_by_kid.emplace(kid_text, VerificationKey{kind, std::move(alg), std::move(*pkey)}).second;
        if (!added) {
            error = where + "kid '" + kid_text + "' names two signing keys; CDS Hooks requires kids to be unique";
            return false;
        }
    }
    if (issuer.keys_by_kid.empty()) {
        error = where + "JWKS has no usable signing key (RSA of 2048+ bits or EC P-256/P-384, with a kid)";
        return false;
    }
    return true;
}

// ---- Signature ----------------------------------------------------------------------------

// JWS gives ECDSA as fixed-width r||s; OpenSSL verifies the DER SEQUENCE of two INTEGERs.
bool ecdsa_raw_to_der(std::string_view raw, std::size_t coordinate_bytes, std::string& der) {
    if (raw.size() != 2 * coordinate_bytes) return false;
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    Bignum r(BN_bin2bn(bytes, static_cast<int>(coordinate_bytes), nullptr));
    Bignum s(BN_bin2bn(bytes + coordinate_bytes, static_cast<int>(coordinate_bytes), nullptr));
    EcdsaSig sig(ECDSA_SIG_new());
    if (!r || !s || !sig) throw std::bad_alloc();
    if (ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return false;
    r.release();  // owned by sig now
    s.release();
    const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (length <= 0) return false;
    der.resize(static_cast<std::size_t>(length));
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    return i2d_ECDSA_SIG(sig.get(), &out) == length;
}

bool signature_holds(const Algorithm& algorithm, EVP_PKEY* key, std::string_view signing_input,
                     std::string_view signature) {
    std::string der;
    if (algorithm.key == KeyKind::rsa) {
        // RSASSA-PKCS1-v1_5 signatures are exactly the modulus length (RFC 8017 §8.2.2).
        if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) return false;
    } else {
        if (!ecdsa_raw_to_der(signature, algorithm.ec_coordinate_bytes, der)) return false;
        signature = der;
    }
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx) throw std::bad_alloc();
    if (EVP_DigestVerifyInit_ex(ctx.get(), nullptr, algorithm.digest, nullptr, nullptr, key, nullptr) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

// ---- Claims -------------------------------------------------------------------------------

// RFC 7519 NumericDate: seconds, possibly fractional; fractions are dropped.
bool numeric_date(const json& value, std::int64_t& seconds) {
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(max_numeric_date)) return false;
        seconds = static_cast<std::int64_t>(v);
        return true;
    }
    if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        if (v < 0 || v > max_numeric_date) return false;
        seconds = v;
        return true;
    }
    if (value.is_number_float()) {
        const double v = value.get<double>();
        if (!std::isfinite(v) || v < 0 || v > static_cast<double>(max_numeric_date)) return false;
        seconds = static_cast<std::int64_t>(std::floor(v));
        return true;
    }
    return false;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// CDS Hooks sets aud to the endpoint being called: {base}/cds-services or {base}/cds-services/{id}
// (and its /feedback). We are not told which endpoint this request is for, so any endpoint of ours
// passes; a token is single-use (jti), so it cannot be spent twice on two of our endpoints anyway.
bool audience_matches(std::string_view aud, std::string_view base) {
    if (!starts_with(aud, base)) return false;
    std::string_view rest = aud.substr(base.size());
    if (rest.empty() || rest == "/") return true;
    constexpr std::string_view services = "/cds-services";
    if (!starts_with(rest, services)) return false;
    rest.remove_prefix(services.size());
    return rest.empty() || rest.front() == '/';
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

std::string_view trim_whitespace(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// ---- Replay cache -------------------------------------------------------------------------

// The cache holds a digest of (issuer, jti): fixed size whatever the jti's length, and jtis of
// different issuers never collide.
using ReplayKey = std::array<unsigned char, 32>;

struct ReplayKeyHash {
    std::size_t operator()(const ReplayKey& key) const {
        std::size_t h;
        std::memcpy(&h, key.data(), sizeof h);  // a SHA-256 prefix is already uniform
        return h;
    }
};

ReplayKey replay_key(std::string_view issuer, std::string_view jti) {
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx) throw std::bad_alloc();
    const std::uint64_t issuer_length = issuer.size();  // length-prefixed, so ("ab","c") differs from ("a","bc")
    ReplayKey key{};
    unsigned int length = 0;
    if (EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), &issuer_length, sizeof issuer_length) != 1 ||
        EVP_DigestUpdate(ctx.get(), issuer.data(), issuer.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), jti.data(), jti.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), key.data(), &length) != 1 || length != key.size()) {
        throw std::runtime_error("SHA-256 failed");
    }
    return key;
}

class ReplayCache {
public:
    enum class Outcome { fresh, replayed, full, forgotten };

    explicit ReplayCache(std::size_t limit) : limit_(limit) {}

    // Records `key` until `forget_at` (its token's exp plus leeway); after that the token is refused
    // as expired, so its jti needs no memory. `now` may differ a little between threads: whatever
    // has been pruned is remembered as a horizon, and a token whose entry could already have been
    // pruned is refused rather than taken as new.
    Outcome remember(const ReplayKey& key, std::int64_t forget_at, std::int64_t now) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (now > pruned_through_) {
            pruned_through_ = now;
            while (!forget_order_.empty() && forget_order_.top().first <= now) {
                seen_.erase(forget_order_.top().second);
                forget_order_.pop();
            }
        }
        if (forget_at <= pruned_through_) return Outcome::forgotten;
        if (seen_.count(key) != 0) return Outcome::replayed;
        if (seen_.size() >= limit_) return Outcome::full;
        seen_.emplace(key, forget_at);
        forget_order_.emplace(forget_at, key);
        return Outcome::fresh;
    }

private:
    using Entry = std::pair<std::int64_t, ReplayKey>;
    std::mutex mutex_;
    const std::size_t limit_;
    std::unordered_map<ReplayKey, std::int64_t, ReplayKeyHash> seen_;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> forget_order_;  // earliest first
    std::int64_t pruned_through_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace

// ---- The verifier ---------------------------------------------------------------------------

struct TokenVerifier::Impl {
    std::string audience;
    std::int64_t leeway = 0;
    std::int64_t max_lifetime = 0;
    std::unordered_map<std::string, Issuer> issuers;  // by exact iss
    ReplayCache replay;

    explicit Impl(std::size_t replay_limit) : replay(replay_limit) {}

    TokenCheck verify(std::string_view authorization, std::int64_t now);
};

TokenVerifier::TokenVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TokenVerifier::~TokenVerifier() = default;

std::unique_ptr<TokenVerifier> TokenVerifier::create(TokenPolicy policy, std::string& error) {
    error.clear();
    try {
        ClearOpensslErrors clear_errors;
        std::string audience = policy.audience;
        while (!audience.empty() && audience.back() == '/') audience.pop_back();
        if (audience.empty()) {
            error = "the audience (the service's base URL) is empty";
            return nullptr;
        }
        if (policy.leeway_seconds < 0 || policy.leeway_seconds > 300) {
            error = "leeway_seconds must be 0 to 300";
            return nullptr;
        }
        if (policy.max_lifetime_seconds < 1 || policy.max_lifetime_seconds > 3600) {
            error = "max_lifetime_seconds must be 1 to 3600";
            return nullptr;
        }
        if (policy.replay_cache_limit == 0) {
            error = "replay_cache_limit must be at least 1";
            return nullptr;
        }
        if (policy.issuers.empty()) {
            error = "no trusted issuer: every token would be refused";
            return nullptr;
        }
        auto impl = std::make_unique<Impl>(policy.replay_cache_limit);
        impl->audience = std::move(audience);
        impl->leeway = policy.leeway_seconds;
        impl->max_lifetime = policy.max_lifetime_seconds;
        for (const TrustedIssuer& trusted : policy.issuers) {
            if (trusted.issuer.empty()) {
                error = "a trusted issuer has an empty issuer string";
                return nullptr;
            }
            if (impl->issuers.count(trusted.issuer) != 0) {
                error = "issuer '" + trusted.issuer + "' is listed twice; merge its keys into one JWKS";
                return nullptr;
            }
            Issuer issuer;
            if (!read_issuer(trusted, issuer, error)) return nullptr;
            impl->issuers.emplace(trusted.issuer, std::move(issuer));
        }
        return std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(impl)));
    } catch (const std::exception& e) {
        error = std::string("could not set up token checks: ") + e.what();
        return nullptr;
    }
}

TokenCheck TokenVerifier::verify(std::string_view authorization, std::int64_t now) {
    ClearOpensslErrors clear_errors;
    try {
        return impl_->verify(authorization, now);
    } catch (...) {
        return refuse(reason_internal);
    }
}

TokenCheck TokenVerifier::Impl::verify(std::string_view authorization, std::int64_t now) {
    // RFC 6750 §2.1: "Bearer" 1*SP token; the scheme name is case-insensitive (RFC 7235 §2.1).
    const std::string_view credentials = trim_whitespace(authorization);
    if (credentials.empty()) return refuse(reason_missing);
    const std::size_t scheme_end = credentials.find_first_of(" \t");
    const std::string_view scheme = credentials.substr(0, scheme_end);
    if (!equal_ignoring_ascii_case(scheme, "Bearer")) return refuse(reason_not_bearer);
    if (scheme_end == std::string_view::npos) return refuse(reason_missing);
    const std::string_view token = trim_whitespace(credentials.substr(scheme_end));
    if (token.empty()) return refuse(reason_missing);
    if (token.size() > max_token_bytes) return refuse(reason_too_large);

    // Compact serialisation: exactly three base64url parts (RFC 7515 §7.1).
    const std::size_t first_dot = token.find('.');
    const std::size_t second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
        return refuse(reason_malformed);
    }
    const std::string_view signing_input = token.substr(0, second_dot);
    std::string header_text, payload_text, signature;
    if (!base64url_decode(token.substr(0, first_dot), header_text) ||
        !base64url_decode(token.substr(first_dot + 1, second_dot - first_dot - 1), payload_text) ||
        !base64url_decode(token.substr(second_dot + 1), signature)) {
        return refuse(reason_malformed);
    }
    // Duplicate member names: nlohmann keeps the last, which RFC 7515 §4 allows.
    const json header = json::parse(header_text, nullptr, false);
    const json payload = json::parse(payload_text, nullptr, false);
    if (header.is_discarded() || !header.is_object() || payload.is_discarded() || !payload.is_object()) {
        return refuse(reason_malformed);
    }

    // The header. jku, jwk, x5u and x5c are ignored on purpose: keys come from configuration only.
    const json* alg = string_member(header, "alg");
    const Algorithm* algorithm = alg ? find_algorithm(alg->get_ref<const std::string&>()) : nullptr;
    if (!algorithm) return refuse(reason_algorithm);  // "none", HS256, PS384, missing ...
    const json* typ = string_member(header, "typ");
    if (!typ || !equal_ignoring_ascii_case(typ->get_ref<const std::string&>(), "JWT")) return refuse(reason_typ);
    if (header.contains("crit")) return refuse(reason_crit);  // we understand no extension (RFC 7515 §4.1.11)
    const json* kid = string_member(header, "kid");
    if (!kid) return refuse(reason_kid);

    // Which key: the claimed issuer's key with that kid, if it is meant for this algorithm.
    const json* iss = string_member(payload, "iss");
    if (!iss) return refuse(reason_iss);
    const auto issuer = issuers.find(iss->get_ref<const std::string&>());
    if (issuer == issuers.end()) return refuse(reason_unknown_issuer);
    const auto key = issuer->second.keys_by_kid.find(kid->get_ref<const std::string&>());
    if (key == issuer->second.keys_by_kid.end()) return refuse(reason_no_key);
    if (!key->second.fits(*algorithm)) return refuse(reason_key_mismatch);
    if (!signature_holds(*algorithm, key->second.pkey.get(), signing_input, signature)) {
        return refuse(reason_signature);
    }

    // The claims, now that the issuer vouches for them.
    const auto aud = payload.find("aud");
    if (aud == payload.end()) return refuse(reason_aud);
    bool audience_found = false;
    if (aud->is_string()) {
        audience_found = audience_matches(aud->get_ref<const std::string&>(), audience);
    } else if (aud->is_array() && !aud->empty()) {
        for (const json& entry : *aud) {
            if (!entry.is_string()) return refuse(reason_aud);
            audience_found = audience_found || audience_matches(entry.get_ref<const std::string&>(), audience);
        }
    } else {
        return refuse(reason_aud);
    }
    if (!audience_found) return refuse(reason_wrong_audience);

    std::int64_t exp = 0, iat = 0, nbf = 0;
    const auto exp_member = payload.find("exp");
    if (exp_member == payload.end() || !numeric_date(*exp_member, exp)) return refuse(reason_exp);
    const auto iat_member = payload.find("iat");
    if (iat_member == payload.end() || !numeric_date(*iat_member, iat)) return refuse(reason_iat);
    const auto nbf_member = payload.find("nbf");
    if (nbf_member != payload.end() && !numeric_date(*nbf_member, nbf)) return refuse(reason_nbf);
    const json* jti = string_member(payload, "jti");
    if (!jti || jti->get_ref<const std::string&>().empty()) return refuse(reason_jti);
    for (const char* optional_string : {"sub", "tenant"}) {
        const auto member = payload.find(optional_string);
        if (member != payload.end() && !member->is_string()) return refuse(reason_claim_type);
    }

    if (exp < iat) return refuse(reason_exp_before_iat);
    if (now >= exp + leeway) return refuse(reason_expired);  // RFC 7519 §4.1.4: valid only before exp
    if (iat > now + leeway) return refuse(reason_future);
    if (nbf_member != payload.end() && nbf > now + leeway) return refuse(reason_not_yet_valid);
    if (exp - iat > max_lifetime) return refuse(reason_lifetime);

    // Last, so a token refused for any other reason never takes a place in the cache.
    switch (replay.remember(replay_key(issuer->first, jti->get_ref<const std::string&>()), exp + leeway, now)) {
        case ReplayCache::Outcome::fresh:
            break;
        case ReplayCache::Outcome::replayed:
            return refuse(reason_replayed);
        case ReplayCache::Outcome::full:
            return refuse(reason_cache_full);
        case ReplayCache::Outcome::forgotten:
            return refuse(reason_expired);
    }
    TokenCheck check;
    check.accepted = true;
    check.issuer = issuer->first;
    return check;
}

}  // namespace casecheck::cds
