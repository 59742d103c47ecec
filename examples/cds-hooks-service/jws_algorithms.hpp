// The JWS algorithms the service verifies and the token tool signs with (RFC 7518 §3),
// in one table so the two sides cannot disagree.
#pragma once

#include <cstddef>
#include <string_view>

namespace casecheck::cds::jws {

// The kinds of key the algorithms below need.
enum class KeyKind { rsa, ec_p256, ec_p384 };

// One JWS algorithm: its name, OpenSSL digest and key kind.
struct Algorithm {
    std::string_view name;
    const char* digest;
    KeyKind key;
    std::size_t ec_coordinate_bytes;  // JWS carries ECDSA as r||s, each this long (RFC 7518 §3.4)
};

// CDS Hooks requires ES384 and RS384; the 256-bit forms are accepted too.
inline constexpr Algorithm algorithms[] = {
    {"RS256", "SHA256", KeyKind::rsa, 0},
    {"RS384", "SHA384", KeyKind::rsa, 0},
    {"ES256", "SHA256", KeyKind::ec_p256, 32},
    {"ES384", "SHA384", KeyKind::ec_p384, 48},
};

// The algorithm with that name, or nullptr.
inline const Algorithm* find_algorithm(std::string_view name) {
    for (const auto& algorithm : algorithms) {
        if (algorithm.name == name) return &algorithm;
    }
    return nullptr;
}

}  // namespace casecheck::cds::jws
