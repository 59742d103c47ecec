// The CDS client token checks: keys made here, JWK Sets built from them, tokens signed
// here (as a client would) and then bent in every way the checks must catch.
#include "auth.hpp"
#include "token_signer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <openssl/err.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using casecheck::cds::base64url_encode;
using casecheck::cds::jwks_of;
using casecheck::cds::random_uuid;
using casecheck::cds::SigningKey;
using casecheck::cds::TokenCheck;
using casecheck::cds::TokenPolicy;
using casecheck::cds::TokenVerifier;
using casecheck::cds::TrustedIssuer;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1700000000;
const std::string service = "https://cds.example.org";
const std::string endpoint = service + "/cds-services/casecheck-patient-view";
const std::string client = "https://ehr.example.com/";

// Every reason verify() may give; anything else would be text that came from somewhere else.
const std::set<std::string> known_reasons = {
    "missing bearer token", "not a bearer token", "token too large", "malformed token", "unsupported algorithm",
    "wrong token type", "unsupported critical header", "missing or invalid kid", "missing or invalid iss",
    "unknown issuer", "no key with that kid", "key does not fit the algorithm", "bad signature",
    "missing or invalid aud", "wrong audience", "missing or invalid exp", "missing or invalid iat", "invalid nbf",
    "missing or invalid jti", "invalid sub or tenant", "expires before it was issued", "expired",
    "issued in the future", "not yet valid", "lifetime over the maximum", "token replayed", "replay cache full",
    "internal error"};

std::unique_ptr<SigningKey> new_key(const std::string& alg, const std::string& kid) {
    std::string error;
    auto key = SigningKey::generate(alg, kid, error);
    if (!key) throw std::runtime_error(error);
    return key;
}

// The client's keys, made once per test process: RSA 2048 for RS384 and RS256, P-384, P-256.
const SigningKey& es384() {
    static const auto key = new_key("ES384", "client-es384");
    return *key;
}
const SigningKey& rs384() {
    static const auto key = new_key("RS384", "client-rs384");
    return *key;
}
const SigningKey& es256() {
    static const auto key = new_key("ES256", "client-es256");
    return *key;
}
const SigningKey& rs256() {
    static const auto key = new_key("RS256", "client-rs256");
    return *key;
}

TokenPolicy client_policy() {
    TokenPolicy policy;
    policy.audience = service;
    policy.issuers.push_back({client, jwks_of({&es384(), &rs384(), &es256(), &rs256()}).dump()});
    return policy;
}

std::unique_ptr<TokenVerifier> verifier_for(TokenPolicy policy = client_policy()) {
    std::string error;
    auto verifier = TokenVerifier::create(std::move(policy), error);
    INFO(error);
    REQUIRE(verifier);
    REQUIRE(error.empty());
    return verifier;
}

json header_for(const SigningKey& key) { return {{"alg", key.alg()}, {"typ", "JWT"}, {"kid", key.kid()}}; }

// A well-formed payload, fresh jti each time.
json claims(std::int64_t iat = now, std::int64_t lifetime = 300) {
    return {{"iss", client},  {"aud", endpoint},          {"sub", "ehr-backend"},
            {"iat", iat},     {"exp", iat + lifetime},    {"jti", random_uuid()},
            {"tenant", "2ddd6c3a-8e9a-44c6-a305-52111ad302a2"}};
}

std::string token(const SigningKey& key, const json& payload) { return key.sign_compact(header_for(key), payload); }
std::string bearer(const std::string& compact) { return "Bearer " + compact; }

// "accepted", or the reason given, after checking the verdict is consistent and the reason fixed text.
std::string outcome(TokenVerifier& verifier, const std::string& authorization, std::int64_t at = now) {
    const TokenCheck check = verifier.verify(authorization, at);
    if (check.accepted) {
        CHECK(check.reason.empty());
        CHECK(check.issuer == client);
        return "accepted";
    }
    CHECK(check.issuer.empty());
    CHECK(known_reasons.count(check.reason) == 1);
    return check.reason;
}

std::vector<std::string> parts(const std::string& compact) {
    const auto first = compact.find('.');
    const auto second = compact.find('.', first + 1);
    return {compact.substr(0, first), compact.substr(first + 1, second - first - 1), compact.substr(second + 1)};
}

std::string joined(const std::vector<std::string>& p) { return p[0] + '.' + p[1] + '.' + p[2]; }

