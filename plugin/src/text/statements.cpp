#include "text/statements.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace casecheck::text {
namespace {

// Payloads carry the entry's table in their top bits and its index below.
enum class Table : std::uint32_t { section = 0, target = 1, modifier = 2, term = 3 };
constexpr std::uint32_t table_shift = 28;
constexpr std::uint32_t index_mask = (1u << table_shift) - 1;

std::uint32_t payload(Table table, std::size_t index) {
    return (static_cast<std::uint32_t>(table) << table_shift) | static_cast<std::uint32_t>(index);
}
Table table_of(std::uint32_t payload) { return static_cast<Table>(payload >> table_shift); }
std::size_t index_of(std::uint32_t payload) { return payload & index_mask; }

std::vector<std::string> normalised_tokens(std::string_view phrase) {
    std::vector<std::string> out;
    for (auto& token : tokenize(phrase)) out.push_back(std::move(token.norm));
    return out;
}

// A modifier found in the text, with the token range it reaches.
struct ModifierHit {
    const ModifierRule* rule;
    std::size_t index;  // of the rule in the lexicon
    std::size_t first;
    std::size_t last;
    std::size_t sentence;
    std::size_t scope_first;
    std::size_t scope_last;
};

bool inside(const PhraseMatch& inner, const PhraseMatch& outer) {
    return outer.first <= inner.first && inner.last <= outer.last && (outer.last - outer.first) > (inner.last - inner.first);
}

// Longest match wins: drops every match lying inside a longer one of the same group.
// Matches come ordered by start, so only those starting up to one phrase length
// earlier, or at the same token, can contain a match.
template <typename SameGroup>
std::vector<PhraseMatch> longest_matches(const std::vector<PhraseMatch>& matches, SameGroup same_group) {
    std::size_t longest = 0;
    for (const auto& match : matches) longest = std::max(longest, match.last - match.first);
    std::vector<PhraseMatch> kept;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        const auto& match = matches[i];
        bool covered = false;
        for (std::size_t j = i; j-- > 0 && !covered && matches[j].first + longest >= match.last;) {
            covered = inside(match, matches[j]) && same_group(match, matches[j]);
        }
        for (std::size_t j = i + 1; j < matches.size() && !covered && matches[j].first == match.first; ++j) {
            covered = inside(match, matches[j]) && same_group(match, matches[j]);
        }
        if (!covered) kept.push_back(match);
    }
    return kept;
}

// One status holds the other: every modifier of the shorter list is in the longer one. Both lists are sorted.
bool statuses_nest(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::includes(a.begin(), a.end(), b.begin(), b.end()) || std::includes(b.begin(), b.end(), a.begin(), a.end());
}

