// A hash that is the same on every platform and build, for ids and fingerprints
// that hosts store (std::hash promises neither).
#pragma once

#include <cstdint>
#include <string_view>

namespace casecheck {

// FNV-1a, 64-bit, over a sequence of fields.
class Fnv1a64 {
public:
    Fnv1a64() = default;
    // Starts from another basis, for a second hash independent enough to widen a fingerprint.
    explicit Fnv1a64(std::uint64_t basis) : hash_(basis) {}

    void add(std::string_view text) {
        for (const char c : text) {
            hash_ ^= static_cast<unsigned char>(c);
            hash_ *= 0x100000001b3ull;
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        hash_ ^= 0xffu;
        hash_ *= 0x100000001b3ull;
    }
    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

}  // namespace casecheck
