#include "text/phrase_trie.hpp"

#include <algorithm>

namespace casecheck::text {

std::uint32_t PhraseTrie::word_id(const std::string& word) {
    const auto [it, inserted] = words_.emplace(word, static_cast<std::uint32_t>(words_.size()));
    return it->second;
}

std::uint32_t PhraseTrie::child(std::uint32_t node, std::uint32_t word) const {
    const auto& children = nodes_[node].children;
    const auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(word, std::uint32_t{0}));
    return it != children.end() && it->first == word ? it->second : 0;
}

void PhraseTrie::add(const std::vector<std::string>& phrase_tokens, std::uint32_t payload) {
    if (phrase_tokens.empty()) return;
    std::uint32_t node = 0;
    for (const auto& token : phrase_tokens) {
        const std::uint32_t word = word_id(token);
        std::uint32_t next = child(node, word);
        if (next == 0) {
            next = static_cast<std::uint32_t>(nodes_.size());
            nodes_.emplace_back();
            auto& children = nodes_[node].children;
            children.insert(std::lower_bound(children.begin(), children.end(), std::make_pair(word, std::uint32_t{0})),
                            {word, next});
        }
        node = next;
    }
    auto& payloads = nodes_[node].payloads;
    if (std::find(payloads.begin(), payloads.end(), payload) == payloads.end()) payloads.push_back(payload);
    ++phrases_;
}

std::vector<std::uint32_t> PhraseTrie::word_ids(const std::vector<Token>& tokens) const {
    std::vector<std::uint32_t> ids(tokens.size(), unknown_word);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto it = words_.find(tokens[i].norm);
        if (it != words_.end()) ids[i] = it->second;
    }
    return ids;
}

std::vector<PhraseMatch> PhraseTrie::find_all(const std::vector<Token>& tokens) const {
    const std::vector<std::uint32_t> ids = word_ids(tokens);
    std::vector<PhraseMatch> matches;
    for (std::size_t first = 0; first < ids.size(); ++first) {
        std::uint32_t node = 0;
        for (std::size_t i = first; i < ids.size() && ids[i] != unknown_word; ++i) {
            node = child(node, ids[i]);
            if (node == 0) break;
            for (const auto payload : nodes_[node].payloads) matches.push_back({first, i + 1, payload});
        }
    }
    return matches;
}

}  // namespace casecheck::text