// One base64url character swapped for another in the middle of a part: still valid base64url.
std::string flip_char(std::string text) {
    char& c = text[text.size() / 2];
    c = c == 'A' ? 'B' : 'A';
    return text;
}

}  // namespace

// ---- Accepted -----------------------------------------------------------------------------------

TEST_CASE("a token signed with ES384 by a trusted client is accepted") {
    auto verifier = verifier_for();
    const TokenCheck check = verifier->verify(bearer(token(es384(), claims())), now);
    CHECK(check.accepted);
    CHECK(check.reason.empty());
    CHECK(check.issuer == client);
}

TEST_CASE("a token signed with RS384 by a trusted client is accepted") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, bearer(token(rs384(), claims()))) == "accepted");
}

TEST_CASE("tokens signed with ES256 and with RS256 are accepted too") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, bearer(token(es256(), claims()))) == "accepted");
    CHECK(outcome(*verifier, bearer(token(rs256(), claims()))) == "accepted");
}

TEST_CASE("the bearer scheme is case-insensitive and surrounding spaces are ignored") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, "bearer " + token(es384(), claims())) == "accepted");
    CHECK(outcome(*verifier, "  BEARER \t" + token(es384(), claims()) + "  ") == "accepted");
}

TEST_CASE("a token without sub or tenant, or with fractional times, is accepted") {
    auto verifier = verifier_for();
    json payload = claims();
    payload.erase("sub");
    payload.erase("tenant");
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
    payload = claims();
    payload["iat"] = static_cast<double>(now) + 0.25;
    payload["exp"] = static_cast<double>(now) + 299.75;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
}

TEST_CASE("the ES384 example token of the CDS Hooks 2.0 specification has a valid signature") {
    // Header, payload, JWK and signature from the specification's "Trusting CDS Clients" example,
    // made by another implementation. Its lifetime is years, so it is refused, but only after the
    // signature has been checked; a changed byte makes it a bad signature instead.
    const std::string jwks = R"({"keys":[{"kty":"EC","use":"sig","crv":"P-384","kid":"example-kid",
        "x":"46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
        "y":"XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI","alg":"ES384"}]})";
    const std::string example =
        "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci5leGFtcGxlLmNv"
        "bS9qd2tfdXJpIn0.eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3J"
        "nL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMxMTI4MDk3MCwianRpIjoiZWUyMmIwMjEtZT"
        "FiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00NGM2LWEzMDUtNTIxMTFhZDMwMmEyIn0.d1WfL"
        "jGRKlcWB94l9do4cM8REXeYJLL6SGUBO8VHZhfM8mwKYP70EMxJ67War4TQblEpaQrp11wx5p7oPFm2ETYgCicS84vXWEIYTdjooZdooCSD"
        "f2L8-i4awdoUwiEb";
    TokenPolicy policy;
    policy.audience = "https://cds.example.org";
    policy.issuers.push_back({"https://fhir-ehr.example.com/", jwks});
    auto verifier = verifier_for(policy);
    const std::int64_t issued = 1311280970;
    CHECK(verifier->verify(bearer(example), issued).reason == "lifetime over the maximum");

    auto p = parts(example);
    p[2] = flip_char(p[2]);
    CHECK(verifier->verify(bearer(joined(p)), issued).reason == "bad signature");
}

// ---- The Authorization header ---------------------------------------------------------------------

TEST_CASE("a request without a bearer token is refused") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, "") == "missing bearer token");
    CHECK(outcome(*verifier, "   ") == "missing bearer token");
    CHECK(outcome(*verifier, "Bearer") == "missing bearer token");
    CHECK(outcome(*verifier, "Bearer    ") == "missing bearer token");
}

TEST_CASE("credentials of another scheme than Bearer are refused") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, "Basic dXNlcjpwYXNzd29yZA==") == "not a bearer token");
    CHECK(outcome(*verifier, "DPoP " + token(es384(), claims())) == "not a bearer token");
    CHECK(outcome(*verifier, "Bearer" + token(es384(), claims())) == "not a bearer token");
    CHECK(outcome(*verifier, token(es384(), claims())) == "not a bearer token");
}

