// A token-sequence trie: every lexicon phrase compiled once per engine, then
// matched against a note's tokens in one pass with hash lookups, no regex.
#pragma once

#include "text/tokens.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace casecheck::text {

// A phrase found in the text: tokens [first, last) and the payload it was added with.
struct PhraseMatch {
    std::size_t first = 0;
    std::size_t last = 0;
    std::uint32_t payload = 0;
};

class PhraseTrie {
public:
    // Adds a phrase (tokenized as note text is) with a payload; an empty phrase is ignored.
    void add(const std::vector<std::string>& phrase_tokens, std::uint32_t payload);

    // Every phrase occurrence in tokens, ordered by start then length; overlaps are all kept.
    std::vector<PhraseMatch> find_all(const std::vector<Token>& tokens) const;

    std::size_t phrase_count() const { return phrases_; }

private:
    static constexpr std::uint32_t unknown_word = UINT32_MAX;

    struct Node {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> children;  // (word id, node), sorted by word id
        std::vector<std::uint32_t> payloads;
    };

    // The word ids of tokens, hashed once per token before the walk.
    std::vector<std::uint32_t> word_ids(const std::vector<Token>& tokens) const;
    std::uint32_t word_id(const std::string& word);
    std::uint32_t child(std::uint32_t node, std::uint32_t word) const;

    std::unordered_map<std::string, std::uint32_t> words_;
    std::vector<Node> nodes_{Node{}};
    std::size_t phrases_ = 0;
};

}  // namespace casecheck::text