bool lists(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// medspaCy's limit_scope: a terminator (of that category, where it `ends` only some), a category in
// terminated_by, or a trigger of the same category that modifies the same target types ends a scope.
// `types_of` numbers each rule's set of target types.
void limit_scopes(std::vector<ModifierHit>& hits, const std::vector<std::size_t>& category_of, const std::vector<std::size_t>& types_of,
                  const std::vector<std::vector<char>>& terminated_by, const std::vector<std::vector<char>>& ends) {
    for (auto& self : hits) {
        if (self.rule->direction == Direction::terminate) continue;
        for (const auto& other : hits) {
            if (&other == &self || other.sentence != self.sentence) continue;
            const std::size_t other_category = category_of[other.index];
            const bool same_kind = other_category == category_of[self.index] && types_of[other.index] == types_of[self.index];
            const bool terminates = other.rule->direction == Direction::terminate && ends[other.index][category_of[self.index]];
            const bool limits = terminates || same_kind || terminated_by[self.index][other_category];
            if (!limits) continue;
            const bool forward = self.rule->direction == Direction::forward || self.rule->direction == Direction::bidirectional;
            const bool backward = self.rule->direction == Direction::backward || self.rule->direction == Direction::bidirectional;
            if (forward && other.first >= self.last) self.scope_last = std::min(self.scope_last, other.first);
            if (backward && other.last <= self.first) self.scope_first = std::max(self.scope_first, other.last);
        }
    }
}

std::size_t distance(const ModifierHit& modifier, std::size_t first, std::size_t last) {
    if (last <= modifier.first) return modifier.first - last;
    if (first >= modifier.last) return first - modifier.last;
    return 0;
}

void add_category(Statement& statement, const std::string& category) {
    if (!statement.has(category)) statement.modifiers.push_back(category);
}

// How many tokens into its sentence a cue may sit and still reach back to the sentence before.
constexpr std::size_t previous_sentence_reach = 4;

// How far apart two recipients of one disclosure may be ("to her GP and to the school").
constexpr std::size_t recipient_list_gap = 6;

// "told him", "gave her the leaflet", "updated me": the pronoun right after a sharing verb is who
// received it, and a pronoun stands for the client or someone already named, not a new third
// party. "Her" is possessive as often ("passed her new address"), so it counts only before a word
// that cannot follow a possessive.
bool object_pronoun_at(const std::vector<Token>& tokens, std::size_t i, const WordClasses& grammar) {
    if (i >= tokens.size()) return false;
    if (grammar.contains(WordClass::object_pronoun, tokens[i].norm)) return true;
    if (!grammar.contains(WordClass::object_or_possessive, tokens[i].norm)) return false;
    return i + 1 == tokens.size() || tokens[i + 1].kind != TokenKind::word || grammar.contains(WordClass::object_follower, tokens[i + 1].norm);
}

// "by the GP", "by her attorney": the recipient at `first` is the agent of a passive.
bool follows_agent_marker(const std::vector<Token>& tokens, std::size_t first, const WordClasses& grammar) {
    std::size_t i = first;
    while (i > 0 && grammar.contains(WordClass::determiner, tokens[i - 1].norm)) --i;
    return i > 0 && grammar.contains(WordClass::agent_marker, tokens[i - 1].norm);
}

// "the GP letter", "the physio report": a recipient right before a document noun says whose document
// it is. The document goes elsewhere ("sent the physio report to the insurer").
bool names_a_document(const std::vector<Token>& tokens, std::size_t last, const WordClasses& grammar) {
    return last < tokens.size() && grammar.contains(WordClass::document_noun, tokens[last].norm);
}

// "being told", "to be updated", "sharing": a verb that is no clause of its own but the content
// of the one before it. The two words before it may hold the marker ("being kept informed").
bool nonfinite_at(const std::vector<Token>& tokens, std::size_t first, const WordClasses& grammar) {
    const std::string_view word = tokens[first].norm;
    if (word.size() > 4 && word.substr(word.size() - 3) == "ing") return true;
    for (std::size_t back = 1; back <= 2 && back <= first; ++back) {
        if (grammar.contains(WordClass::nonfinite_marker, tokens[first - back].norm)) return true;
    }
    return false;
}

// "The adjuster was advised", "the GP was told about the fall": a passive informing verb's subject is the one
// informed, whatever is named after it ("... that her surgery is booked").
bool passive_informing_at(const std::vector<Token>& tokens, std::size_t first, const WordClasses& grammar) {
    return first > 0 && grammar.contains(WordClass::informing_verb, tokens[first].norm) &&
           grammar.contains(WordClass::passive_auxiliary, tokens[first - 1].norm);
}

// The subject pronoun at most `within` words before `first`, in its clause, or no_token.
constexpr std::size_t no_token = static_cast<std::size_t>(-1);
std::size_t subject_pronoun_before(const std::vector<Token>& tokens, std::size_t sentence_first, std::size_t first, std::size_t within,
                                   const WordClasses& grammar) {
    for (std::size_t i = first; i > sentence_first && first - i <= within;) {
        --i;
        if (tokens[i].kind == TokenKind::punctuation) break;
        if (grammar.contains(WordClass::subject_pronoun, tokens[i].norm)) return i;
    }
    return no_token;
}

// Whether the pronoun at `pronoun` stands for someone other than the client: a person of its gender is named before
// it in the sentence, and someone of the other gender is spoken of, who is then the client.
bool names_another_of_its_gender(const std::vector<Token>& tokens, const Sentence& sentence, std::size_t pronoun, const WordClasses& grammar) {
    const bool feminine = grammar.contains(WordClass::feminine_pronoun, tokens[pronoun].norm);
    if (!feminine && !grammar.contains(WordClass::masculine_pronoun, tokens[pronoun].norm)) return false;
    const WordClass same_person = feminine ? WordClass::feminine_person : WordClass::masculine_person;
    const WordClass other_pronoun = feminine ? WordClass::masculine_pronoun : WordClass::feminine_pronoun;
    const WordClass other_person = feminine ? WordClass::masculine_person : WordClass::feminine_person;
    const auto first = tokens.begin() + sentence.first;
    const bool named_before = std::any_of(first, tokens.begin() + pronoun, [&](const Token& t) { return grammar.contains(same_person, t.norm); });
    const bool other_gender = std::any_of(first, tokens.begin() + sentence.last, [&](const Token& t) {
        return grammar.contains(other_pronoun, t.norm) || grammar.contains(other_person, t.norm);
    });
    return named_before && other_gender;
}

}  // namespace

bool Statement::has(std::string_view category) const {
    return std::find(modifiers.begin(), modifiers.end(), category) != modifiers.end();
}

bool Statement::affirmed() const {
    for (const char* category : {"NEGATED", "WITHDRAWN", "FUTURE", "HISTORICAL", "OTHER", "UNCERTAIN", "EXCEPTION"}) {
        if (has(category)) return false;
    }
    return true;
}

std::vector<const Statement*> Analysis::with_label(std::string_view label) const {
    std::vector<const Statement*> out;
    for (const auto& statement : statements) {
        if (statement.label() == label) out.push_back(&statement);
    }
    return out;
}

std::vector<const TermHit*> Analysis::of_kind(std::string_view kind) const {
    std::vector<const TermHit*> out;
    for (const auto& term : terms) {
        if (term.rule->kind == kind) out.push_back(&term);
    }
    return out;
}

std::size_t TextEngine::label_id(const std::string& label) {
    const auto it = std::find(label_names_.begin(), label_names_.end(), label);
    if (it != label_names_.end()) return static_cast<std::size_t>(it - label_names_.begin());
    label_names_.push_back(label);
    return label_names_.size() - 1;
}

std::size_t TextEngine::category_id(const std::string& category) {
    const auto it = std::find(category_names_.begin(), category_names_.end(), category);
    if (it != category_names_.end()) return static_cast<std::size_t>(it - category_names_.begin());
    category_names_.push_back(category);
    return category_names_.size() - 1;
}