TEST_CASE("garbage in place of a token is refused as malformed") {
    auto verifier = verifier_for();
    const auto good = parts(token(es384(), claims()));
    const std::string not_json = base64url_encode("not json");
    const std::string json_array = base64url_encode("[1,2]");
    for (const std::string& garbage : {
             std::string("abc"),
             std::string("a.b"),
             joined(good) + ".extra",
             good[0] + ".." + good[2],
             good[0] + "." + good[1] + "=." + good[2],     // padding
             good[0] + "." + good[1] + "+" + "." + good[2],  // the non-url alphabet
             good[0] + " ." + good[1] + "." + good[2],
             good[0] + ".A." + good[2],                    // 6 bits cannot make a byte
             good[0] + "." + not_json + "." + good[2],
             not_json + "." + good[1] + "." + good[2],
             json_array + "." + good[1] + "." + good[2],
             good[0] + "." + json_array + "." + good[2],
             good[0] + ".eyB." + good[2],                  // bits left over after the last byte
             good[0] + "." + good[1] + ".%%%",
         }) {
        INFO(garbage.substr(0, 40));
        CHECK(outcome(*verifier, bearer(garbage)) == "malformed token");
    }
}

TEST_CASE("a second spelling of a valid signature, with stray bits after its last byte, is malformed") {
    // An RSA-2048 signature is 256 bytes: 342 characters, the last carrying 4 bits that are not
    // part of any byte. Setting one spells the same bytes differently; only one spelling is base64url.
    auto verifier = verifier_for();
    auto p = parts(token(rs384(), claims()));
    REQUIRE(p[2].size() % 4 == 2);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto last = alphabet.find(p[2].back());
    REQUIRE(last % 16 == 0);
    p[2].back() = alphabet[last + 1];
    CHECK(outcome(*verifier, bearer(joined(p))) == "malformed token");
}

TEST_CASE("a token over 8 KB is refused before it is parsed") {
    auto verifier = verifier_for();
    json payload = claims();
    payload["padding"] = std::string(8192, 'x');
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "token too large");
    CHECK(outcome(*verifier, bearer(std::string(8193, 'A'))) == "token too large");
}

// ---- The header -----------------------------------------------------------------------------------

TEST_CASE("a token with alg none is refused, with or without a signature") {
    auto verifier = verifier_for();
    const std::string payload = base64url_encode(claims().dump());
    for (const char* none : {"none", "None", "NONE"}) {
        const std::string header = base64url_encode(json{{"alg", none}, {"typ", "JWT"}, {"kid", "client-es384"}}.dump());
        CHECK(outcome(*verifier, bearer(header + "." + payload + ".")) == "unsupported algorithm");
        const std::string signature = base64url_encode(es384().sign(header + "." + payload));
        CHECK(outcome(*verifier, bearer(header + "." + payload + "." + signature)) == "unsupported algorithm");
    }
}

TEST_CASE("algorithms other than RS256, RS384, ES256 and ES384 are refused") {
    auto verifier = verifier_for();
    for (const json& alg : {json("HS256"), json("HS384"), json("PS384"), json("ES512"), json("es384"), json(384),
                            json(nullptr)}) {
        json header = header_for(es384());
        header["alg"] = alg;
        INFO(alg.dump());
        CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "unsupported algorithm");
    }
    json header = header_for(es384());
    header.erase("alg");
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "unsupported algorithm");
}

TEST_CASE("a token whose alg does not fit the key its kid names is refused") {
    auto verifier = verifier_for();
    // ES384 claimed, but the kid names the RSA key (and the other way round).
    json header = header_for(rs384());
    header["alg"] = "ES384";
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "key does not fit the algorithm");
    header = header_for(es384());
    header["alg"] = "RS384";
    CHECK(outcome(*verifier, bearer(rs384().sign_compact(header, claims()))) == "key does not fit the algorithm");
    // The right kty but the wrong curve: a P-256 key asked to verify ES384.
    header = header_for(es256());
    header["alg"] = "ES384";
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "key does not fit the algorithm");
    // The right kty, but the JWK pins another algorithm: signed with that RSA key under RS384, JWK says RS256.
    header = header_for(rs256());
    header["alg"] = "RS384";
    CHECK(outcome(*verifier, bearer(rs256().sign_compact(header, claims(), "RS384"))) ==
          "key does not fit the algorithm");
}

