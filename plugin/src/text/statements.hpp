// The text engine: finds target statements in a note and decides, ConText-style,
// whether each is negated, future, historical, about someone else, and so on.
// Built once per engine from the rule pack's lexicon; analyse() is const and
// safe to call from many threads at once.
#pragma once

#include "text/lexicon.hpp"
#include "text/phrase_trie.hpp"
#include "text/tokens.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace casecheck::text {

// A target statement found in the text, with the modifier categories that apply to it.
struct Statement {
    const TargetRule* rule = nullptr;  // the phrase's entry: its alternative wording
    const std::string* label_ = nullptr;  // the rule's label, or the one a relabel gave it
    std::size_t label_id_ = 0;
    std::size_t begin = 0;             // byte span of the trigger phrase in the text
    std::size_t end = 0;
    std::size_t sentence = 0;
    std::size_t first_token = 0;  // the trigger's tokens, [first_token, last_token)
    std::size_t last_token = 0;
    std::vector<std::string> modifiers;  // sorted, each once
    std::string recipient;               // DISCLOSURE: the recipient's role, or "other"
    bool restates = false;               // a pro-form's ("will do so"): a statement of its own, never merged with its antecedent

    const std::string& label() const { return *label_; }
    bool has(std::string_view category) const;
    // Stated as a current fact about the client: none of NEGATED, WITHDRAWN, FUTURE,
    // HISTORICAL, OTHER, UNCERTAIN or EXCEPTION.
    bool affirmed() const;
};

// A word-list phrase found in the text (abbreviation, recipient, domain, cue).
struct TermHit {
    const TermRule* rule = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t sentence = 0;
};

// Everything the engine read in one text.
struct Analysis {
    std::vector<Token> tokens;
    std::vector<Sentence> sentences;
    std::vector<Statement> statements;  // in text order
    std::vector<TermHit> terms;         // in text order

    // Statements with that label.
    std::vector<const Statement*> with_label(std::string_view label) const;
    // Term hits of that kind.
    std::vector<const TermHit*> of_kind(std::string_view kind) const;
};

class TextEngine {
public:
    explicit TextEngine(Lexicon lexicon);

    // Reads one text. The analysis points into this engine's lexicon: it must not outlive the engine.
    Analysis analyse(std::string_view text) const;

    const Lexicon& lexicon() const { return lexicon_; }

private:
    std::size_t label_id(const std::string& label);
    std::size_t category_id(const std::string& category);

    Lexicon lexicon_;
    PhraseTrie trie_;
    std::vector<std::vector<std::string>> term_raw_tokens_;  // per term, the phrase's own spelling

    // Labels and categories as small numbers, so the per-pair tests of analyse() compare integers.
    std::vector<std::string> label_names_;
    std::vector<std::string> category_names_;
    std::vector<std::size_t> target_label_;                   // per target rule
    std::vector<std::size_t> length_group_;                   // per label: labels whose phrases compete by length share one
    std::vector<char> one_per_sentence_;                      // per label: same-status phrases of a sentence are one statement
    std::vector<char> one_per_note_;                          // per label: statements of a text whose statuses nest are one
    std::vector<std::size_t> modifier_category_;              // per modifier rule
    std::vector<std::vector<char>> modifier_applies_;         // per modifier rule, per label
    std::vector<std::size_t> modifier_types_;                 // per modifier rule: the first rule with the same applies_
    std::vector<std::vector<char>> modifier_terminated_by_;   // per modifier rule, per category
    std::vector<std::vector<char>> modifier_ends_;            // per modifier rule, per category: a terminator ends it
    std::vector<std::vector<char>> modifier_leading_triggers_;  // per modifier rule, per word count k: do its first k words begin with a trigger of its category
    std::vector<std::pair<std::size_t, std::size_t>> relabel_labels_;  // per relabel: from, to
    std::vector<std::vector<std::size_t>> suppress_after_;    // per suppress rule: label ids
    std::vector<std::vector<std::size_t>> suppress_labels_;   // per suppress rule: the label ids it drops
    std::vector<std::size_t> reason_follows_label_;           // per reason-follows rule
    std::vector<std::vector<std::size_t>> reason_follows_unless_;
    std::vector<std::pair<std::size_t, std::size_t>> inherit_labels_;  // per inherit rule: from, to
    std::vector<std::vector<char>> pronoun_subject_labels_;   // per pronoun-subject rule, per label: does it apply
    std::vector<std::vector<char>> joint_party_labels_;       // per joint-party rule, per label: does it apply
    std::vector<std::size_t> restate_from_;                   // per restate rule: the pro-form's label
    std::vector<std::vector<char>> restate_labels_;           // per restate rule, per label: may it be restated
    std::vector<std::vector<char>> restate_passes_over_;      // per restate rule, per label: is it looked past
    std::size_t none_label_ = 0;
    std::size_t disclosure_label_ = 0;
};

// Reads each text of one check() call once, however many criteria ask about it.
// Belongs to one call, so to one thread.
class TextReader {
public:
    explicit TextReader(const TextEngine& engine) : engine_(engine) {}

    // The analysis of a record's text field, computed on first use; texts are told apart by address.
    const Analysis& read(const std::string& text) const;

private:
    const TextEngine& engine_;
    mutable std::map<const std::string*, std::unique_ptr<Analysis>> analyses_;
};

}  // namespace casecheck::text
