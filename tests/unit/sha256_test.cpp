// SHA-256 against the FIPS 180-2 example vectors, in both block functions.
#include "sha256.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>

using casecheck::cli::Sha256;
using casecheck::cli::sha256_hex;
using casecheck::cli::Sha256Implementation;

namespace {

const Sha256Implementation both_implementations[] = {Sha256Implementation::portable, Sha256Implementation::automatic};

}  // namespace

TEST_CASE("sha256 of the empty message is the standard digest") {
    for (const auto implementation : both_implementations) {
        CHECK(sha256_hex("", implementation) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}

TEST_CASE("sha256 of abc is the standard one-block digest") {
    for (const auto implementation : both_implementations) {
        CHECK(sha256_hex("abc", implementation) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

TEST_CASE("sha256 of the 448-bit message, whose padding needs a second block, is the standard digest") {
    const std::string message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    REQUIRE(message.size() * 8 == 448);
    for (const auto implementation : both_implementations) {
        CHECK(sha256_hex(message, implementation) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}

TEST_CASE("sha256 of a million a's fed in uneven pieces is the standard digest") {
    for (const auto implementation : both_implementations) {
        Sha256 hash(implementation);
        const std::string piece(997, 'a');
        std::size_t fed = 0;
        while (fed + piece.size() <= 1000000) {
            hash.update(piece);
            fed += piece.size();
        }
        hash.update(std::string(1000000 - fed, 'a'));
        CHECK(hash.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}

TEST_CASE("sha256 pads right when the length only just fits, or just misses, one block") {
    // Digests from GNU coreutils' sha256sum.
    const std::pair<std::size_t, const char*> cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"}};
    for (const auto& [length, digest] : cases) {
        INFO("length " << length);
        CHECK(sha256_hex(std::string(length, 'a'), Sha256Implementation::portable) == digest);
    }
}

TEST_CASE("the portable and the hardware sha256 agree on every length around the block and padding boundaries") {
    std::string message;
    for (int length = 0; length <= 300; ++length) {
        INFO("length " << length);
        CHECK(sha256_hex(message, Sha256Implementation::portable) == sha256_hex(message, Sha256Implementation::automatic));
        message += static_cast<char>('!' + (length * 7) % 90);
    }
}

TEST_CASE("a sha256 digest starts a new message, so one object can hash file after file") {
    Sha256 hash;
    hash.update("abc");
    CHECK(hash.hex_digest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hash.hex_digest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