TEST_CASE("typ must be JWT and crit is not understood") {
    auto verifier = verifier_for();
    for (const json& typ : {json("at+jwt"), json("JWS"), json(1)}) {
        json header = header_for(es384());
        header["typ"] = typ;
        CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "wrong token type");
    }
    json header = header_for(es384());
    header.erase("typ");
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "wrong token type");
    header = header_for(es384());
    header["typ"] = "jwt";
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "accepted");
    header = header_for(es384());
    header["crit"] = json::array({"b64"});
    header["b64"] = false;
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "unsupported critical header");
}

TEST_CASE("a token naming a kid the issuer does not have is refused") {
    auto verifier = verifier_for();
    json header = header_for(es384());
    header["kid"] = "client-es384-next";
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "no key with that kid");
    header.erase("kid");
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "missing or invalid kid");
    header["kid"] = 7;
    CHECK(outcome(*verifier, bearer(es384().sign_compact(header, claims()))) == "missing or invalid kid");
}

TEST_CASE("a key embedded in the header or named by jku is never used") {
    auto verifier = verifier_for();
    const auto attacker = new_key("ES384", "client-es384");
    json header = header_for(*attacker);
    header["jwk"] = attacker->public_jwk();
    header["jku"] = "https://attacker.example/jwks.json";
    CHECK(outcome(*verifier, bearer(attacker->sign_compact(header, claims()))) == "bad signature");
}

// ---- Issuer and signature ----------------------------------------------------------------------------

TEST_CASE("a token from an issuer we do not trust is refused") {
    auto verifier = verifier_for();
    json payload = claims();
    payload["iss"] = "https://other-ehr.example.com/";
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "unknown issuer");
    payload["iss"] = "https://ehr.example.com";  // no trailing slash: issuers compare exactly
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "unknown issuer");
    payload.erase("iss");
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid iss");

    // A second trusted client cannot sign as the first, even with a kid the first one uses.
    const auto other = new_key("ES384", "client-es384");
    TokenPolicy policy = client_policy();
    policy.issuers.push_back({"https://other-ehr.example.com/", jwks_of({other.get()}).dump()});
    auto two_clients = verifier_for(policy);
    CHECK(outcome(*two_clients, bearer(token(*other, claims()))) == "bad signature");
}

TEST_CASE("a token whose payload was changed after signing is refused") {
    auto verifier = verifier_for();
    for (const SigningKey* key : {&es384(), &rs384()}) {
        auto p = parts(token(*key, claims()));
        json changed = claims();
        changed["sub"] = "someone-else";
        p[1] = base64url_encode(changed.dump());
        CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
        // Header and payload of one token with the signature of another.
        auto q = parts(token(*key, claims()));
        q[2] = parts(token(*key, claims()))[2];
        CHECK(outcome(*verifier, bearer(joined(q))) == "bad signature");
    }
}

TEST_CASE("a token whose signature was changed is refused") {
    auto verifier = verifier_for();
    for (const SigningKey* key : {&es384(), &rs384(), &es256(), &rs256()}) {
        INFO(key->alg());
        auto p = parts(token(*key, claims()));
        p[2] = flip_char(p[2]);
        CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
        const std::string signature = key->sign(p[0] + "." + p[1]);
        p[2] = base64url_encode(signature.substr(0, signature.size() - 1));  // shorter than the key allows
        CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
        p[2] = base64url_encode(signature + '\0');
        CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
        p[2] = base64url_encode(signature);
        CHECK(outcome(*verifier, bearer(joined(p))) == "accepted");  // the untouched signature, for contrast
        p[2] = "";
        CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
    }
    // ES384 with r or s zero, and r||s of all ones: never a valid ECDSA signature.
    auto p = parts(token(es384(), claims()));
    p[2] = base64url_encode(std::string(96, '\0'));
    CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
    p[2] = base64url_encode(std::string(96, '\xff'));
    CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
}

TEST_CASE("a signature by a key that is not the client's is refused") {
    auto verifier = verifier_for();
    const auto impostor = new_key("RS384", "client-rs384");
    CHECK(outcome(*verifier, bearer(token(*impostor, claims()))) == "bad signature");
}

// ---- Audience -----------------------------------------------------------------------------------------

