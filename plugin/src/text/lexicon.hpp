// Lexicons: the phrases the text engine looks for, read from rule packs so an
// organisation can tune them without a rebuild (docs/text-engine.md).
#pragma once

#include "failure.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pugi {
class xml_node;
}

namespace casecheck::text {

// Which way a modifier's scope runs from its trigger (medspaCy ConText semantics).
enum class Direction { forward, backward, bidirectional, terminate, pseudo };

// A statement type to find, such as DECISION or CONSENT_SHARE. The label NONE marks
// a phrase that hides shorter targets inside it ("lung compliance").
struct TargetRule {
    std::string label;
    std::string phrase;
    std::string alternative;  // a neutral wording to offer instead, for language targets
    std::vector<std::string> sets;  // modifiers the phrase carries itself ("remains open" is a negated closure)
    bool opens_sentence = false;    // counts only as a sentence's first words: an imperative in a plan ("Refer to OT.")
};

// A ConText modifier trigger.
struct ModifierRule {
    std::string category;  // NEGATED, FUTURE, RATIONALE ...
    std::string phrase;
    Direction direction = Direction::forward;
    std::size_t max_scope = 0;  // tokens; 0 is the rest of the sentence
    std::size_t max_targets = 0;  // 0 is every target in scope
    std::vector<std::string> applies_to;     // target labels; empty is all
    std::vector<std::string> excludes;       // target labels it never modifies
    std::vector<std::string> terminated_by;  // categories that end this one's scope
    std::vector<std::string> ends;  // a terminator's: the categories whose scopes it ends; empty is every one
    bool reaches_previous_sentence = false;  // a cue opening a sentence also modifies the one before
    bool reaches_next_sentence = false;      // a frame ("best interests meeting held") reaches past terminators, into the next sentence
    bool opens_sentence = false;             // counts only as its sentence's first words
    bool closes_sentence = false;            // counts only as its sentence's last words: a form's answer ("Consent to share: no")
    // Categories that overrule this one on the statement they both reach: a month after "will" is when, not the past.
    std::vector<std::string> yields_to;
};

// A section heading and the modifier it gives the statements under it.
struct SectionRule {
    std::string name;
    std::string phrase;
    std::string sets;  // a modifier category, or empty
};

// A phrase of a word list: abbreviation, recipient, domain or cue.
struct TermRule {
    std::string kind;    // abbreviation, recipient, domain, or a cue kind (medication, vague-goal, continuity, source, measure)
    std::string phrase;
    std::string value;   // the expansion, role or domain name
    bool medication_only = false;  // abbreviations that are only dangerous in medication context
    bool case_sensitive = false;
};

// A statement found with a general label takes a specific one when a cue of the
// given kinds lies within `within` tokens in its sentence ("consent" near "referral"
// is consent to share). The kind "*" always matches; the label NONE drops the statement.
// A relabelled statement goes on through the later rules only, so two rules in a row can ask
// for two cues and no pair of rules can loop.
struct RelabelRule {
    std::string from;
    std::string to;
    std::vector<std::string> cue_kinds;
    // The recipient roles that are no "recipient" cue. By default the service's own ("internal"), which
    // names no third party; a rule about who acts may want it to count ("the MDT agreed").
    std::vector<std::string> except_roles{"internal"};
    // When not empty, only a recipient of one of these roles is a cue: a relative right before a wish
    // makes it the relative's ("her son does not want his mother told").
    std::vector<std::string> roles;
    std::size_t within = 8;
    // Which side of the phrase the cue may stand on: after it ("rang the school", not "her sister
    // rang"), or before it, as the phrase's subject ("the landlord refused").
    enum class Side { either, after, before } side = Side::either;
    // The modifiers the relabelled statement starts with, in place of its phrase's `sets`: a relative's
    // "disagrees" is their view, not the client's refusal. Unset keeps the phrase's own.
    std::optional<std::vector<std::string>> sets;
    // No list joiner ("and", a comma) between the phrase and its cue: "agreed the plan and referred to OT" joins two acts.
    bool unbroken = false;
};

// A statement of one of `labels` is dropped when a statement of an `after` label lies within
// `within` tokens before it in its sentence, with no punctuation between: "consent for us
// to share" is a consent, not a disclosure.
struct SuppressRule {
    std::vector<std::string> labels;
    std::vector<std::string> after;
    std::size_t within = 6;
    // Further on in the clause, up to this many tokens, only a non-finite statement is dropped: the
    // content of a consent ("consented to her GP being told", "for his mother to be updated").
    std::size_t nonfinite_within = 0;
    // When given, only a statement carrying every one of these categories is dropped: "shared with police without
    // her consent under a duty" holds one statement, the disclosure's EXCEPTION, while "with her consent" stays.
    std::vector<std::string> only_with;
};

// Phrases of these labels compete by length as if they had one label: a phrase lying inside a
// longer one of the group is dropped. "with his consent" (consent to share) then hides the bare
// "consent" inside it, which would otherwise become a second, consent-to-engage statement.
struct LongestWinsRule {
    std::vector<std::string> labels;
};

// The labels of a <one-per-sentence> or <one-per-note> rule. Per sentence: phrases of these labels in one
// sentence with the same status are one statement, whatever terminator lies between ("Unexplained bruising
// to both forearms; safeguarding concern raised" is one concern). Per note: statements of these labels
// anywhere in the text whose statuses nest are one, with the fuller status ("No further input needed;
// closed to social prescribing" is one closure).
struct OneStatementRule {
    std::vector<std::string> labels;
};

// A statement of `label` that is nearly all of its sentence ("Case closed.") takes RATIONALE
// from the sentence right after it in the same section, unless that sentence holds a statement
// of an `unless` label or a cue of an `unless_cues` kind: a note that only says "Episode closed."
// goes on to say why, in words no cue list can name ("Episode closed. All equipment delivered;
// no further needs."), or else says who carries on ("The GP will continue to review her").
// A label has at most one such rule: a later one replaces it, and <drop reason-follows> removes it.
struct ReasonFollowsRule {
    std::string label;
    std::vector<std::string> unless;
    std::vector<std::string> unless_cues;
    std::size_t within = 2;  // words besides the statement's own that its sentence may hold
};

// A statement of label `to` takes `category` when a statement of label `from` in its sentence
// has it, across the clauses that end a trigger's scope: in "Shared with the police; consent not
// sought due to the risk to life", the exception to consent is the exception of the sharing.
struct InheritRule {
    std::string category;
    std::string from;
    std::string to;
};

// A gendered subject pronoun right before a statement of one of `labels` stands for a person of its gender named
// before it in the sentence, when the sentence also speaks of someone of the other gender: in "His wife rang; she
// wants him placed in a home", the view is the wife's. The statement then takes `category` (OTHER).
struct PronounSubjectRule {
    std::string category;
    std::vector<std::string> labels;
    std::size_t within = 3;  // words between the pronoun and the statement ("she would much prefer")
};

// A consent or agreement given by two people together ("J and her mum both agreed to the plan", "Client and her
// husband signed consent") is two statements: one of `labels` with a cue of kind `near` at most `within` words
// before it, in its sentence, is recorded once without `category` (the client's) and once with it (the other's).
struct JointPartyRule {
    std::string category;
    std::vector<std::string> labels;
    std::string near;
    std::size_t within = 1;
};

// A pro-form ("will do so", "will go over it") restates the statement before it: a statement of label
// `from` takes the label of the nearest statement before it, in its sentence or else the sentence before,
// when that label is listed, and is dropped otherwise. Its modifiers are its own, so in "Role not explained
// today; will go over it next visit" the role explanation is negated once and planned once.
struct RestateRule {
    std::string from;
    std::vector<std::string> labels;
    std::vector<std::string> passes_over;  // labels of statements it looks past to the one it restates
};

// The closed classes of words that the engine's grammar rules read. They are English grammar, not
// domain cues, but they live in the lexicon too, so a pack can adjust them to its own register.
enum class WordClass : std::size_t {
    no_break_after,        // a full stop right after it does not end the sentence ("Dr.", "approx.")
    agent_marker,          // introduces the agent of a passive ("forwarded by her attorney")
    determiner,            // may stand between an agent marker and the agent ("by *her* attorney")
    relative_pronoun,      // opens a clause about the recipient before it ("the daughter, *who* ...")
    list_joiner,           // joins recipients into one list ("the GP *and* the school")
    object_pronoun,        // right after a sharing verb, the one told ("told *him*")
    object_or_possessive,  // an object pronoun only before an object follower ("told *her* that", not "passed *her* address")
    object_follower,       // a word that can follow an object pronoun but not a possessive
    nonfinite_marker,      // right before a verb, makes it non-finite ("to be *told*", "being *sent*")
    passive_auxiliary,     // right before an informing verb, makes its subject the one informed ("the GP *was* told")
    informing_verb,        // a sharing verb whose object is the person told, not the information ("told", "advised")
    topic_verb,            // a sharing verb whose object is the topic, not the person told ("discussed *him* with the GP")
    subject_pronoun,       // a pronoun that can be a statement's subject ("*she* wants")
    feminine_pronoun,      // she, her ...: what gender a subject pronoun has, and who else the sentence speaks of
    masculine_pronoun,
    feminine_person,       // a person of that gender by name of relation ("wife", "daughter")
    masculine_person,
    clause_subject,        // between a consent and a sharing verb, opens a clause of its own ("with her consent *I* sent")
    document_noun,         // right after a recipient, makes it the document's author, not its receiver ("the *GP* letter")
    worker_pronoun,        // right after a sharing verb, the worker as the one told ("called to update *us*"): no disclosure
};
// worker_pronoun is the last class: a new class goes after it and takes its place here.
constexpr std::size_t word_class_count = static_cast<std::size_t>(WordClass::worker_pronoun) + 1;

// The class a rule pack names ("agent-marker"), or nothing.
std::optional<WordClass> word_class_named(std::string_view name);

// Single words by class. A pack's list replaces the inherited list of its class as a whole.
struct WordClasses {
    std::array<std::vector<std::string>, word_class_count> words;

