// SHA-256 (FIPS 180-4) for the audit manifest's file digests: streaming, and
// our own, so the CLI needs no crypto library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace casecheck::cli {

// Which block function hashes: the CPU's SHA extensions when it has them, else portable code.
enum class Sha256Implementation { automatic, portable };

// A SHA-256 computation fed piece by piece; digest() ends it.
class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    explicit Sha256(Sha256Implementation implementation = Sha256Implementation::automatic);

    // Hashes `size` more bytes.
    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }

    // Pads, finishes and returns the digest; the object then starts a new, empty message.
    Digest digest();
    // digest() as 64 lowercase hex digits.
    std::string hex_digest();

    // True when this machine hashes with the CPU's SHA extensions under `automatic`.
    static bool hardware_accelerated();

private:
    void compress(const std::uint8_t* blocks, std::size_t count);
    void reset();

    std::array<std::uint32_t, 8> state_{};
    std::array<std::uint8_t, 64> pending_{};  // a partial block, waiting for more bytes
    std::size_t pending_size_ = 0;
    std::uint64_t total_bytes_ = 0;
    bool use_hardware_ = false;
};

// The SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes, Sha256Implementation implementation = Sha256Implementation::automatic);

}  // namespace casecheck::cli