TEST_CASE("aud must be this service or one of its endpoints") {
    auto verifier = verifier_for();
    for (const std::string& aud : {service, service + "/", service + "/cds-services", endpoint, endpoint + "/feedback"}) {
        json payload = claims();
        payload["aud"] = aud;
        INFO(aud);
        CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
    }
    for (const std::string& aud : {std::string("https://other.example.org/cds-services/casecheck-patient-view"),
                                  std::string("https://cds.example.org.attacker.example/cds-services/x"),
                                  std::string("https://cds.example.org:8443/cds-services/x"),
                                  std::string("http://cds.example.org/cds-services/x"), service + "/admin",
                                  service + "/cds-services-other", std::string("")}) {
        json payload = claims();
        payload["aud"] = aud;
        INFO(aud);
        CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "wrong audience");
    }
    json payload = claims();
    payload.erase("aud");
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid aud");
    payload["aud"] = 5;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid aud");
}

TEST_CASE("an aud array that contains this service is accepted") {
    auto verifier = verifier_for();
    json payload = claims();
    payload["aud"] = json::array({"https://other.example.org/cds-services", endpoint});
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
    payload = claims();
    payload["aud"] = json::array({"https://other.example.org/cds-services"});
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "wrong audience");
    payload["aud"] = json::array();
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid aud");
    payload["aud"] = json::array({endpoint, 3});
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid aud");
}

TEST_CASE("a policy audience with a trailing slash matches the same endpoints") {
    TokenPolicy policy = client_policy();
    policy.audience = service + "/";
    auto verifier = verifier_for(policy);
    CHECK(outcome(*verifier, bearer(token(es384(), claims()))) == "accepted");
}

// ---- Time ---------------------------------------------------------------------------------------------

TEST_CASE("an expired token is refused, but one inside the leeway is accepted") {
    auto verifier = verifier_for();
    const std::int64_t iat = now - 300;  // exp == now
    CHECK(outcome(*verifier, bearer(token(es384(), claims(iat))), now + 59) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(iat))), now + 60) == "expired");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(iat - 3600))), now) == "expired");

    TokenPolicy strict = client_policy();
    strict.leeway_seconds = 0;
    auto no_leeway = verifier_for(strict);
    CHECK(outcome(*no_leeway, bearer(token(es384(), claims(iat))), now - 1) == "accepted");
    CHECK(outcome(*no_leeway, bearer(token(es384(), claims(iat))), now) == "expired");
}

TEST_CASE("a token issued in the future is refused beyond the leeway") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 60)))) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 61)))) == "issued in the future");
    json payload = claims();
    payload["nbf"] = now + 61;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "not yet valid");
    payload = claims();
    payload["nbf"] = now + 30;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
}

TEST_CASE("a token living longer than 5 minutes is refused") {
    auto verifier = verifier_for();
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now, 300)))) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now, 301)))) == "lifetime over the maximum");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now, -1)))) == "expires before it was issued");

    TokenPolicy longer = client_policy();
    longer.max_lifetime_seconds = 600;
    auto relaxed = verifier_for(longer);
    CHECK(outcome(*relaxed, bearer(token(es384(), claims(now, 301)))) == "accepted");
    CHECK(outcome(*relaxed, bearer(token(es384(), claims(now, 601)))) == "lifetime over the maximum");
}

TEST_CASE("exp, iat and jti must be present and of the right type") {
    auto verifier = verifier_for();
    const std::pair<const char*, std::string> required[] = {
        {"exp", "missing or invalid exp"}, {"iat", "missing or invalid iat"}, {"jti", "missing or invalid jti"}};
    for (const auto& [claim, reason] : required) {
        json payload = claims();
        payload.erase(claim);
        INFO(claim);
        CHECK(outcome(*verifier, bearer(token(es384(), payload))) == reason);
    }
    json payload = claims();
    payload["exp"] = std::to_string(now + 300);
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid exp");
    payload = claims();
    payload["exp"] = -1;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid exp");
    payload = claims();
    payload["iat"] = 1e300;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid iat");
    payload = claims();
    payload["exp"] = std::numeric_limits<std::uint64_t>::max();
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid exp");
    payload = claims();
    payload["jti"] = "";
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid jti");
    payload["jti"] = 42;
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "missing or invalid jti");
    payload = claims();
    payload["nbf"] = "soon";
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "invalid nbf");
    payload = claims();
    payload["tenant"] = json::object();
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "invalid sub or tenant");
}

// ---- Replay ---------------------------------------------------------------------------------------------

