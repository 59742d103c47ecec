#include "text/lexicon.hpp"

#include "text/tokens.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <iterator>
#include <utility>

namespace casecheck {
// The built-in lexicons, generated from plugin/rulepacks/lexicon-*.xml at configure time.
extern const std::vector<std::pair<std::string_view, std::string_view>> builtin_lexicons;
}  // namespace casecheck

namespace casecheck::text {
namespace {

std::string_view trimmed(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// "a|b|c" with surrounding white space (and line breaks in long lists) ignored.
std::vector<std::string> phrases_of(std::string_view list) {
    std::vector<std::string> phrases;
    while (!list.empty()) {
        const auto bar = list.find('|');
        const auto phrase = trimmed(list.substr(0, bar));
        if (!phrase.empty()) phrases.emplace_back(phrase);
        if (bar == std::string_view::npos) break;
        list.remove_prefix(bar + 1);
    }
    return phrases;
}

std::vector<std::string> words_of(std::string_view list) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && list[i] == ' ') ++i;
        const auto end = std::min(list.find(' ', i), list.size());
        if (end > i) words.emplace_back(list.substr(i, end - i));
        i = end;
    }
    return words;
}

bool is_label(std::string_view name) {
    return !name.empty() && name.size() <= 40 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'); });
}

// Every word is a label or a modifier category (they are spelt alike: capitals, digits and underscores).
bool all_labels(const std::vector<std::string>& words) {
    return std::all_of(words.begin(), words.end(), [](const std::string& word) { return is_label(word); });
}

std::optional<Direction> direction_named(std::string_view name) {
    if (name == "forward") return Direction::forward;
    if (name == "backward") return Direction::backward;
    if (name == "bidirectional") return Direction::bidirectional;
    if (name == "terminate") return Direction::terminate;
    if (name == "pseudo") return Direction::pseudo;
    return std::nullopt;
}

std::optional<std::size_t> count_in(pugi::xml_attribute attribute) {
    const std::string_view text = attribute.value();
    if (text.empty() || text.size() > 4 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return static_cast<std::size_t>(std::stoul(std::string(text)));
}

// A phrase split at its braces: literal text at even indexes and the names of phrase sets at odd ones
// ("her {relative} says" is "her ", "relative", " says"). Nothing when a brace is unmatched or nested.
std::optional<std::vector<std::string_view>> split_at_set_names(std::string_view phrase) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto open = phrase.find_first_of("{}", start);
        if (open == std::string_view::npos) {
            parts.push_back(phrase.substr(start));
            return parts;
        }
        const auto close = phrase.find_first_of("{}", open + 1);
        if (phrase[open] == '}' || close == std::string_view::npos || phrase[close] == '{') return std::nullopt;
        parts.push_back(phrase.substr(start, open - start));
        parts.push_back(phrase.substr(open + 1, close - open - 1));
        start = close + 1;
    }
}

bool has_brace(std::string_view phrase) { return phrase.find_first_of("{}") != std::string_view::npos; }

