#include "text/phrase_trie.hpp"

#include <catch2/catch.hpp>

using casecheck::text::PhraseTrie;
using casecheck::text::tokenize;

namespace {

std::vector<std::string> words(const char* phrase) {
    std::vector<std::string> out;
    for (auto& token : tokenize(phrase)) out.push_back(token.norm);
    return out;
}

}  // namespace

TEST_CASE("the trie finds every phrase occurrence, overlapping ones included") {
    PhraseTrie trie;
    trie.add(words("consent"), 1);
    trie.add(words("consent to share"), 2);
    trie.add(words("share"), 3);
    const auto matches = trie.find_all(tokenize("Consent to share with GP; will share later"));
    REQUIRE(matches.size() == 4);
    CHECK((matches[0].first == 0 && matches[0].last == 1 && matches[0].payload == 1));
    CHECK((matches[1].first == 0 && matches[1].last == 3 && matches[1].payload == 2));
    CHECK((matches[2].first == 2 && matches[2].last == 3 && matches[2].payload == 3));
    CHECK((matches[3].first == 7 && matches[3].payload == 3));
}

TEST_CASE("a phrase matches only as whole tokens, case-insensitively") {
    PhraseTrie trie;
    trie.add(words("no"), 1);
    CHECK(trie.find_all(tokenize("Noted. NO change. nothing")).size() == 1);
}

TEST_CASE("a prefix of a phrase alone is not a match") {
    PhraseTrie trie;
    trie.add(words("consent to share"), 1);
    CHECK(trie.find_all(tokenize("consent to engage")).empty());
    CHECK(trie.phrase_count() == 1);
}