TEST_CASE("a replayed jti is refused until its token has expired, then taken as new") {
    auto verifier = verifier_for();
    json payload = claims();
    const std::string first = bearer(token(es384(), payload));
    CHECK(outcome(*verifier, first) == "accepted");
    CHECK(outcome(*verifier, first) == "token replayed");
    CHECK(outcome(*verifier, first, now + 200) == "token replayed");
    // The same jti in another token (another key, a later iat) is still a replay.
    json again = payload;
    again["iat"] = now + 100;
    again["exp"] = now + 400;
    CHECK(outcome(*verifier, bearer(token(rs384(), again)), now + 100) == "token replayed");

    // The first token's entry lasts until its exp + leeway (now + 360); by now + 400 it is pruned,
    // the first token itself is expired, and a new token reusing the jti is accepted.
    CHECK(outcome(*verifier, first, now + 400) == "expired");
    json later = payload;
    later["iat"] = now + 400;
    later["exp"] = now + 700;
    CHECK(outcome(*verifier, bearer(token(es384(), later)), now + 400) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), later)), now + 401) == "token replayed");
}

TEST_CASE("the same jti from two different issuers is not a replay") {
    const auto other = new_key("ES384", "other-es384");
    TokenPolicy policy = client_policy();
    policy.issuers.push_back({"https://other-ehr.example.com/", jwks_of({other.get()}).dump()});
    auto verifier = verifier_for(policy);
    json payload = claims();
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
    payload["iss"] = "https://other-ehr.example.com/";
    const TokenCheck check = verifier->verify(bearer(token(*other, payload)), now);
    CHECK(check.accepted);
    CHECK(check.issuer == "https://other-ehr.example.com/");
}

TEST_CASE("a refused token does not use up its jti") {
    auto verifier = verifier_for();
    json payload = claims();
    json wrong = payload;
    wrong["aud"] = "https://other.example.org/cds-services";
    CHECK(outcome(*verifier, bearer(token(es384(), wrong))) == "wrong audience");
    CHECK(outcome(*verifier, bearer(token(es384(), payload))) == "accepted");
}

TEST_CASE("a full replay cache refuses new tokens until old entries expire") {
    TokenPolicy policy = client_policy();
    policy.replay_cache_limit = 2;
    auto verifier = verifier_for(policy);
    CHECK(outcome(*verifier, bearer(token(es384(), claims()))) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 100))), now + 100) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 101))), now + 101) == "replay cache full");
    // At now + 360 the first entry (exp now + 300, plus the leeway) is gone: room for one.
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 360))), now + 360) == "accepted");
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 361))), now + 361) == "replay cache full");
}

TEST_CASE("a token whose replay entry may already be pruned by a later clock is refused") {
    // Threads read the clock at slightly different moments. Once one has pruned up to its `now`,
    // a token that expires before then cannot be told apart from a replay, so it is refused.
    auto verifier = verifier_for();
    const std::string early = bearer(token(es384(), claims(now - 300)));  // exp + leeway = now + 60
    CHECK(outcome(*verifier, bearer(token(es384(), claims(now + 60))), now + 61) == "accepted");
    CHECK(outcome(*verifier, early, now + 59) == "expired");
}

// ---- Threads ----------------------------------------------------------------------------------------------

TEST_CASE("eight threads verifying distinct tokens at once are all accepted") {
    auto verifier = verifier_for();
    constexpr int threads = 8;
    constexpr int per_thread = 25;
    std::vector<std::vector<std::string>> tokens(threads);
    const SigningKey* keys[] = {&es384(), &rs384(), &es256(), &rs256()};
    for (int t = 0; t < threads; ++t) {
        for (int i = 0; i < per_thread; ++i) tokens[t].push_back(bearer(token(*keys[(t + i) % 4], claims())));
    }
    std::atomic<int> ready{0};
    std::atomic<int> accepted{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            ready.fetch_add(1);
            while (ready.load() < threads) std::this_thread::yield();
            for (const auto& authorization : tokens[t]) {
                if (verifier->verify(authorization, now).accepted) accepted.fetch_add(1);
            }
        });
    }
    for (auto& worker : workers) worker.join();
    CHECK(accepted.load() == threads * per_thread);
}