bool is_set_name(std::string_view name) {
    return !name.empty() && name.size() <= 40 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// The set of that name in `sets` (const or not), or null.
template <typename Sets>
auto set_named(Sets& sets, std::string_view name) -> decltype(&sets.front()) {
    const auto found = std::find_if(sets.begin(), sets.end(), [&](const PhraseSet& set) { return set.name == name; });
    return found == sets.end() ? nullptr : &*found;
}

// Every phrase `phrase` stands for: itself when it names no set, none when a set it names is empty.
std::vector<std::string> phrases_named_by(std::string_view phrase, const std::vector<PhraseSet>& sets) {
    const auto parts = split_at_set_names(phrase);
    if (!parts) return {};
    std::vector<std::string> phrases{""};
    for (std::size_t i = 0; i < parts->size(); ++i) {
        if (i % 2 == 0) {
            for (auto& built : phrases) built += (*parts)[i];
            continue;
        }
        const PhraseSet* set = set_named(sets, (*parts)[i]);
        if (!set) return {};
        std::vector<std::string> longer;
        longer.reserve(phrases.size() * set->phrases.size());
        for (const auto& built : phrases) {
            for (const auto& member : set->phrases) longer.push_back(built + member);
        }
        phrases = std::move(longer);
    }
    return phrases;
}

// How many phrases `phrase` stands for (as phrases_named_by, without building them).
std::size_t phrase_count_named_by(std::string_view phrase, const std::vector<PhraseSet>& sets) {
    const auto parts = split_at_set_names(phrase);
    if (!parts) return 0;
    std::size_t count = 1;
    for (std::size_t i = 1; i < parts->size(); i += 2) {
        const PhraseSet* set = set_named(sets, (*parts)[i]);
        count *= set ? set->phrases.size() : 0;
    }
    return count;
}

std::size_t expanded_phrase_count(const Lexicon& lexicon) {
    std::size_t count = 0;
    const auto add = [&](const auto& entries) {
        for (const auto& entry : entries) count += has_brace(entry.phrase) ? phrase_count_named_by(entry.phrase, lexicon.phrase_sets) : 1;
    };
    add(lexicon.sections);
    add(lexicon.targets);
    add(lexicon.modifiers);
    add(lexicon.terms);
    return count;
}

template <typename Rule>
void expand_entries(std::vector<Rule>& entries, const std::vector<PhraseSet>& sets) {
    std::vector<Rule> expanded;
    expanded.reserve(entries.size());
    for (auto& entry : entries) {
        if (!has_brace(entry.phrase)) {
            expanded.push_back(std::move(entry));
            continue;
        }
        for (auto& phrase : phrases_named_by(entry.phrase, sets)) {
            Rule copy = entry;
            copy.phrase = std::move(phrase);
            expanded.push_back(std::move(copy));
        }
    }
    entries = std::move(expanded);
}

constexpr std::array<std::pair<std::string_view, WordClass>, word_class_count> word_class_names = {{
    {"no-break-after", WordClass::no_break_after},
    {"agent-marker", WordClass::agent_marker},
    {"determiner", WordClass::determiner},
    {"relative-pronoun", WordClass::relative_pronoun},
    {"list-joiner", WordClass::list_joiner},
    {"object-pronoun", WordClass::object_pronoun},
    {"object-or-possessive", WordClass::object_or_possessive},
    {"object-follower", WordClass::object_follower},
    {"nonfinite-marker", WordClass::nonfinite_marker},
    {"passive-auxiliary", WordClass::passive_auxiliary},
    {"informing-verb", WordClass::informing_verb},
    {"topic-verb", WordClass::topic_verb},
    {"subject-pronoun", WordClass::subject_pronoun},
    {"feminine-pronoun", WordClass::feminine_pronoun},
    {"masculine-pronoun", WordClass::masculine_pronoun},
    {"feminine-person", WordClass::feminine_person},
    {"masculine-person", WordClass::masculine_person},
    {"clause-subject", WordClass::clause_subject},
    {"document-noun", WordClass::document_noun},
    {"worker-pronoun", WordClass::worker_pronoun},
}};
static_assert(!word_class_names.back().first.empty(), "every word class needs the name packs give it");

class EntryReader {
public:
    explicit EntryReader(Lexicon& lexicon) : lexicon_(lexicon) {}

    std::optional<LexiconError> read(pugi::xml_node element) {
        // Drops first, so a pack can drop a phrase of its base and add it back with a new meaning.
        for (const pugi::xml_node child : element.children("drop")) {
            if (auto error = only_attributes(child, {"reason-follows", "word-class", "phrase-set"})) return error;
            std::vector<PhraseSet*> emptied;
            for (const auto& name : words_of(child.attribute("phrase-set").value())) {
                PhraseSet* set = is_set_name(name) ? set_named(lexicon_.phrase_sets, name) : nullptr;
                if (!set) return LexiconError{child.offset_debug(), "phrase-set lists the names of phrase sets defined before, separated by spaces"};
                emptied.push_back(set);
            }
            for (PhraseSet* set : emptied) set->phrases.clear();
            const auto labels = words_of(child.attribute("reason-follows").value());
            for (const auto& label : labels) {
                if (!is_label(label)) return LexiconError{child.offset_debug(), "reason-follows lists target labels in capitals, separated by spaces"};
            }
            std::vector<WordClass> classes;
            for (const auto& name : words_of(child.attribute("word-class").value())) {
                const auto word_class = word_class_named(name);
                if (!word_class) return unknown_word_class(child);
                classes.push_back(*word_class);
            }
            drop(phrases_of(child.text().get()));
            for (const auto& label : labels) drop_reason_follows(label);
            for (const auto word_class : classes) lexicon_.word_classes[word_class].clear();
        }
        // Then the phrase sets, so an entry may name a set defined anywhere in its element.
        for (const pugi::xml_node child : element.children("phrase-set")) {
            if (auto error = read_phrase_set(child)) return error;
        }
        for (const pugi::xml_node child : element.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = child.name();
            std::optional<LexiconError> error;
            if (name == "drop" || name == "phrase-set") continue;
            if (name == "section") error = read_section(child);
            else if (name == "relabel") error = read_relabel(child);
            else if (name == "suppress") error = read_suppress(child);
            else if (name == "longest-wins") error = read_longest_wins(child);
            else if (name == "one-per-sentence") error = read_one_statement(child, lexicon_.one_per_sentence);
            else if (name == "one-per-note") error = read_one_statement(child, lexicon_.one_per_note);
            else if (name == "reason-follows") error = read_reason_follows(child);
            else if (name == "inherit") error = read_inherit(child);
            else if (name == "pronoun-subject") error = read_pronoun_subject(child);
            else if (name == "joint-party") error = read_joint_party(child);
            else if (name == "restate") error = read_restate(child);
            else if (name == "target") error = read_target(child);
            else if (name == "modifier") error = read_modifier(child);
            else if (name == "abbreviation" || name == "recipient" || name == "domain" || name == "cue") error = read_term(child, name);
            else if (name == "word-class") error = read_word_class(child);
            else error = LexiconError{child.offset_debug(), "unknown element <" + std::string(name) + "> in <lexicon>"};
            if (error) return error;
        }
        // Checked on the whole lexicon, since a set that grows here also grows the inherited phrases that name it.
        if (expanded_phrase_count(lexicon_) > max_expanded_phrases) {
            return LexiconError{element.offset_debug(), "the lexicon stands for more than " + std::to_string(max_expanded_phrases) +
                                                            " phrases once its phrase sets are expanded"};
        }
        return std::nullopt;
    }

private:
    std::optional<LexiconError> only_attributes(pugi::xml_node node, std::initializer_list<std::string_view> allowed) {
        for (const pugi::xml_attribute attribute : node.attributes()) {
            if (std::find(allowed.begin(), allowed.end(), std::string_view(attribute.name())) == allowed.end()) {
                return LexiconError{node.offset_debug(), "unknown attribute \"" + std::string(attribute.name()) + "\" on <" + node.name() + ">"};
            }
        }
        return std::nullopt;
    }

    std::optional<std::vector<std::string>> phrases(pugi::xml_node node, std::optional<LexiconError>& error) {
        auto list = phrases_of(node.text().get());
        if (list.empty()) {
            error = LexiconError{node.offset_debug(), std::string("<") + node.name() + "> lists no phrases (separate them with |)"};
            return std::nullopt;
        }
        return list;
    }

    // Every set a phrase names is known by the time it is read, so expanding it later cannot fail.
    std::optional<LexiconError> check_set_names(pugi::xml_node node, const std::vector<std::string>& list) {
        for (const auto& phrase : list) {
            const auto parts = split_at_set_names(phrase);
            if (!parts) return LexiconError{node.offset_debug(), "a phrase names a phrase set in braces, as in {relative}, with none left open or nested"};
            if (parts->size() / 2 > max_sets_in_phrase) {
                return LexiconError{node.offset_debug(), "a phrase names at most " + std::to_string(max_sets_in_phrase) + " phrase sets"};
            }
            for (std::size_t i = 1; i < parts->size(); i += 2) {
                const auto name = (*parts)[i];
                if (!is_set_name(name)) return LexiconError{node.offset_debug(), "phrase set names are lower-case letters, digits and hyphens"};
                if (!set_named(lexicon_.phrase_sets, name)) {
                    return LexiconError{node.offset_debug(), "phrase set {" + std::string(name) + "} is not defined in this lexicon or the one it extends"};
                }
            }
        }
        return std::nullopt;
    }

    // One entry per phrase of the element's text, each a copy of `rule` with its phrase.
    template <typename Rule>
    std::optional<LexiconError> add_per_phrase(pugi::xml_node node, const Rule& rule, std::vector<Rule>& entries) {
        std::optional<LexiconError> error;
        auto list = phrases(node, error);
        if (!list) return error;
        if (auto names_error = check_set_names(node, *list)) return names_error;
        for (auto& phrase : *list) {
            Rule entry = rule;
            entry.phrase = std::move(phrase);
            entries.push_back(std::move(entry));
        }
        return std::nullopt;
    }

    // An optional count of tokens ("within", "max-scope" ...) into `field`, which keeps its default when absent.
    std::optional<LexiconError> read_token_count(pugi::xml_node node, const char* attribute, std::size_t& field) {
        if (!node.attribute(attribute)) return std::nullopt;
        const auto count = count_in(node.attribute(attribute));
        if (!count) return LexiconError{node.offset_debug(), std::string(attribute) + " must be a whole number of tokens up to 9999"};
        field = *count;
        return std::nullopt;
    }

    std::optional<LexiconError> read_section(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"name", "sets"})) return error;
        const std::string name = node.attribute("name").value();
        const std::string sets = node.attribute("sets").value();
        if (name.empty()) return LexiconError{node.offset_debug(), "<section> needs a name"};
        if (!sets.empty() && !is_label(sets)) return LexiconError{node.offset_debug(), "sets must be a modifier category in capitals, e.g. FUTURE"};
        return add_per_phrase(node, SectionRule{name, "", sets}, lexicon_.sections);
    }

    std::optional<LexiconError> read_relabel(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"from", "to", "near", "except-roles", "roles", "within", "side", "sets", "unbroken"})) return error;
        RelabelRule rule;
        rule.from = node.attribute("from").value();
        rule.to = node.attribute("to").value();
        rule.cue_kinds = words_of(node.attribute("near").value());
        if (!is_label(rule.from) || !is_label(rule.to)) return LexiconError{node.offset_debug(), "from and to must be target labels in capitals"};
        if (rule.cue_kinds.empty()) return LexiconError{node.offset_debug(), "near must list cue kinds (or recipient), separated by spaces"};
        const bool near_recipient = std::find(rule.cue_kinds.begin(), rule.cue_kinds.end(), "recipient") != rule.cue_kinds.end();
        for (const char* attribute : {"except-roles", "roles"}) {
            if (node.attribute(attribute) && !near_recipient) {
                return LexiconError{node.offset_debug(), std::string(attribute) + " belongs to a relabel near recipient"};
            }
        }
        if (node.attribute("except-roles")) rule.except_roles = words_of(node.attribute("except-roles").value());
        rule.roles = words_of(node.attribute("roles").value());
        if (auto error = read_token_count(node, "within", rule.within)) return error;
        const std::string_view side = node.attribute("side").as_string("either");
        if (side == "after") rule.side = RelabelRule::Side::after;
        else if (side == "before") rule.side = RelabelRule::Side::before;
        else if (side != "either") return LexiconError{node.offset_debug(), "side must be either, after or before"};
        if (node.attribute("sets")) {
            rule.sets = words_of(node.attribute("sets").value());
            if (!all_labels(*rule.sets)) return LexiconError{node.offset_debug(), "sets lists modifier categories in capitals, separated by spaces"};
        }
        const std::string_view unbroken = node.attribute("unbroken").as_string("false");
        if (unbroken != "true" && unbroken != "false") return LexiconError{node.offset_debug(), "unbroken must be true or false"};
        rule.unbroken = unbroken == "true";
        lexicon_.relabels.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_suppress(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"label", "after", "within", "nonfinite-within", "only-with"})) return error;
        SuppressRule rule;
        rule.labels = words_of(node.attribute("label").value());
        rule.after = words_of(node.attribute("after").value());
        rule.only_with = words_of(node.attribute("only-with").value());
        if (!all_labels(rule.only_with)) return LexiconError{node.offset_debug(), "only-with lists modifier categories in capitals, separated by spaces"};
        if (rule.labels.empty() || !all_labels(rule.labels) || rule.after.empty()) return LexiconError{node.offset_debug(), "suppress needs its labels (label) and the labels they follow (after)"};
        if (auto error = read_token_count(node, "within", rule.within)) return error;
        if (auto error = read_token_count(node, "nonfinite-within", rule.nonfinite_within)) return error;
        lexicon_.suppressions.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_longest_wins(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"labels"})) return error;
        LongestWinsRule rule;
        rule.labels = words_of(node.attribute("labels").value());
        if (rule.labels.size() < 2 || !all_labels(rule.labels)) return LexiconError{node.offset_debug(), "longest-wins lists two or more target labels in capitals, separated by spaces"};
        lexicon_.longest_wins.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_one_statement(pugi::xml_node node, std::vector<OneStatementRule>& rules) {
        if (auto error = only_attributes(node, {"labels"})) return error;
        OneStatementRule rule;
        rule.labels = words_of(node.attribute("labels").value());
        if (rule.labels.empty() || !all_labels(rule.labels)) {
            return LexiconError{node.offset_debug(), std::string(node.name()) + " lists target labels in capitals, separated by spaces"};
        }
        rules.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_reason_follows(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"label", "unless", "unless-cue", "within"})) return error;
        ReasonFollowsRule rule;
        rule.label = node.attribute("label").value();
        rule.unless = words_of(node.attribute("unless").value());
        rule.unless_cues = words_of(node.attribute("unless-cue").value());
        if (!is_label(rule.label)) return LexiconError{node.offset_debug(), "reason-follows needs a target label in capitals"};
        if (!all_labels(rule.unless)) return LexiconError{node.offset_debug(), "unless lists target labels in capitals, separated by spaces"};
        if (auto error = read_token_count(node, "within", rule.within)) return error;
        // One rule per label, so a pack that restates the built-in rule tunes it rather than adding a second.
        drop_reason_follows(rule.label);
        lexicon_.reasons_follow.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_inherit(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"category", "from", "to"})) return error;
        InheritRule rule{node.attribute("category").value(), node.attribute("from").value(), node.attribute("to").value()};
        if (!is_label(rule.category) || !is_label(rule.from) || !is_label(rule.to)) {
            return LexiconError{node.offset_debug(), "inherit needs a modifier category and the target labels from and to, in capitals"};
        }
        lexicon_.inherits.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_pronoun_subject(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"sets", "labels", "within"})) return error;
        PronounSubjectRule rule{node.attribute("sets").value(), words_of(node.attribute("labels").value())};
        if (!is_label(rule.category) || rule.labels.empty() || !all_labels(rule.labels)) {
            return LexiconError{node.offset_debug(), "pronoun-subject needs a modifier category (sets) and the target labels it applies to, in capitals"};
        }
        if (auto error = read_token_count(node, "within", rule.within)) return error;
        lexicon_.pronoun_subjects.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_joint_party(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"sets", "labels", "near", "within"})) return error;
        JointPartyRule rule{node.attribute("sets").value(), words_of(node.attribute("labels").value()), node.attribute("near").value()};
        if (!is_label(rule.category) || rule.labels.empty() || !all_labels(rule.labels) || rule.near.empty()) {
            return LexiconError{node.offset_debug(), "joint-party needs a modifier category (sets), the target labels it applies to, in capitals, and a cue kind (near)"};
        }
        if (auto error = read_token_count(node, "within", rule.within)) return error;
        lexicon_.joint_parties.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_restate(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"from", "labels", "passes-over"})) return error;
        RestateRule rule{node.attribute("from").value(), words_of(node.attribute("labels").value()), words_of(node.attribute("passes-over").value())};
        if (!is_label(rule.from) || rule.labels.empty() || !all_labels(rule.labels) || !all_labels(rule.passes_over)) {
            return LexiconError{node.offset_debug(), "restate needs the pro-form's target label (from) and the labels it may restate, in capitals"};
        }
        lexicon_.restates.push_back(std::move(rule));
        return std::nullopt;
    }

    std::optional<LexiconError> read_target(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"label", "alternative", "sets", "opens"})) return error;
        const std::string opens = node.attribute("opens").value();
        if (!opens.empty() && opens != "sentence") return LexiconError{node.offset_debug(), "opens may only be \"sentence\""};
        const auto sets = words_of(node.attribute("sets").value());
        if (!all_labels(sets)) return LexiconError{node.offset_debug(), "sets lists modifier categories in capitals, separated by spaces"};
        const std::string label = node.attribute("label").value();
        if (!is_label(label)) return LexiconError{node.offset_debug(), "label must be capitals, digits and underscores, e.g. CONSENT_SHARE"};
        return add_per_phrase(node, TargetRule{label, "", node.attribute("alternative").value(), sets, opens == "sentence"}, lexicon_.targets);
    }

    std::optional<LexiconError> read_modifier(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"category", "direction", "max-scope", "max-targets", "applies-to", "except", "terminated-by",
                                                "reaches-previous-sentence", "reaches-next-sentence", "yields-to", "ends", "opens", "closes"})) {
            return error;
        }
        ModifierRule rule;
        rule.category = node.attribute("category").value();
        if (!is_label(rule.category)) return LexiconError{node.offset_debug(), "category must be capitals, e.g. NEGATED"};
        const auto direction = direction_named(node.attribute("direction").as_string("forward"));
        if (!direction) return LexiconError{node.offset_debug(), "direction must be forward, backward, bidirectional, terminate or pseudo"};
        rule.direction = *direction;
        if (auto error = read_token_count(node, "max-scope", rule.max_scope)) return error;
        if (auto error = read_token_count(node, "max-targets", rule.max_targets)) return error;
        rule.applies_to = words_of(node.attribute("applies-to").value());
        rule.terminated_by = words_of(node.attribute("terminated-by").value());
        rule.excludes = words_of(node.attribute("except").value());
        rule.yields_to = words_of(node.attribute("yields-to").value());
        rule.ends = words_of(node.attribute("ends").value());
        if (!rule.ends.empty() && rule.direction != Direction::terminate) return LexiconError{node.offset_debug(), "ends is for terminate triggers only"};
        if (!rule.applies_to.empty() && !rule.excludes.empty()) return LexiconError{node.offset_debug(), "give applies-to or except, not both"};
        for (const auto& list : {rule.applies_to, rule.terminated_by, rule.excludes, rule.yields_to, rule.ends}) {
            if (!all_labels(list)) return LexiconError{node.offset_debug(), "applies-to, except, terminated-by, yields-to and ends list labels in capitals, separated by spaces"};
        }
        const std::string_view previous = node.attribute("reaches-previous-sentence").as_string("false");
        if (previous != "true" && previous != "false") return LexiconError{node.offset_debug(), "reaches-previous-sentence must be true or false"};
        rule.reaches_previous_sentence = previous == "true";
        const std::string_view next = node.attribute("reaches-next-sentence").as_string("false");
        if (next != "true" && next != "false") return LexiconError{node.offset_debug(), "reaches-next-sentence must be true or false"};
        if (next == "true" && rule.direction != Direction::forward) return LexiconError{node.offset_debug(), "reaches-next-sentence is for forward triggers only"};
        rule.reaches_next_sentence = next == "true";
        for (const auto& [attribute, flag] : {std::pair{"opens", &rule.opens_sentence}, std::pair{"closes", &rule.closes_sentence}}) {
            const std::string_view value = node.attribute(attribute).value();
            if (!value.empty() && value != "sentence") return LexiconError{node.offset_debug(), std::string(attribute) + " may only be \"sentence\""};
            *flag = value == "sentence";
        }
        return add_per_phrase(node, rule, lexicon_.modifiers);
    }

    std::optional<LexiconError> read_term(pugi::xml_node node, std::string_view element) {
        TermRule rule;
        if (element == "abbreviation") {
            if (auto error = only_attributes(node, {"expansion", "context", "case"})) return error;
            rule.kind = "abbreviation";
            rule.value = node.attribute("expansion").value();
            if (rule.value.empty()) return LexiconError{node.offset_debug(), "<abbreviation> needs an expansion"};
            const std::string_view context = node.attribute("context").as_string("any");
            if (context != "any" && context != "medication") return LexiconError{node.offset_debug(), "context must be any or medication"};
            rule.medication_only = context == "medication";
            const std::string_view match_case = node.attribute("case").as_string("exact");
            if (match_case != "exact" && match_case != "any") return LexiconError{node.offset_debug(), "case must be exact or any"};
            rule.case_sensitive = match_case == "exact";
        } else if (element == "recipient" || element == "domain") {
            const char* key = element == "recipient" ? "role" : "name";
            if (auto error = only_attributes(node, {key})) return error;
            rule.kind = std::string(element);
            rule.value = node.attribute(key).value();
            if (rule.value.empty()) return LexiconError{node.offset_debug(), "<" + std::string(element) + "> needs a " + key};
        } else {
            if (auto error = only_attributes(node, {"kind"})) return error;
            rule.kind = node.attribute("kind").value();
            if (rule.kind.empty()) return LexiconError{node.offset_debug(), "<cue> needs a kind"};
        }
        return add_per_phrase(node, rule, lexicon_.terms);
    }

    static LexiconError unknown_word_class(pugi::xml_node node) {
        std::string known;
        for (const auto& [name, ignored] : word_class_names) known += (known.empty() ? "" : ", ") + std::string(name);
        return LexiconError{node.offset_debug(), "word classes are " + known};
    }

    // A set's phrases join those it already has, so a pack adds to an inherited set (<drop phrase-set> empties it first).
    std::optional<LexiconError> read_phrase_set(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"name"})) return error;
        const std::string name = node.attribute("name").value();
        if (!is_set_name(name)) return LexiconError{node.offset_debug(), "<phrase-set> needs a name of lower-case letters, digits and hyphens"};
        std::optional<LexiconError> error;
        auto list = phrases(node, error);
        if (!list) return error;
        if (std::any_of(list->begin(), list->end(), [](const std::string& phrase) { return has_brace(phrase); })) {
            return LexiconError{node.offset_debug(), "the phrases of a <phrase-set> name no other set"};
        }
        PhraseSet* set = set_named(lexicon_.phrase_sets, name);
        if (!set) set = &lexicon_.phrase_sets.emplace_back(PhraseSet{name, {}});
        set->phrases.insert(set->phrases.end(), std::make_move_iterator(list->begin()), std::make_move_iterator(list->end()));
        if (set->phrases.size() > max_phrases_in_set) {
            return LexiconError{node.offset_debug(), "a phrase set holds at most " + std::to_string(max_phrases_in_set) + " phrases"};
        }
        return std::nullopt;
    }

    // A class's list replaces the inherited one whole: its words are grammar, read together.
    std::optional<LexiconError> read_word_class(pugi::xml_node node) {
        if (auto error = only_attributes(node, {"name"})) return error;
        const auto word_class = word_class_named(node.attribute("name").value());
        if (!word_class) return unknown_word_class(node);
        std::optional<LexiconError> error;
        auto list = phrases(node, error);
        if (!list) return error;
        std::vector<std::string> words;
        for (const auto& entry : *list) {
            auto tokens = tokenize(entry);
            if (tokens.size() != 1 || has_brace(entry)) return LexiconError{node.offset_debug(), "<word-class> lists single words, separated by |"};
            words.push_back(std::move(tokens[0].norm));
        }
        lexicon_.word_classes[*word_class] = std::move(words);
        return std::nullopt;
    }

    void drop(const std::vector<std::string>& phrases) {
        const auto listed = [&](const std::string& phrase) { return std::find(phrases.begin(), phrases.end(), phrase) != phrases.end(); };
        const auto erase = [&](auto& entries) {
            entries.erase(std::remove_if(entries.begin(), entries.end(), [&](const auto& e) { return listed(e.phrase); }), entries.end());
        };
        erase(lexicon_.sections);
        erase(lexicon_.targets);
        erase(lexicon_.modifiers);
        erase(lexicon_.terms);
    }

    void drop_reason_follows(const std::string& label) {
        auto& rules = lexicon_.reasons_follow;
        rules.erase(std::remove_if(rules.begin(), rules.end(), [&](const ReasonFollowsRule& rule) { return rule.label == label; }), rules.end());
    }

    Lexicon& lexicon_;
};

}  // namespace

std::optional<WordClass> word_class_named(std::string_view name) {
    for (const auto& [class_name, word_class] : word_class_names) {
        if (class_name == name) return word_class;
    }
    return std::nullopt;
}

bool WordClasses::contains(WordClass word_class, std::string_view word) const {
    const auto& list = (*this)[word_class];
    return std::find(list.begin(), list.end(), word) != list.end();
}

std::optional<LexiconError> read_lexicon_entries(const pugi::xml_node& element, Lexicon& lexicon) { return EntryReader(lexicon).read(element); }

Lexicon with_phrase_sets_expanded(Lexicon lexicon) {
    expand_entries(lexicon.sections, lexicon.phrase_sets);
    expand_entries(lexicon.targets, lexicon.phrase_sets);
    expand_entries(lexicon.modifiers, lexicon.phrase_sets);
    expand_entries(lexicon.terms, lexicon.phrase_sets);
    return lexicon;
}

std::optional<std::string_view> builtin_lexicon_xml(std::string_view id) {
    for (const auto& [lexicon_id, xml] : builtin_lexicons) {
        if (lexicon_id == id) return xml;
    }
    return std::nullopt;
}

}  // namespace casecheck::text