TextEngine::TextEngine(Lexicon lexicon) : lexicon_(with_phrase_sets_expanded(std::move(lexicon))) {
    // Every name first, so the tables below have their final sizes (and label_names_ never reallocates later).
    none_label_ = label_id("NONE");
    disclosure_label_ = label_id("DISCLOSURE");
    for (const auto& target : lexicon_.targets) target_label_.push_back(label_id(target.label));
    for (const auto& relabel : lexicon_.relabels) relabel_labels_.push_back({label_id(relabel.from), label_id(relabel.to)});
    for (const auto& rule : lexicon_.suppressions) {
        std::vector<std::size_t> labels;
        for (const auto& label : rule.labels) labels.push_back(label_id(label));
        suppress_labels_.push_back(std::move(labels));
        std::vector<std::size_t> after;
        for (const auto& label : rule.after) after.push_back(label_id(label));
        suppress_after_.push_back(std::move(after));
    }
    for (const auto& rule : lexicon_.reasons_follow) {
        reason_follows_label_.push_back(label_id(rule.label));
        std::vector<std::size_t> unless;
        for (const auto& label : rule.unless) unless.push_back(label_id(label));
        reason_follows_unless_.push_back(std::move(unless));
    }
    for (const auto& rule : lexicon_.inherits) inherit_labels_.push_back({label_id(rule.from), label_id(rule.to)});
    for (const auto& rule : lexicon_.pronoun_subjects) {
        for (const auto& label : rule.labels) label_id(label);
    }
    for (const auto& rule : lexicon_.joint_parties) {
        for (const auto& label : rule.labels) label_id(label);
    }
    for (const auto& rule : lexicon_.restates) {
        restate_from_.push_back(label_id(rule.from));
        for (const auto& label : rule.labels) label_id(label);
        for (const auto& label : rule.passes_over) label_id(label);
    }
    for (const auto& modifier : lexicon_.modifiers) {
        for (const auto& label : modifier.applies_to) label_id(label);
        for (const auto& label : modifier.excludes) label_id(label);
        modifier_category_.push_back(category_id(modifier.category));
        for (const auto& category : modifier.terminated_by) category_id(category);
        for (const auto& category : modifier.ends) category_id(category);
    }
    for (const auto& rule : lexicon_.longest_wins) {
        for (const auto& label : rule.labels) label_id(label);
    }
    for (const auto* rules : {&lexicon_.one_per_sentence, &lexicon_.one_per_note}) {
        for (const auto& rule : *rules) {
            for (const auto& label : rule.labels) label_id(label);
        }
    }
    // Rules that share a label join their groups, so "A B" and "B C" make one group of three.
    length_group_.resize(label_names_.size());
    for (std::size_t l = 0; l < length_group_.size(); ++l) length_group_[l] = l;
    for (const auto& rule : lexicon_.longest_wins) {
        const std::size_t joined = length_group_[label_id(rule.labels.front())];
        for (const auto& label : rule.labels) {
            const std::size_t old_group = length_group_[label_id(label)];
            for (auto& group : length_group_) {
                if (group == old_group) group = joined;
            }
        }
    }
    for (auto [rules, flags] : {std::pair{&lexicon_.one_per_sentence, &one_per_sentence_}, std::pair{&lexicon_.one_per_note, &one_per_note_}}) {
        flags->assign(label_names_.size(), 0);
        for (const auto& rule : *rules) {
            for (const auto& label : rule.labels) (*flags)[label_id(label)] = 1;
        }
    }
    const auto flags_of = [&](const std::vector<std::string>& labels) {
        std::vector<char> listed(label_names_.size(), 0);
        for (const auto& label : labels) listed[label_id(label)] = 1;
        return listed;
    };
    for (const auto& rule : lexicon_.pronoun_subjects) pronoun_subject_labels_.push_back(flags_of(rule.labels));
    for (const auto& rule : lexicon_.joint_parties) joint_party_labels_.push_back(flags_of(rule.labels));
    for (const auto& rule : lexicon_.restates) {
        std::vector<char> restatable(label_names_.size(), 0);
        for (const auto& label : rule.labels) restatable[label_id(label)] = 1;
        restate_labels_.push_back(std::move(restatable));
        std::vector<char> passed_over(label_names_.size(), 0);
        for (const auto& label : rule.passes_over) passed_over[label_id(label)] = 1;
        restate_passes_over_.push_back(std::move(passed_over));
    }
    for (const auto& modifier : lexicon_.modifiers) {
        std::vector<char> applies(label_names_.size(), 0);
        for (std::size_t l = 0; l < label_names_.size(); ++l) {
            applies[l] = (modifier.applies_to.empty() || lists(modifier.applies_to, label_names_[l])) && !lists(modifier.excludes, label_names_[l]);
        }
        const auto same_types = std::find(modifier_applies_.begin(), modifier_applies_.end(), applies);
        modifier_types_.push_back(static_cast<std::size_t>(same_types - modifier_applies_.begin()));
        modifier_applies_.push_back(std::move(applies));
        std::vector<char> terminated_by(category_names_.size(), 0);
        for (const auto& category : modifier.terminated_by) terminated_by[category_id(category)] = 1;
        modifier_terminated_by_.push_back(std::move(terminated_by));
        std::vector<char> ends(category_names_.size(), modifier.ends.empty());
        for (const auto& category : modifier.ends) ends[category_id(category)] = 1;
        modifier_ends_.push_back(std::move(ends));
    }

    // Whether the first k words of each trigger begin with a trigger of its category on their own ("have not" of "have not
    // been sent"), for a trigger that runs into a target.
    std::set<std::pair<std::string, std::vector<std::string>>> triggers;
    for (const auto& modifier : lexicon_.modifiers) {
        if (modifier.direction != Direction::pseudo && modifier.direction != Direction::terminate) triggers.insert({modifier.category, normalised_tokens(modifier.phrase)});
    }
    for (const auto& modifier : lexicon_.modifiers) {
        const auto words = normalised_tokens(modifier.phrase);
        std::vector<char> leading(words.size(), 0);
        for (std::size_t k = 1; k < words.size(); ++k) {
            leading[k] = leading[k - 1] ||
                         triggers.count({modifier.category, std::vector<std::string>(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(k))}) > 0;
        }
        modifier_leading_triggers_.push_back(std::move(leading));
    }

    for (std::size_t i = 0; i < lexicon_.sections.size(); ++i) trie_.add(normalised_tokens(lexicon_.sections[i].phrase), payload(Table::section, i));
    for (std::size_t i = 0; i < lexicon_.targets.size(); ++i) trie_.add(normalised_tokens(lexicon_.targets[i].phrase), payload(Table::target, i));
    for (std::size_t i = 0; i < lexicon_.modifiers.size(); ++i) trie_.add(normalised_tokens(lexicon_.modifiers[i].phrase), payload(Table::modifier, i));
    for (std::size_t i = 0; i < lexicon_.terms.size(); ++i) {
        trie_.add(normalised_tokens(lexicon_.terms[i].phrase), payload(Table::term, i));
        std::vector<std::string> raw;
        const auto& phrase = lexicon_.terms[i].phrase;
        for (const auto& token : tokenize(phrase)) raw.push_back(phrase.substr(token.begin, token.end - token.begin));
        term_raw_tokens_.push_back(std::move(raw));
    }
}