TEST_CASE("eight threads racing with the same token: exactly one is accepted") {
    auto verifier = verifier_for();
    constexpr int threads = 8;
    for (int round = 0; round < 20; ++round) {
        const std::string authorization = bearer(token(round % 2 == 0 ? es384() : rs384(), claims()));
        std::atomic<int> ready{0};
        std::atomic<int> accepted{0};
        std::atomic<int> replayed{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&] {
                ready.fetch_add(1);
                while (ready.load() < threads) std::this_thread::yield();
                const TokenCheck check = verifier->verify(authorization, now);
                if (check.accepted) accepted.fetch_add(1);
                if (check.reason == "token replayed") replayed.fetch_add(1);
            });
        }
        for (auto& worker : workers) worker.join();
        INFO("round " << round);
        CHECK(accepted.load() == 1);
        CHECK(replayed.load() == threads - 1);
    }
}

TEST_CASE("a refused token leaves no OpenSSL error behind on the thread") {
    auto verifier = verifier_for();
    ERR_clear_error();
    auto p = parts(token(es384(), claims()));
    p[2] = base64url_encode(std::string(96, '\0'));
    CHECK(outcome(*verifier, bearer(joined(p))) == "bad signature");
    CHECK(ERR_peek_error() == 0);
}

// ---- Configuration -------------------------------------------------------------------------------------

namespace {

std::string create_error(TokenPolicy policy) {
    std::string error;
    auto verifier = TokenVerifier::create(std::move(policy), error);
    CHECK_FALSE(verifier);
    return error;
}

TokenPolicy policy_with_jwks(const std::string& jwks) {
    TokenPolicy policy;
    policy.audience = service;
    policy.issuers.push_back({client, jwks});
    return policy;
}

json ec_jwk_with_point(const std::string& x, const std::string& y) {
    return {{"kty", "EC"}, {"crv", "P-384"}, {"kid", "k"}, {"x", base64url_encode(x)}, {"y", base64url_encode(y)}};
}

}  // namespace

TEST_CASE("create refuses JWK Sets it cannot use, naming the issuer and the problem") {
    using Catch::Matchers::Contains;
    CHECK_THAT(create_error(policy_with_jwks("{not json")), Contains(client) && Contains("not a JSON object"));
    CHECK_THAT(create_error(policy_with_jwks(R"({"keys": {}})")), Contains("no \"keys\" array"));
    CHECK_THAT(create_error(policy_with_jwks(R"({"keys": []})")), Contains("no usable signing key"));

    json small_rsa = {{"kty", "RSA"}, {"kid", "k"}, {"e", "AQAB"},
                      {"n", base64url_encode(std::string(127, '\xab') + '\x01')}};  // 1024 bits
    CHECK_THAT(create_error(policy_with_jwks(json{{"keys", {small_rsa}}}.dump())),
               Contains("kid 'k'") && Contains("1024 bits"));

    const std::string off_curve(48, '\x01');
    CHECK_THAT(create_error(policy_with_jwks(json{{"keys", {ec_jwk_with_point(off_curve, off_curve)}}}.dump())),
               Contains("not on the curve"));
    CHECK_THAT(create_error(policy_with_jwks(
                   json{{"keys", {ec_jwk_with_point(std::string(32, '\x01'), std::string(32, '\x01'))}}}.dump())),
               Contains("48 bytes"));

    json leaked = es384().public_jwk();
    leaked["d"] = "SeFXUXda8UomZ8GFUl7HH_Oi15rIbfMcsWj9ecIsDR8kLbqsEz2CGNgwy_IcILxy";
    CHECK_THAT(create_error(policy_with_jwks(json{{"keys", {leaked}}}.dump())), Contains("private key material"));

    json twin = es256().public_jwk();
    twin["kid"] = es384().kid();
    CHECK_THAT(create_error(policy_with_jwks(json{{"keys", {es384().public_jwk(), twin}}}.dump())),
               Contains("names two signing keys"));

    json confused = rs384().public_jwk();
    confused["alg"] = "ES384";
    CHECK_THAT(create_error(policy_with_jwks(json{{"keys", {confused}}}.dump())), Contains("does not fit"));

    json not_base64url = es384().public_jwk();
    not_base64url["x"] = "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI/FIGBLWrWa0GPUkDCEk";
    CHECK_THAT(create_error(policy_with_jwks(json{{"keys", {not_base64url}}}.dump())), Contains("base64url"));
}