    std::vector<std::string>& operator[](WordClass word_class) { return words[static_cast<std::size_t>(word_class)]; }
    const std::vector<std::string>& operator[](WordClass word_class) const { return words[static_cast<std::size_t>(word_class)]; }
    // Whether `word`, in the tokenizer's normal form, is listed in the class.
    bool contains(WordClass word_class, std::string_view word) const;
};

// A named list of phrases that other phrases name in braces: "{relative} says" stands for "mum says",
// "wife says" and so on. Entries keep their braces until an engine is built from the lexicon, so a pack
// that adds to a set also extends every inherited phrase that names it.
struct PhraseSet {
    std::string name;
    std::vector<std::string> phrases;
};

// Limits that keep one entry's expansion small: at most this many sets named in a phrase ...
constexpr std::size_t max_sets_in_phrase = 2;
// ... and this many phrases in a set. A whole lexicon stands for at most this many phrases.
constexpr std::size_t max_phrases_in_set = 256;
constexpr std::size_t max_expanded_phrases = 1'000'000;

struct Lexicon {
    std::vector<PhraseSet> phrase_sets;
    std::vector<RelabelRule> relabels;
    std::vector<SuppressRule> suppressions;
    std::vector<LongestWinsRule> longest_wins;
    std::vector<OneStatementRule> one_per_sentence;
    std::vector<OneStatementRule> one_per_note;
    std::vector<ReasonFollowsRule> reasons_follow;
    std::vector<InheritRule> inherits;
    std::vector<PronounSubjectRule> pronoun_subjects;
    std::vector<JointPartyRule> joint_parties;
    std::vector<RestateRule> restates;
    std::vector<SectionRule> sections;
    std::vector<TargetRule> targets;
    std::vector<ModifierRule> modifiers;
    std::vector<TermRule> terms;
    WordClasses word_classes;
};

// A lexicon error: the byte offset of the XML element at fault and what is wrong, without quoting the text.
struct LexiconError {
    std::ptrdiff_t offset = 0;
    std::string message;
};

// Reads the entries of a <lexicon> element into `lexicon`, after applying its <drop>s.
std::optional<LexiconError> read_lexicon_entries(const pugi::xml_node& element, Lexicon& lexicon);

// The lexicon with each entry whose phrase names phrase sets replaced by one entry per phrase the
// names stand for, in order (the first set named varies slowest). Reading checked every name.
Lexicon with_phrase_sets_expanded(Lexicon lexicon);

// The built-in lexicon with that id ("en"), or nothing.
std::optional<std::string_view> builtin_lexicon_xml(std::string_view id);

}  // namespace casecheck::text