Analysis TextEngine::analyse(std::string_view text) const {
    Analysis analysis;
    const WordClasses& grammar = lexicon_.word_classes;
    analysis.tokens = tokenize(text);
    analysis.sentences = split_sentences(text, analysis.tokens, grammar[WordClass::no_break_after]);
    const auto& tokens = analysis.tokens;

    std::vector<std::size_t> sentence_of(tokens.size(), 0);
    for (std::size_t s = 0; s < analysis.sentences.size(); ++s) {
        for (std::size_t t = analysis.sentences[s].first; t < analysis.sentences[s].last; ++t) sentence_of[t] = s;
    }

    std::vector<PhraseMatch> sections, targets, modifiers, terms;
    // Where each sentence's words begin, past bullets and list numbers, for imperatives that must open it, and where
    // they end, before its full stop, for a form's answer that must close it.
    std::vector<std::size_t> first_word(analysis.sentences.size(), 0);
    std::vector<std::size_t> last_word(analysis.sentences.size(), 0);
    for (std::size_t s = 0; s < analysis.sentences.size(); ++s) {
        std::size_t t = analysis.sentences[s].first;
        while (t < analysis.sentences[s].last && tokens[t].kind != TokenKind::word) ++t;
        first_word[s] = t;
        std::size_t end = analysis.sentences[s].last;
        while (end > analysis.sentences[s].first && tokens[end - 1].kind != TokenKind::word) --end;
        last_word[s] = end;
    }

    for (const auto& match : trie_.find_all(tokens)) {
        if (sentence_of[match.first] != sentence_of[match.last - 1]) continue;  // no phrase spans two sentences
        if (table_of(match.payload) == Table::target && lexicon_.targets[index_of(match.payload)].opens_sentence &&
            match.first != first_word[sentence_of[match.first]]) {
            continue;
        }
        if (table_of(match.payload) == Table::modifier) {
            const ModifierRule& rule = lexicon_.modifiers[index_of(match.payload)];
            if (rule.opens_sentence && match.first != first_word[sentence_of[match.first]]) continue;
            if (rule.closes_sentence && match.last != last_word[sentence_of[match.first]]) continue;
        }
        switch (table_of(match.payload)) {
            case Table::section: sections.push_back(match); break;
            case Table::target: targets.push_back(match); break;
            case Table::modifier: modifiers.push_back(match); break;
            case Table::term: terms.push_back(match); break;
        }
    }

    // Section headings open a line and end with a colon or the line itself.
    std::vector<const SectionRule*> section_at(tokens.size(), nullptr);
    {
        std::vector<std::pair<std::size_t, const SectionRule*>> headings;
        for (const auto& match : sections) {
            const bool at_line_start = tokens[match.first].starts_line;
            const bool closed = match.last == tokens.size() || tokens[match.last].norm == ":" || tokens[match.last].starts_line;
            if (at_line_start && closed && (headings.empty() || headings.back().first != match.first)) {
                headings.push_back({match.first, &lexicon_.sections[index_of(match.payload)]});
            }
        }
        for (std::size_t h = 0; h < headings.size(); ++h) {
            const std::size_t end = h + 1 < headings.size() ? headings[h + 1].first : tokens.size();
            for (std::size_t t = headings[h].first; t < end; ++t) section_at[t] = headings[h].second;
        }
    }

    // Targets: a NONE phrase hides what lies inside it.
    const auto target_rule = [&](const PhraseMatch& m) -> const TargetRule& { return lexicon_.targets[index_of(m.payload)]; };
    // Within a label, or a longest-wins group of labels, the longest phrase wins; across labels only NONE
    // hides another ("refused the referral" is a refusal and a stigmatising word at once).
    targets = longest_matches(targets, [&](const PhraseMatch& inner, const PhraseMatch& outer) {
        const std::size_t outer_label = target_label_[index_of(outer.payload)];
        return outer_label == none_label_ || length_group_[outer_label] == length_group_[target_label_[index_of(inner.payload)]];
    });
    {
        std::vector<PhraseMatch> kept;
        for (const auto& match : targets) {
            const std::size_t label = target_label_[index_of(match.payload)];
            if (label == none_label_) continue;
            const bool hidden = std::any_of(targets.begin(), targets.end(), [&](const PhraseMatch& other) {
                return target_label_[index_of(other.payload)] == none_label_ && other.first <= match.first && match.last <= other.last;
            });
            // Two phrases of one label that overlap ("lacks capacity to consent") are one statement: the first found.
            const bool repeated = std::any_of(kept.begin(), kept.end(), [&](const PhraseMatch& other) {
                return other.first < match.last && match.first < other.last && target_label_[index_of(other.payload)] == label;
            });
            if (!hidden && !repeated) kept.push_back(match);
        }
        targets = std::move(kept);
    }

    // Word-list terms (recipients, cues, abbreviations): longest wins within a kind.
    terms = longest_matches(terms, [&](const PhraseMatch& a, const PhraseMatch& b) {
        return lexicon_.terms[index_of(a.payload)].kind == lexicon_.terms[index_of(b.payload)].kind;
    });
    std::vector<PhraseMatch> term_matches;
    for (const auto& match : terms) {
        const TermRule& rule = lexicon_.terms[index_of(match.payload)];
        if (rule.case_sensitive) {
            const auto& raw = term_raw_tokens_[index_of(match.payload)];
            bool same = raw.size() == match.last - match.first;
            for (std::size_t i = 0; same && i < raw.size(); ++i) {
                const Token& token = tokens[match.first + i];
                same = text.substr(token.begin, token.end - token.begin) == raw[i];
            }
            if (!same) continue;
        }
        analysis.terms.push_back({&rule, tokens[match.first].begin, tokens[match.last - 1].end, sentence_of[match.first]});
        // "forwarded to us by her attorney", "consent given by her daughter": the agent of a passive is where
        // the information or consent came from, and "the GP letter" is the GP's, so neither is a recipient for
        // any later rule (disclosures, relabels).
        const bool receives_nothing = rule.kind == "recipient" &&
                                      (follows_agent_marker(tokens, match.first, grammar) || names_a_document(tokens, match.last, grammar));
        if (!receives_nothing) term_matches.push_back(match);
    }
    const auto term_rule = [&](const PhraseMatch& m) -> const TermRule& { return lexicon_.terms[index_of(m.payload)]; };

    modifiers = longest_matches(modifiers, [](const PhraseMatch&, const PhraseMatch&) { return true; });
    std::vector<ModifierHit> hits;
    for (const auto& match : modifiers) {
        const ModifierRule& rule = lexicon_.modifiers[index_of(match.payload)];
        const Sentence& sentence = analysis.sentences[sentence_of[match.first]];
        ModifierHit hit{&rule, index_of(match.payload), match.first, match.last, sentence_of[match.first], match.first, match.last};
        const bool forward = rule.direction == Direction::forward || rule.direction == Direction::bidirectional;
        const bool backward = rule.direction == Direction::backward || rule.direction == Direction::bidirectional;
        if (forward) hit.scope_last = rule.max_scope ? std::min(sentence.last, match.last + rule.max_scope) : sentence.last;
        if (backward) hit.scope_first = rule.max_scope && match.first > sentence.first + rule.max_scope ? match.first - rule.max_scope : sentence.first;
        hits.push_back(hit);
    }
    limit_scopes(hits, modifier_category_, modifier_types_, modifier_terminated_by_, modifier_ends_);

    // Statements, with the specific label a nearby cue gives a general one.
    for (const auto& match : targets) {
        std::size_t label = target_label_[index_of(match.payload)];
        const std::vector<std::string>* sets = &target_rule(match).sets;
        for (std::size_t r = 0; r < lexicon_.relabels.size(); ++r) {
            const auto& relabel = lexicon_.relabels[r];
            if (relabel_labels_[r].first != label) continue;
            const bool cued = lists(relabel.cue_kinds, "*") || std::any_of(term_matches.begin(), term_matches.end(), [&](const PhraseMatch& term) {
                if (sentence_of[term.first] != sentence_of[match.first] || !lists(relabel.cue_kinds, term_rule(term).kind)) return false;
                if (term_rule(term).kind == "recipient" && (lists(relabel.except_roles, term_rule(term).value) ||
                                                            (!relabel.roles.empty() && !lists(relabel.roles, term_rule(term).value)))) {
                    return false;
                }
                if (relabel.side == RelabelRule::Side::after && term.first < match.last) return false;
                if (relabel.side == RelabelRule::Side::before && term.last > match.first) return false;
                const std::size_t gap = term.first >= match.last ? term.first - match.last : match.first >= term.last ? match.first - term.last : 0;
                if (gap > relabel.within) return false;
                const auto between_first = tokens.begin() + static_cast<std::ptrdiff_t>(std::min(match.last, term.last));
                const auto between_last = tokens.begin() + static_cast<std::ptrdiff_t>(std::max(match.first, term.first));
                return !relabel.unbroken || between_first >= between_last ||
                       std::none_of(between_first, between_last, [&](const Token& t) { return grammar.contains(WordClass::list_joiner, t.norm); });
            });
            // The new label goes on through the later rules only, so two rules in a row can ask for two cues
            // ("discussed" with a consent, then with a recipient) and no pair of rules can loop.
            if (cued) {
                label = relabel_labels_[r].second;
                if (relabel.sets) sets = &*relabel.sets;
            }
        }
        // A pro-form restates the nearest statement before it, in its sentence or the one before, looking past
        // the labels its rule passes over.
        bool restates = false;
        for (std::size_t r = 0; r < restate_from_.size(); ++r) {
            if (restate_from_[r] != label) continue;
            const std::size_t sentence = sentence_of[match.first];
            const auto antecedent = std::find_if(analysis.statements.rbegin(), analysis.statements.rend(), [&](const Statement& before) {
                return before.label_id_ != none_label_ && !restate_passes_over_[r][before.label_id_] &&
                       (before.sentence == sentence || before.sentence + 1 == sentence);
            });
            const bool found = antecedent != analysis.statements.rend() && restate_labels_[r][antecedent->label_id_];
            label = found ? antecedent->label_id_ : none_label_;
            restates = found;
            break;
        }
        Statement statement;
        statement.restates = restates;
        statement.rule = &target_rule(match);
        statement.label_ = &label_names_[label];
        statement.label_id_ = label;
        statement.begin = tokens[match.first].begin;
        statement.end = tokens[match.last - 1].end;
        statement.first_token = match.first;
        statement.last_token = match.last;
        statement.sentence = sentence_of[match.first];
        for (const auto& category : *sets) add_category(statement, category);
        analysis.statements.push_back(std::move(statement));
    }

    // Edges: each modifier reaches the targets in its scope (nearest first, up to max_targets). An edge that yields
    // to other categories waits until the statement's own cues and its section have spoken.
    std::vector<std::pair<std::size_t, const ModifierRule*>> yielding_edges;  // (statement, rule)
    for (const auto& hit : hits) {
        const Direction direction = hit.rule->direction;
        if (direction == Direction::terminate || direction == Direction::pseudo) continue;
        std::vector<std::pair<std::size_t, std::size_t>> reached;  // (distance, statement)
        for (std::size_t s = 0; s < targets.size(); ++s) {
            const auto& target = targets[s];
            if (!modifier_applies_[hit.index][analysis.statements[s].label_id_]) continue;
            // A trigger inside a target is part of its phrase ("declined the"). One that starts before the target and
            // runs into it modifies it only when its words before the target begin with a trigger of their own: "not"
            // of "not happy" in "Not happy for us to contact her GP", but not "is" of "is not" in "he is not eating".
            const bool overlaps_trigger = target.first < hit.last && hit.first < target.last;
            const auto& leading = modifier_leading_triggers_[hit.index];
            const bool leads_in = hit.first < target.first && target.first - hit.first < leading.size() && leading[target.first - hit.first];
            if (overlaps_trigger && !leads_in) continue;
            const bool same_sentence = sentence_of[target.first] == hit.sentence;
            const bool in_scope = same_sentence && target.first < hit.scope_last && hit.scope_first < target.last;
            // A reason that opens the next sentence ("Referred to housing. This is because ...").
            const bool from_next_sentence = hit.rule->reaches_previous_sentence && hit.sentence > 0 &&
                                            sentence_of[target.first] == hit.sentence - 1 &&
                                            hit.first < analysis.sentences[hit.sentence].first + previous_sentence_reach;
            // A frame ("Best interests meeting held; decision made to ...") holds for what follows it, in its sentence
            // past any terminator, and in the sentence after.
            const bool framed = hit.rule->reaches_next_sentence && (same_sentence ? target.first >= hit.last : sentence_of[target.first] == hit.sentence + 1);
            if (in_scope || from_next_sentence || framed) reached.push_back({distance(hit, target.first, target.last), s});
        }
        std::sort(reached.begin(), reached.end());
        if (hit.rule->max_targets && reached.size() > hit.rule->max_targets) reached.resize(hit.rule->max_targets);
        for (const auto& [ignored, s] : reached) {
            if (hit.rule->yields_to.empty()) add_category(analysis.statements[s], hit.rule->category);
            else yielding_edges.push_back({s, hit.rule});
        }
    }

    for (std::size_t s = 0; s < targets.size(); ++s) {
        const SectionRule* section = section_at[targets[s].first];
        // A heading's default yields to what the statement itself says: "Plan:" over a consent "given at intake" stays historical.
        const bool contradicted = (section && section->sets == "FUTURE" && analysis.statements[s].has("HISTORICAL")) ||
                                  (section && section->sets == "HISTORICAL" && analysis.statements[s].has("FUTURE"));
        if (section && !section->sets.empty() && !contradicted) add_category(analysis.statements[s], section->sets);
    }
    // "His wife rang; she wants him placed": the subject pronoun stands for the wife.
    for (std::size_t r = 0; r < lexicon_.pronoun_subjects.size(); ++r) {
        const PronounSubjectRule& rule = lexicon_.pronoun_subjects[r];
        for (std::size_t s = 0; s < targets.size(); ++s) {
            Statement& statement = analysis.statements[s];
            if (!pronoun_subject_labels_[r][statement.label_id_]) continue;
            const std::size_t pronoun = subject_pronoun_before(tokens, analysis.sentences[statement.sentence].first, targets[s].first, rule.within, grammar);
            if (pronoun != no_token && names_another_of_its_gender(tokens, analysis.sentences[statement.sentence], pronoun, grammar)) {
                add_category(statement, rule.category);
            }
        }
    }
    for (const auto& [s, rule] : yielding_edges) {
        Statement& statement = analysis.statements[s];
        const bool overruled = std::any_of(rule->yields_to.begin(), rule->yields_to.end(), [&](const std::string& category) { return statement.has(category); });
        if (!overruled) add_category(statement, rule->category);
    }

    // A category stated once for the sentence ("consent not sought due to the risk to life") also holds for the
    // statements it explains, beyond the terminator that ended the trigger's scope.
    for (std::size_t r = 0; r < inherit_labels_.size(); ++r) {
        const auto [from, to] = inherit_labels_[r];
        const std::string& category = lexicon_.inherits[r].category;
        for (auto& heir : analysis.statements) {
            if (heir.label_id_ != to) continue;
            const bool inherited = std::any_of(analysis.statements.begin(), analysis.statements.end(), [&](const Statement& source) {
                return source.label_id_ == from && source.sentence == heir.sentence && source.has(category);
            });
            if (inherited) add_category(heir, category);
        }
    }

    // A bare statement ("Episode closed.") is explained by the next sentence of its section, whatever its words.
    const auto explained_by_next_sentence = [&](std::size_t s, std::size_t rule) {
        const std::size_t k = sentence_of[targets[s].first];
        if (k + 1 >= analysis.sentences.size()) return false;
        const Sentence& own = analysis.sentences[k];
        const Sentence& next = analysis.sentences[k + 1];
        std::size_t other_words = 0;
        for (std::size_t t = own.first; t < own.last; ++t) {
            if (tokens[t].kind != TokenKind::punctuation && (t < targets[s].first || t >= targets[s].last)) ++other_words;
        }
        const bool has_words = std::any_of(tokens.begin() + next.first, tokens.begin() + next.last,
                                           [](const Token& t) { return t.kind != TokenKind::punctuation; });
        if (other_words > lexicon_.reasons_follow[rule].within || !has_words || section_at[next.first] != section_at[targets[s].first]) return false;
        const auto& unless = reason_follows_unless_[rule];
        const bool another_action = std::any_of(analysis.statements.begin(), analysis.statements.end(), [&](const Statement& other) {
            return other.sentence == k + 1 && std::find(unless.begin(), unless.end(), other.label_id_) != unless.end();
        });
        const bool excluding_cue = std::any_of(term_matches.begin(), term_matches.end(), [&](const PhraseMatch& term) {
            return sentence_of[term.first] == k + 1 && lists(lexicon_.reasons_follow[rule].unless_cues, term_rule(term).kind);
        });
        return !another_action && !excluding_cue;
    };
    for (std::size_t s = 0; s < targets.size(); ++s) {
        for (std::size_t r = 0; r < reason_follows_label_.size(); ++r) {
            if (reason_follows_label_[r] == analysis.statements[s].label_id_ && explained_by_next_sentence(s, r)) {
                add_category(analysis.statements[s], "RATIONALE");
            }
        }
    }

    // A disclosure goes to the recipients named after it ("sent to the GP and the school"),
    // else to the nearest one before it; one statement per recipient. Colleagues inside the
    // service (role "internal") are not third parties.
    std::vector<Statement> statements;
    for (std::size_t s = 0; s < targets.size(); ++s) {
        Statement& statement = analysis.statements[s];
        if (statement.label_id_ != disclosure_label_) {
            statements.push_back(std::move(statement));
            continue;
        }
        // "Discussed him with the GP": after a verb whose object is its topic, the pronoun is no recipient.
        const bool told_a_pronoun = object_pronoun_at(tokens, targets[s].last, grammar) &&
                                    !grammar.contains(WordClass::topic_verb, tokens[targets[s].last - 1].norm);
        std::vector<const PhraseMatch*> after;
        const PhraseMatch* before = nullptr;
        for (const auto& term : term_matches) {
            if (term_rule(term).kind != "recipient" || sentence_of[term.first] != statement.sentence) continue;
            if (term.last <= targets[s].first) before = &term;
            if (term.first < targets[s].last) continue;
            // Further recipients follow the first closely, joined by "and" or a comma, and not inside a
            // relative clause: "to the GP and to her school", not "the daughter, who holds power of attorney".
            const auto gap_first = tokens.begin() + (after.empty() ? 0 : after.back()->last);
            const auto gap_last = tokens.begin() + term.first;
            if (after.empty() || (term.first - after.back()->last <= recipient_list_gap &&
                                  std::any_of(gap_first, gap_last, [&](const Token& t) { return grammar.contains(WordClass::list_joiner, t.norm); }) &&
                                  std::none_of(gap_first, gap_last, [&](const Token& t) { return grammar.contains(WordClass::relative_pronoun, t.norm); }))) {
                after.push_back(&term);
            }
        }
        // "The GP phoned to update us": what the worker is told is information received, not a disclosure.
        if (told_a_pronoun && grammar.contains(WordClass::worker_pronoun, tokens[targets[s].last].norm)) continue;
        if (told_a_pronoun) {
            // The pronoun stands for a recipient named earlier ("a call with his mother to update her"),
            // but not for one right before the verb, which is its subject ("His solicitor updated him"),
            // and otherwise for the client: no disclosure.
            after.clear();
            if (!before || before->last == targets[s].first) continue;
        }
        if (before && passive_informing_at(tokens, targets[s].first, grammar)) after.clear();
        if (after.empty() && before) after.push_back(before);
        std::vector<std::string> roles;
        for (const auto* recipient : after) {
            if (!lists(roles, term_rule(*recipient).value)) roles.push_back(term_rule(*recipient).value);
        }
        if (roles.empty()) roles.push_back("other");
        for (const auto& role : roles) {
            if (role == "internal") continue;
            Statement copy = statement;
            copy.recipient = role;
            statements.push_back(std::move(copy));
        }
    }

    // Relabelled NONE, or following a statement that contains it, a statement is dropped.
    const auto suppressed = [&](const Statement& statement) {
        if (statement.label_id_ == none_label_) return true;
        for (std::size_t r = 0; r < suppress_labels_.size(); ++r) {
            if (std::find(suppress_labels_[r].begin(), suppress_labels_[r].end(), statement.label_id_) == suppress_labels_[r].end()) continue;
            const auto& only_with = lexicon_.suppressions[r].only_with;
            if (!std::all_of(only_with.begin(), only_with.end(), [&](const std::string& category) { return statement.has(category); })) continue;
            for (const auto& other : statements) {
                if (other.sentence != statement.sentence || &other == &statement || other.begin > statement.begin) continue;
                if (std::find(suppress_after_[r].begin(), suppress_after_[r].end(), other.label_id_) == suppress_after_[r].end()) continue;
                if (statement.first_token <= other.last_token) return true;
                // A comma or other mark between them closes the consent's clause: "With her permission, passed the address to the GP" is a disclosure.
                // So does the worker as the subject right after it: in "With her consent I sent the report to her GP" the sending is done.
                const bool punctuated = std::any_of(tokens.begin() + other.last_token, tokens.begin() + statement.first_token,
                                                    [](const Token& t) { return t.kind == TokenKind::punctuation; });
                const bool subject_follows = grammar.contains(WordClass::clause_subject, tokens[other.last_token].norm);
                if (punctuated || subject_follows) continue;
                const std::size_t gap = statement.first_token - other.last_token;
                if (gap <= lexicon_.suppressions[r].within) return true;
                if (gap <= lexicon_.suppressions[r].nonfinite_within && nonfinite_at(tokens, statement.first_token, grammar)) return true;
            }
        }
        return false;
    };
    for (auto& statement : statements) std::sort(statement.modifiers.begin(), statement.modifiers.end());
    analysis.statements.clear();
    for (const auto& statement : statements) {
        if (suppressed(statement)) continue;
        // Two phrases of one label in one clause are one statement ("safeguarding concern about possible abuse"):
        // the first, with the modifiers of both. A terminator of every scope between them starts a new clause,
        // except for a one-per-sentence label when the two say the same.
        // A restatement stands alone, and so does a word with a neutral alternative: a word choice, each with its own prompt.
        const bool merges = !statement.restates && statement.rule->alternative.empty();
        Statement* same_clause = nullptr;
        for (auto& other : analysis.statements) {
            if (!merges) break;
            if (other.restates || other.label_id_ != statement.label_id_ || other.recipient != statement.recipient) continue;
            // A one-per-note label is recorded once per note, wherever its phrases fall, so long as their statuses
            // nest, one set within the other (a closure: "Discharged from the team. Reason: ... no longer needs secondary care.").
            if (one_per_note_[statement.label_id_] && statuses_nest(other.modifiers, statement.modifiers)) {
                same_clause = &other;
                break;
            }
            if (other.sentence != statement.sentence) continue;
            const bool terminated = std::any_of(hits.begin(), hits.end(), [&](const ModifierHit& hit) {
                return hit.rule->direction == Direction::terminate && hit.rule->ends.empty() && tokens[hit.first].begin >= other.end && tokens[hit.last - 1].end <= statement.begin;
            });
            const bool one_per_sentence = one_per_sentence_[statement.label_id_] && other.modifiers == statement.modifiers;
            if (!terminated || one_per_sentence) same_clause = &other;
        }
        if (!same_clause) {
            analysis.statements.push_back(statement);
            continue;
        }
        for (const auto& category : statement.modifiers) add_category(*same_clause, category);
        std::sort(same_clause->modifiers.begin(), same_clause->modifiers.end());
    }

    // "J and her mum both agreed to the plan": one statement for each of the two, after merging, so the two stay apart.
    // The other's statement goes right after the client's; a joint party is rare, so the list is rarely grown.
    for (std::size_t s = 0; s < analysis.statements.size(); ++s) {
        const Statement& statement = analysis.statements[s];
        const auto joint = std::find_if(lexicon_.joint_parties.begin(), lexicon_.joint_parties.end(), [&](const JointPartyRule& rule) {
            if (!joint_party_labels_[&rule - lexicon_.joint_parties.data()][statement.label_id_]) return false;
            return std::any_of(term_matches.begin(), term_matches.end(), [&](const PhraseMatch& term) {
                return term_rule(term).kind == rule.near && sentence_of[term.first] == statement.sentence && term.last <= statement.first_token &&
                       statement.first_token - term.last <= rule.within;
            });
        });
        if (joint == lexicon_.joint_parties.end()) continue;
        Statement others = statement;
        add_category(others, joint->category);
        std::sort(others.modifiers.begin(), others.modifiers.end());
        auto& clients = analysis.statements[s].modifiers;
        clients.erase(std::remove(clients.begin(), clients.end(), joint->category), clients.end());
        analysis.statements.insert(analysis.statements.begin() + static_cast<std::ptrdiff_t>(s) + 1, std::move(others));
        ++s;
    }
    return analysis;
}

const Analysis& TextReader::read(const std::string& text) const {
    auto& analysis = analyses_[&text];
    if (!analysis) analysis = std::make_unique<Analysis>(engine_.analyse(text));
    return *analysis;
}

}  // namespace casecheck::text