TEST_CASE("create refuses a policy it cannot enforce") {
    using Catch::Matchers::Contains;
    TokenPolicy policy = client_policy();
    policy.audience = "/";
    CHECK_THAT(create_error(policy), Contains("audience"));
    policy = client_policy();
    policy.issuers.clear();
    CHECK_THAT(create_error(policy), Contains("no trusted issuer"));
    policy = client_policy();
    policy.issuers.push_back(policy.issuers.front());
    CHECK_THAT(create_error(policy), Contains("listed twice"));
    policy = client_policy();
    policy.leeway_seconds = -1;
    CHECK_THAT(create_error(policy), Contains("leeway_seconds"));
    policy = client_policy();
    policy.max_lifetime_seconds = 0;
    CHECK_THAT(create_error(policy), Contains("max_lifetime_seconds"));
    policy = client_policy();
    policy.replay_cache_limit = 0;
    CHECK_THAT(create_error(policy), Contains("replay_cache_limit"));
}

TEST_CASE("keys that cannot sign in our algorithms are skipped, not fatal") {
    json keys = json::array();
    keys.push_back({{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", "ed"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}});
    json encryption = rs256().public_jwk();
    encryption["use"] = "enc";
    encryption["kid"] = "encryption";
    keys.push_back(encryption);
    json pss = rs256().public_jwk();
    pss["alg"] = "PS384";
    pss["kid"] = "pss";
    keys.push_back(pss);
    json no_kid = es256().public_jwk();
    no_kid.erase("kid");
    keys.push_back(no_kid);
    keys.push_back(es384().public_jwk());
    auto verifier = verifier_for(policy_with_jwks(json{{"keys", keys}}.dump()));
    CHECK(outcome(*verifier, bearer(token(es384(), claims()))) == "accepted");
    json header = header_for(rs256());
    header["kid"] = "encryption";
    CHECK(outcome(*verifier, bearer(rs256().sign_compact(header, claims()))) == "no key with that kid");
}

// ---- casecheck-cds-token ------------------------------------------------------------------------------------

namespace {

std::string run(const std::string& command, int& status) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("popen failed");
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    status = ::pclose(pipe);
    return output;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("a key pair and token made with casecheck-cds-token are accepted") {
    char dir_template[] = "/tmp/casecheck-cds-token-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    const std::string dir = dir_template;
    const std::string tool = CASECHECK_CDS_TOKEN_TOOL;
    for (const std::string alg : {"ES384", "RS384"}) {
        INFO(alg);
        const std::string key = dir + "/" + alg + ".pem";
        const std::string jwks = dir + "/" + alg + ".jwks.json";
        int status = -1;
        run("'" + tool + "' keygen --alg " + alg + " --kid vendor-1 --private '" + key + "' --jwks '" + jwks + "' 2>&1",
            status);
        REQUIRE(status == 0);
        struct stat info {};
        REQUIRE(::stat(key.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0600);
        // An existing private key is never replaced, nor the JWKS that goes with it.
        const std::string published = slurp(jwks);
        run("'" + tool + "' keygen --alg " + alg + " --kid vendor-1 --private '" + key + "' --jwks '" + jwks +
                "' 2>/dev/null",
            status);
        CHECK(status != 0);
        CHECK(slurp(jwks) == published);

        const std::string jwt = run("'" + tool + "' sign --private '" + key + "' --kid vendor-1 --alg " + alg +
                                        " --iss https://vendor.example/ --aud " + endpoint + " --sub tester --iat " +
                                        std::to_string(now) + " --lifetime 120",
                                    status);
        REQUIRE(status == 0);
        REQUIRE(!jwt.empty());
        REQUIRE(jwt.back() == '\n');

        TokenPolicy policy;
        policy.audience = service;
        policy.issuers.push_back({"https://vendor.example/", slurp(jwks)});
        auto verifier = verifier_for(policy);
        const TokenCheck check = verifier->verify("Bearer " + jwt.substr(0, jwt.size() - 1), now);
        CHECK(check.reason == "");
        CHECK(check.accepted);
        CHECK(verifier->verify("Bearer " + jwt.substr(0, jwt.size() - 1), now).reason == "token replayed");
        std::remove(key.c_str());
        std::remove(jwks.c_str());
    }
    int status = -1;
    run("'" + tool + "' sign --alg ES384 2>/dev/null", status);
    CHECK(WEXITSTATUS(status) == 2);
    ::rmdir(dir.c_str());
}
