// ConText semantics of the text engine, on a small lexicon built here so each
// rule is seen alone; docs/text-engine.md describes them.
#include "text/statements.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace casecheck::text;

namespace {

TargetRule target(std::string label, std::string phrase, std::string alternative = "") {
    TargetRule rule;
    rule.label = std::move(label);
    rule.phrase = std::move(phrase);
    rule.alternative = std::move(alternative);
    return rule;
}

ModifierRule modifier(std::string category, std::string phrase, Direction direction, std::size_t max_scope = 0) {
    ModifierRule rule;
    rule.category = std::move(category);
    rule.phrase = std::move(phrase);
    rule.direction = direction;
    rule.max_scope = max_scope;
    return rule;
}

RelabelRule relabel(std::string from, std::string to, std::string near, std::size_t within = 8, RelabelRule::Side side = RelabelRule::Side::either) {
    RelabelRule rule;
    rule.from = std::move(from);
    rule.to = std::move(to);
    rule.cue_kinds = {std::move(near)};
    rule.within = within;
    rule.side = side;
    return rule;
}

Lexicon small_lexicon() {
    Lexicon lexicon;
    lexicon.targets = {target("RISK_TO_SELF", "risk to self"), target("RISK_TO_OTHERS", "risk to others"), target("CONSENT_SHARE", "consent to share"),
                       target("DECISION", "referred"), target("STIGMATISING", "compliance", "adherence"), target("NONE", "lung compliance")};
    lexicon.modifiers = {modifier("NEGATED", "no", Direction::forward),
                         modifier("NEGATED", "not obtained", Direction::backward),
                         modifier("TERMINATE", "but", Direction::terminate),
                         modifier("NEGATED", "no change in", Direction::pseudo),
                         modifier("FUTURE", "will seek", Direction::forward, 3),
                         modifier("HISTORICAL", "history of", Direction::forward)};
    ModifierRule rationale = modifier("RATIONALE", "because", Direction::bidirectional, 20);
    rationale.applies_to = {"DECISION"};
    rationale.reaches_previous_sentence = true;
    lexicon.modifiers.push_back(rationale);
    ModifierRule future_until_reason = modifier("FUTURE", "pending", Direction::forward);
    future_until_reason.terminated_by = {"RATIONALE"};
    lexicon.modifiers.push_back(future_until_reason);
    lexicon.sections = {{"plan", "plan", "FUTURE"}};
    lexicon.terms = {{"recipient", "gp", "gp", false, false}, {"recipient", "school", "school", false, false}};
    lexicon.word_classes[WordClass::no_break_after] = {"dr"};
    lexicon.word_classes[WordClass::agent_marker] = {"by"};
    lexicon.word_classes[WordClass::determiner] = {"the", "a", "her", "his"};
    lexicon.word_classes[WordClass::relative_pronoun] = {"who", "which"};
    lexicon.word_classes[WordClass::list_joiner] = {"and", ","};
    lexicon.word_classes[WordClass::object_pronoun] = {"him"};
    lexicon.word_classes[WordClass::object_or_possessive] = {"her"};
    lexicon.word_classes[WordClass::object_follower] = {"on", "about", "that"};
    return lexicon;
}

// The recipient of each statement the engine finds, in order ("" for statements that are not disclosures).
std::vector<std::string> recipients(const Lexicon& lexicon, const std::string& text) {
    std::vector<std::string> out;
    for (const auto& statement : TextEngine(lexicon).analyse(text).statements) out.push_back(statement.recipient);
    return out;
}

std::vector<std::string> statuses(const Analysis& analysis) {
    std::vector<std::string> out;
    for (const auto& statement : analysis.statements) {
        std::string line = statement.label();
        for (const auto& m : statement.modifiers) line += " " + m;
        out.push_back(line);
    }
    return out;
}

SuppressRule suppress(std::vector<std::string> labels, std::vector<std::string> after, std::size_t within, std::size_t nonfinite_within = 0) {
    SuppressRule rule;
    rule.labels = std::move(labels);
    rule.after = std::move(after);
    rule.within = within;
    rule.nonfinite_within = nonfinite_within;
    return rule;
}

std::vector<std::string> read(const Lexicon& lexicon, const std::string& text) { return statuses(TextEngine(lexicon).analyse(text)); }

}  // namespace

TEST_CASE("a forward trigger modifies the targets after it, to the end of the sentence") {
    CHECK(read(small_lexicon(), "No risk to self or risk to others. Risk to self.") ==
          std::vector<std::string>{"RISK_TO_SELF NEGATED", "RISK_TO_OTHERS NEGATED", "RISK_TO_SELF"});
}

TEST_CASE("a terminator ends a trigger's scope") {
    CHECK(read(small_lexicon(), "No risk to self, but risk to others identified.") ==
          std::vector<std::string>{"RISK_TO_SELF NEGATED", "RISK_TO_OTHERS"});
}

TEST_CASE("a backward trigger modifies the targets before it") {
    CHECK(read(small_lexicon(), "Consent to share not obtained.") == std::vector<std::string>{"CONSENT_SHARE NEGATED"});
}

TEST_CASE("max_scope limits how many tokens a trigger reaches") {
    CHECK(read(small_lexicon(), "Will seek consent to share.") == std::vector<std::string>{"CONSENT_SHARE FUTURE"});
    CHECK(read(small_lexicon(), "Will seek a meeting with the team, then consent to share.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("the longest match wins: a pseudo-trigger hides the trigger inside it") {
    CHECK(read(small_lexicon(), "No change in consent to share.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("a NONE target hides the shorter target inside it") {
    CHECK(read(small_lexicon(), "Reduced lung compliance noted.").empty());
    CHECK(read(small_lexicon(), "Poor compliance noted.") == std::vector<std::string>{"STIGMATISING"});
}

TEST_CASE("two phrases of one label in a clause are one statement, but each word with a neutral alternative is its own") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("RISK_TO_SELF", "self-harm"));
    lexicon.targets.push_back(target("STIGMATISING", "demanding", "describe what was asked for"));
    CHECK(read(lexicon, "Risk to self and self-harm noted.") == std::vector<std::string>{"RISK_TO_SELF"});
    CHECK(read(lexicon, "Poor compliance and demanding.") == std::vector<std::string>{"STIGMATISING", "STIGMATISING"});
}

TEST_CASE("a one-per-sentence label makes one statement of a sentence's phrases that say the same, across a terminator") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("RISK_TO_SELF", "self-harm"));
    CHECK(read(lexicon, "Risk to self, but self-harm noted.") == (std::vector<std::string>{"RISK_TO_SELF", "RISK_TO_SELF"}));
    lexicon.one_per_sentence.push_back({{"RISK_TO_SELF"}});
    CHECK(read(lexicon, "Risk to self, but self-harm noted.") == std::vector<std::string>{"RISK_TO_SELF"});
    CHECK(read(lexicon, "Risk to self, but no self-harm.") == (std::vector<std::string>{"RISK_TO_SELF", "RISK_TO_SELF NEGATED"}));
    CHECK(read(lexicon, "Risk to self. Self-harm noted.") == (std::vector<std::string>{"RISK_TO_SELF", "RISK_TO_SELF"}));
}

TEST_CASE("a one-per-note label makes one statement of a text's statements whose statuses nest, with the fuller status") {
    Lexicon lexicon = small_lexicon();
    CHECK(read(lexicon, "Referred because of rent arrears. Referred today.") == (std::vector<std::string>{"DECISION RATIONALE", "DECISION"}));
    lexicon.one_per_note.push_back({{"DECISION"}});
    CHECK(read(lexicon, "Referred because of rent arrears. Referred today.") == std::vector<std::string>{"DECISION RATIONALE"});
    CHECK(read(lexicon, "Referred today. Referred because of rent arrears.") == std::vector<std::string>{"DECISION RATIONALE"});
    // Statuses that do not nest say different things, and stay two statements.
    CHECK(read(lexicon, "Referred because of rent arrears. Will seek to be referred.") ==
          (std::vector<std::string>{"DECISION RATIONALE", "DECISION FUTURE"}));
}

TEST_CASE("a NONE target hides the targets inside it but not one that only overlaps it") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("NONE", "referral to"));
    lexicon.targets.push_back(target("DECISION", "referral"));
    lexicon.targets.push_back(target("CONSENT_SHARE", "declined the referral"));
    CHECK(read(lexicon, "Referral to the GP.").empty());
    CHECK(read(lexicon, "Declined the referral to the GP.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("labels in a longest-wins group compete by length as one label does") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("CONSENT", "consent"));
    lexicon.targets.push_back(target("CONSENT_SHARE", "with her consent"));
    lexicon.targets.push_back(target("CONSENT", "along with her consent"));
    lexicon.targets.push_back(target("DECISION", "referred with her consent"));
    // Without the group, each label keeps its own phrase.
    CHECK(read(lexicon, "Shared with her consent.") == std::vector<std::string>{"CONSENT_SHARE", "CONSENT"});
    lexicon.longest_wins = {{{"CONSENT", "CONSENT_SHARE"}}};
    CHECK(read(lexicon, "Shared with her consent.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(read(lexicon, "Withdrawn along with her consent.") == std::vector<std::string>{"CONSENT"});
    // A label outside the group still keeps its phrase beside the longer one.
    CHECK(read(lexicon, "GP referred with her consent.") == std::vector<std::string>{"DECISION", "CONSENT_SHARE"});
    // Groups that share a label join: DECISION now competes with CONSENT through CONSENT_SHARE.
    lexicon.longest_wins.push_back({{"DECISION", "CONSENT_SHARE"}});
    CHECK(read(lexicon, "GP referred with her consent.") == std::vector<std::string>{"DECISION"});
    CHECK(read(lexicon, "Shared with her consent.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("a relabel's side decides whether a cue before or after the phrase counts") {
    Lexicon lexicon = small_lexicon();
    lexicon.relabels = {relabel("STIGMATISING", "NONE", "recipient", 1, RelabelRule::Side::before)};
    // The school before the word is its subject; the school after it is not.
    CHECK(read(lexicon, "School compliance was good.").empty());
    CHECK(read(lexicon, "Compliance with school was poor.") == std::vector<std::string>{"STIGMATISING"});
    // Further than `within` words before it, the cue is no subject.
    CHECK(read(lexicon, "School said that his compliance was poor.") == std::vector<std::string>{"STIGMATISING"});
    lexicon.relabels[0].side = RelabelRule::Side::after;
    CHECK(read(lexicon, "School compliance was good.") == std::vector<std::string>{"STIGMATISING"});
    CHECK(read(lexicon, "Compliance with school was poor.").empty());
    lexicon.relabels[0].side = RelabelRule::Side::either;
    CHECK(read(lexicon, "School compliance was good.").empty());
    CHECK(read(lexicon, "Compliance with school was poor.").empty());
}

TEST_CASE("a relabel near a recipient counts every role but the service's own, or but the roles it excepts") {
    Lexicon lexicon = small_lexicon();
    lexicon.terms.push_back({"recipient", "mdt", "internal", false, false});
    lexicon.relabels = {relabel("STIGMATISING", "NONE", "recipient", 0, RelabelRule::Side::before)};
    CHECK(read(lexicon, "School compliance was good.").empty());
    CHECK(read(lexicon, "MDT compliance was good.") == std::vector<std::string>{"STIGMATISING"});
    lexicon.relabels[0].except_roles = {"school"};
    CHECK(read(lexicon, "MDT compliance was good.").empty());
    CHECK(read(lexicon, "School compliance was good.") == std::vector<std::string>{"STIGMATISING"});
}

TEST_CASE("a relabel with roles counts only a recipient of those roles") {
    Lexicon lexicon = small_lexicon();
    lexicon.relabels = {relabel("STIGMATISING", "NONE", "recipient", 0, RelabelRule::Side::before)};
    lexicon.relabels[0].roles = {"gp"};
    CHECK(read(lexicon, "GP compliance was good.").empty());
    CHECK(read(lexicon, "School compliance was good.") == std::vector<std::string>{"STIGMATISING"});
}

TEST_CASE("a relabelled statement goes on through the later relabels only, so two rules can ask for two cues") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCUSS", "discussed"));
    lexicon.terms.push_back({"consent-given", "with her consent", "with her consent", false, false});
    lexicon.relabels = {relabel("DISCUSS", "DISCUSS_CONSENTED", "consent-given", 20), relabel("DISCUSS_CONSENTED", "DISCLOSURE", "recipient", 12),
                        relabel("DISCUSS_CONSENTED", "NONE", "*"), relabel("DISCUSS", "NONE", "*")};
    CHECK(read(lexicon, "Discussed her rent and the arrears with the school, with her consent.") == std::vector<std::string>{"DISCLOSURE"});
    // One cue alone is not enough.
    CHECK(read(lexicon, "Discussed her rent and the arrears with the school.").empty());
    CHECK(read(lexicon, "Discussed her rent and the arrears, with her consent.").empty());
    // A rule before the one that relabelled is not consulted again.
    lexicon.relabels = {relabel("DISCUSS_CONSENTED", "DISCLOSURE", "recipient", 12), relabel("DISCUSS", "DISCUSS_CONSENTED", "consent-given", 20),
                        relabel("DISCUSS_CONSENTED", "NONE", "*")};
    CHECK(read(lexicon, "Discussed her rent and the arrears with the school, with her consent.").empty());
}

TEST_CASE("a relabel may replace the modifiers its phrase carries") {
    Lexicon lexicon = small_lexicon();
    TargetRule disagree = target("DISAGREE", "disagrees");
    disagree.sets = {"NEGATED"};
    lexicon.targets.push_back(disagree);
    lexicon.relabels = {relabel("DISAGREE", "CLIENT_VIEW", "recipient", 1, RelabelRule::Side::before), relabel("DISAGREE", "CLIENT_AGREEMENT", "*")};
    // Without its own sets, a relabel keeps the phrase's.
    CHECK(read(lexicon, "School disagrees.") == std::vector<std::string>{"CLIENT_VIEW NEGATED"});
    lexicon.relabels[0].sets = std::vector<std::string>{};
    CHECK(read(lexicon, "School disagrees.") == std::vector<std::string>{"CLIENT_VIEW"});
    // Only the relabel that applies replaces them.
    CHECK(read(lexicon, "She disagrees.") == std::vector<std::string>{"CLIENT_AGREEMENT NEGATED"});
    lexicon.relabels[0].sets = std::vector<std::string>{"UNCERTAIN"};
    CHECK(read(lexicon, "School disagrees.") == std::vector<std::string>{"CLIENT_VIEW UNCERTAIN"});
}

TEST_CASE("an inherit rule gives a statement the category of another statement of its sentence, across a terminator") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    ModifierRule exception = modifier("EXCEPTION", "emergency", Direction::bidirectional, 4);
    exception.applies_to = {"CONSENT_SHARE", "DISCLOSURE"};
    lexicon.modifiers.push_back(exception);
    const std::string text = "Report sent to the GP but consent to share waived in an emergency. Letter sent to the GP.";
    CHECK(read(lexicon, text) == std::vector<std::string>{"DISCLOSURE", "CONSENT_SHARE EXCEPTION", "DISCLOSURE"});
    lexicon.inherits = {{"EXCEPTION", "CONSENT_SHARE", "DISCLOSURE"}};
    // The second letter is in another sentence: the exception does not reach it.
    CHECK(read(lexicon, text) == std::vector<std::string>{"DISCLOSURE EXCEPTION", "CONSENT_SHARE EXCEPTION", "DISCLOSURE"});
}

TEST_CASE("a gendered subject pronoun stands for a relative of its gender when the sentence speaks of the other gender") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("CLIENT_VIEW", "wants"));
    lexicon.pronoun_subjects = {{"OTHER", {"CLIENT_VIEW"}, 2}};
    lexicon.word_classes[WordClass::subject_pronoun] = {"she", "he"};
    lexicon.word_classes[WordClass::feminine_pronoun] = {"she", "her"};
    lexicon.word_classes[WordClass::masculine_pronoun] = {"he", "him", "his"};
    lexicon.word_classes[WordClass::feminine_person] = {"wife"};
    lexicon.word_classes[WordClass::masculine_person] = {"son"};
    CHECK(read(lexicon, "His wife rang and she wants him home.") == std::vector<std::string>{"CLIENT_VIEW OTHER"});
    CHECK(read(lexicon, "His wife rang and she really wants him home.") == std::vector<std::string>{"CLIENT_VIEW OTHER"});
    // The client may share the relative's gender: then nothing says who the pronoun is.
    CHECK(read(lexicon, "Her wife rang and she wants to stay.") == std::vector<std::string>{"CLIENT_VIEW"});
    // A relative of the other gender is not the pronoun's.
    CHECK(read(lexicon, "Her son rang and she wants to stay.") == std::vector<std::string>{"CLIENT_VIEW"});
    // Too far from the statement, or in another clause, the pronoun is not its subject.
    CHECK(read(lexicon, "His wife rang and she said that at present he wants home.") == std::vector<std::string>{"CLIENT_VIEW"});
    CHECK(read(lexicon, "His wife rang and she, he wants home.") == std::vector<std::string>{"CLIENT_VIEW"});
}

TEST_CASE("a trigger that runs into a target modifies it only through leading words that are a trigger of their own") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("CONSENT_SHARE", "happy for us to share"));
    lexicon.targets.push_back(target("RISK_TO_SELF", "not eating"));
    lexicon.modifiers.push_back(modifier("NEGATED", "not happy", Direction::forward));
    lexicon.modifiers.push_back(modifier("NEGATED", "is not", Direction::forward));
    // "Not happy" overlaps the target, but its "not" is a trigger before it.
    CHECK(read(lexicon, "Not happy for us to share.") == std::vector<std::string>{"CONSENT_SHARE"});
    lexicon.modifiers.push_back(modifier("NEGATED", "not", Direction::forward));
    CHECK(read(lexicon, "Not happy for us to share.") == std::vector<std::string>{"CONSENT_SHARE NEGATED"});
    // "Is" of "is not" is no trigger: the negation belongs to the target's own words.
    CHECK(read(lexicon, "He is not eating.") == std::vector<std::string>{"RISK_TO_SELF"});
    // The words before the target need only begin with a trigger: "has not" of "has not been referred".
    lexicon.modifiers.push_back(modifier("NEGATED", "has not", Direction::forward));
    lexicon.modifiers.push_back(modifier("NEGATED", "has not been referred", Direction::backward, 6));
    CHECK(read(lexicon, "She has not been referred.") == std::vector<std::string>{"DECISION NEGATED"});
}

TEST_CASE("a trigger that closes its sentence counts only as the sentence's last words") {
    Lexicon lexicon = small_lexicon();
    ModifierRule answer = modifier("NEGATED", ": none", Direction::backward, 8);
    answer.closes_sentence = true;
    lexicon.modifiers.push_back(answer);
    CHECK(read(lexicon, "Risk to self: none.") == std::vector<std::string>{"RISK_TO_SELF NEGATED"});
    CHECK(read(lexicon, "Risk to self: none") == std::vector<std::string>{"RISK_TO_SELF NEGATED"});
    // Followed by more words, the same phrase is no answer.
    CHECK(read(lexicon, "Risk to self: none of the above applies.") == std::vector<std::string>{"RISK_TO_SELF"});
}

TEST_CASE("a trigger that opens and closes its sentence is the whole sentence and may answer the one before") {
    Lexicon lexicon = small_lexicon();
    ModifierRule answer = modifier("NEGATED", "none", Direction::backward);
    answer.opens_sentence = true;
    answer.closes_sentence = true;
    answer.reaches_previous_sentence = true;
    lexicon.modifiers.push_back(answer);
    CHECK(read(lexicon, "Any risk to self? None.") == std::vector<std::string>{"RISK_TO_SELF NEGATED"});
    // Not the whole sentence: no answer.
    CHECK(read(lexicon, "Any risk to self? None that she would say.") == std::vector<std::string>{"RISK_TO_SELF"});
    CHECK(read(lexicon, "Any risk to self? Her sister said none.") == std::vector<std::string>{"RISK_TO_SELF"});
}

TEST_CASE("an unbroken relabel takes no cue past a list joiner") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("CLIENT_AGREEMENT", "agreed"));
    lexicon.terms.push_back({"sharing", "shared", "shared", false, false});
    lexicon.word_classes[WordClass::list_joiner] = {"and", ","};
    lexicon.relabels = {relabel("CLIENT_AGREEMENT", "CONSENT_SHARE", "sharing", 3, RelabelRule::Side::after)};
    CHECK(read(lexicon, "She agreed it could be shared.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(read(lexicon, "She agreed and shared it.") == std::vector<std::string>{"CONSENT_SHARE"});
    lexicon.relabels.front().unbroken = true;
    CHECK(read(lexicon, "She agreed it could be shared.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(read(lexicon, "She agreed and shared it.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
    CHECK(read(lexicon, "She agreed, shared it.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
}

TEST_CASE("a consent given by the client and another person together is one statement for each of them") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("CLIENT_AGREEMENT", "agreed"));
    lexicon.terms.push_back({"joint-party", "both", "both", false, false});
    lexicon.modifiers.push_back(modifier("OTHER", "mum", Direction::forward, 4));
    CHECK(read(lexicon, "She and her mum both agreed.") == std::vector<std::string>{"CLIENT_AGREEMENT OTHER"});
    lexicon.joint_parties = {{"OTHER", {"CLIENT_AGREEMENT", "CONSENT_SHARE"}, "joint-party", 1}};
    // The client's statement loses the other person's OTHER, and the other's keeps it; each keeps its status.
    CHECK(read(lexicon, "She and her mum both agreed.") == std::vector<std::string>{"CLIENT_AGREEMENT", "CLIENT_AGREEMENT OTHER"});
    CHECK(read(lexicon, "Both consent to share not obtained.") == std::vector<std::string>{"CONSENT_SHARE NEGATED", "CONSENT_SHARE NEGATED OTHER"});
    // Too far from the statement, or of a label the rule does not list, nothing is doubled.
    CHECK(read(lexicon, "They both said that she agreed.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
    CHECK(read(lexicon, "Both were referred.") == std::vector<std::string>{"DECISION"});
}

TEST_CASE("a pro-form restates the nearest statement before it, with a status of its own") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("PRO_FORM", "do so"));
    lexicon.modifiers.push_back(modifier("FUTURE", "will", Direction::forward, 3));
    const std::string text = "Consent to share not obtained; will do so next week.";
    CHECK(read(lexicon, text) == std::vector<std::string>{"CONSENT_SHARE NEGATED", "PRO_FORM FUTURE"});
    lexicon.restates = {{"PRO_FORM", {"CONSENT_SHARE"}, {}}};
    // Not merged with its antecedent, although no terminator parts them: a restatement is a statement of its own.
    CHECK(read(lexicon, text) == std::vector<std::string>{"CONSENT_SHARE NEGATED", "CONSENT_SHARE FUTURE"});
    CHECK(read(lexicon, "Consent to share not obtained. Will do so next week.") ==
          std::vector<std::string>{"CONSENT_SHARE NEGATED", "CONSENT_SHARE FUTURE"});
    // Only the nearest statement, and only one of a listed label, is restated; else the pro-form is dropped.
    CHECK(read(lexicon, "Consent to share not obtained; referred to housing and will do so.") ==
          std::vector<std::string>{"CONSENT_SHARE NEGATED", "DECISION"});
    CHECK(read(lexicon, "Will do so next week.").empty());
    CHECK(read(lexicon, "Consent to share not obtained. Rang twice. Will do so next week.") == std::vector<std::string>{"CONSENT_SHARE NEGATED"});
}

TEST_CASE("a pro-form looks past the labels its rule passes over to the statement it restates") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("BUT_NOT", "but not"));
    lexicon.targets.back().sets = {"NEGATED"};
    lexicon.restates = {{"BUT_NOT", {"CONSENT_SHARE"}, {}}};
    const std::string text = "Consent to share, referred to the GP but not the school.";
    CHECK(read(lexicon, text) == std::vector<std::string>{"CONSENT_SHARE", "DECISION"});
    lexicon.restates = {{"BUT_NOT", {"CONSENT_SHARE"}, {"DECISION"}}};
    CHECK(read(lexicon, text) == std::vector<std::string>{"CONSENT_SHARE", "DECISION", "CONSENT_SHARE NEGATED"});
}

TEST_CASE("a trigger does not modify targets outside applies-to") {
    CHECK(read(small_lexicon(), "Risk to self because of debts.") == std::vector<std::string>{"RISK_TO_SELF"});
    CHECK(read(small_lexicon(), "Referred because of debts.") == std::vector<std::string>{"DECISION RATIONALE"});
}

TEST_CASE("a frame reaches what follows it past a terminator and into the next sentence, and no further") {
    Lexicon lexicon = small_lexicon();
    ModifierRule frame = modifier("EXCEPTION", "meeting held", Direction::forward);
    frame.applies_to = {"DECISION"};
    lexicon.modifiers.push_back(frame);
    CHECK(read(lexicon, "Meeting held but referred.") == std::vector<std::string>{"DECISION"});
    lexicon.modifiers.back().reaches_next_sentence = true;
    CHECK(read(lexicon, "Meeting held but referred.") == std::vector<std::string>{"DECISION EXCEPTION"});
    CHECK(read(lexicon, "Meeting held. Referred.") == std::vector<std::string>{"DECISION EXCEPTION"});
    CHECK(read(lexicon, "Meeting held. Seen at home. Referred.") == std::vector<std::string>{"DECISION"});
    CHECK(read(lexicon, "Referred. Meeting held.") == std::vector<std::string>{"DECISION"});
    CHECK(read(lexicon, "Referred but meeting held.") == std::vector<std::string>{"DECISION"});
}

TEST_CASE("a reason that opens the next sentence reaches the decision before it") {
    CHECK(read(small_lexicon(), "Referred on. This is because of rent arrears.") == std::vector<std::string>{"DECISION RATIONALE"});
    CHECK(read(small_lexicon(), "Referred on. Visit went well, and she was calm because of the news.") ==
          std::vector<std::string>{"DECISION"});
}

TEST_CASE("terminated_by ends a scope at a trigger of the listed category") {
    CHECK(read(small_lexicon(), "Pending review because consent to share is unclear.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(read(small_lexicon(), "Pending consent to share.") == std::vector<std::string>{"CONSENT_SHARE FUTURE"});
}

TEST_CASE("a terminator that ends only some categories leaves the others' scopes, and the clause, alone") {
    Lexicon lexicon = small_lexicon();
    ModifierRule own_consent = modifier("TERMINATE", "with her agreement", Direction::terminate);
    own_consent.ends = {"HISTORICAL"};
    lexicon.modifiers.push_back(own_consent);
    CHECK(read(lexicon, "History of risk to self, with her agreement consent to share.") == std::vector<std::string>{"RISK_TO_SELF HISTORICAL", "CONSENT_SHARE"});
    CHECK(read(lexicon, "No risk to self, with her agreement consent to share.") == std::vector<std::string>{"RISK_TO_SELF NEGATED", "CONSENT_SHARE NEGATED"});
    // Two phrases of one label with only such a terminator between them stay one statement.
    CHECK(read(lexicon, "Consent to share, with her agreement consent to share.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("a trigger that yields to a category leaves a statement that has it, from a cue or a heading, alone") {
    Lexicon lexicon = small_lexicon();
    ModifierRule month = modifier("HISTORICAL", "in may", Direction::bidirectional, 8);
    month.yields_to = {"FUTURE"};
    lexicon.modifiers.push_back(month);
    CHECK(read(lexicon, "Referred in May.") == std::vector<std::string>{"DECISION HISTORICAL"});
    CHECK(read(lexicon, "Pending consent to share in May.") == std::vector<std::string>{"CONSENT_SHARE FUTURE"});
    CHECK(read(lexicon, "Plan:\nReferred in May.") == std::vector<std::string>{"DECISION FUTURE"});
}

TEST_CASE("a trigger of the same category ends the earlier one's scope") {
    Lexicon lexicon = small_lexicon();
    lexicon.modifiers[0].max_targets = 1;
    CHECK(read(lexicon, "No risk to self or risk to others.") == std::vector<std::string>{"RISK_TO_SELF NEGATED", "RISK_TO_OTHERS"});
}

TEST_CASE("a trigger of the same category but other target types leaves another's scope alone") {
    Lexicon lexicon = small_lexicon();
    ModifierRule closure_reason = modifier("RATIONALE", "moved away", Direction::bidirectional, 20);
    closure_reason.applies_to = {"CLOSURE"};
    lexicon.modifiers.push_back(closure_reason);
    CHECK(read(lexicon, "Referred when she moved away because of debts.") == std::vector<std::string>{"DECISION RATIONALE"});
}

TEST_CASE("a section heading gives its modifier to everything under it") {
    CHECK(read(small_lexicon(), "Plan:\nConsent to share.\nReferred.") == std::vector<std::string>{"CONSENT_SHARE FUTURE", "DECISION FUTURE"});
    CHECK(read(small_lexicon(), "Plan to meet. Consent to share.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("a disclosure goes to each recipient listed after it, else to the nearest before it") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    const TextEngine engine(lexicon);
    const auto analysis = engine.analyse("Sent the report to the school and the GP. The GP was sent it.");
    REQUIRE(analysis.statements.size() == 3);
    CHECK(analysis.statements[0].recipient == "school");
    CHECK(analysis.statements[1].recipient == "gp");
    CHECK(analysis.statements[2].recipient == "gp");
    CHECK(analysis.statements[2].sentence == 1);
}

TEST_CASE("a recipient inside a relative clause is not another recipient of the disclosure") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    CHECK(recipients(lexicon, "Sent it to the school, which passes notes to the GP.") == std::vector<std::string>{"school"});
    CHECK(recipients(lexicon, "Sent it to the school, and the GP.") == std::vector<std::string>{"school", "gp"});
}

TEST_CASE("the agent of a passive sharing verb is where the information came from, not its recipient") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    CHECK(recipients(lexicon, "The texts were sent to us by her GP.") == std::vector<std::string>{"other"});
    CHECK(recipients(lexicon, "The plan was sent by the school to the GP.") == std::vector<std::string>{"gp"});
    CHECK(recipients(lexicon, "The GP was sent the plan.") == std::vector<std::string>{"gp"});
}

TEST_CASE("a passive informing verb tells its subject, whoever is named after it") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "told"));
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    const std::string told = "The GP was told that the school had called.";
    CHECK(recipients(lexicon, told) == std::vector<std::string>{"school"});
    lexicon.word_classes[WordClass::passive_auxiliary] = {"was", "were"};
    lexicon.word_classes[WordClass::informing_verb] = {"told"};
    CHECK(recipients(lexicon, told) == std::vector<std::string>{"gp"});
    // The subject of a passive verb whose object is the information is that information: the recipient follows.
    CHECK(recipients(lexicon, "The GP letter was sent to the school.") == std::vector<std::string>{"school"});
    // An active informing verb still tells whoever it names after it.
    CHECK(recipients(lexicon, "The GP told the school.") == std::vector<std::string>{"school"});
}

TEST_CASE("a pronoun told something is the client, or a recipient named earlier but not the verb's subject") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "updated"));
    CHECK(recipients(lexicon, "Updated him about the GP appointment.").empty());
    CHECK(recipients(lexicon, "Her GP updated her on the referral.").empty());
    CHECK(recipients(lexicon, "Called the GP today and updated him on the plan.") == std::vector<std::string>{"gp"});
    // "her" before a noun is possessive, and the recipient comes after.
    CHECK(recipients(lexicon, "Updated her school about the move.") == std::vector<std::string>{"school"});
}

TEST_CASE("a pronoun after a verb whose object is its topic is what was shared, and the recipient follows") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "discussed"));
    const std::string discussed = "Discussed him with the GP.";
    CHECK(recipients(lexicon, discussed).empty());
    lexicon.word_classes[WordClass::topic_verb] = {"discussed"};
    CHECK(recipients(lexicon, discussed) == std::vector<std::string>{"gp"});
}

TEST_CASE("the recipient rules read their grammar words from the lexicon's word classes") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    lexicon.targets.push_back(target("DISCLOSURE", "updated"));
    lexicon.word_classes[WordClass::agent_marker].clear();
    CHECK(recipients(lexicon, "The texts were sent to us by her GP.") == std::vector<std::string>{"gp"});
    lexicon.word_classes[WordClass::relative_pronoun].clear();
    CHECK(recipients(lexicon, "Sent it to the school, which passes notes to the GP.") == std::vector<std::string>{"school", "gp"});
    lexicon.word_classes[WordClass::list_joiner] = {"and"};
    CHECK(recipients(lexicon, "Sent it to the school, the GP.") == std::vector<std::string>{"school"});
    CHECK(recipients(lexicon, "Updated them about the GP appointment.") == std::vector<std::string>{"gp"});
    lexicon.word_classes[WordClass::object_pronoun].push_back("them");
    CHECK(recipients(lexicon, "Updated them about the GP appointment.").empty());
}

TEST_CASE("a recipient right before a document noun is whose document it is and receives nothing") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "sent"));
    const std::string letter = "Sent the GP letter to the school.";
    lexicon.word_classes[WordClass::document_noun].clear();
    CHECK(recipients(lexicon, letter) == std::vector<std::string>{"gp"});
    lexicon.word_classes[WordClass::document_noun] = {"letter"};
    CHECK(recipients(lexicon, letter) == std::vector<std::string>{"school"});
    // Only the word right after the recipient counts: a letter sent to the GP still goes to the GP.
    CHECK(recipients(lexicon, "Sent the GP a letter.") == std::vector<std::string>{"gp"});
}

TEST_CASE("the sentence splitter reads its abbreviations from the lexicon") {
    Lexicon lexicon = small_lexicon();
    CHECK(TextEngine(lexicon).analyse("Seen by Dr. Smith. Referred.").sentences.size() == 2);
    lexicon.word_classes[WordClass::no_break_after].clear();
    CHECK(TextEngine(lexicon).analyse("Seen by Dr. Smith. Referred.").sentences.size() == 3);
}

TEST_CASE("a target that opens a sentence counts only as the sentence's first words, past bullets") {
    Lexicon lexicon = small_lexicon();
    TargetRule imperative{"DECISION", "refer", "", {"FUTURE"}};
    imperative.opens_sentence = true;
    lexicon.targets.push_back(imperative);
    CHECK(read(lexicon, "Refer to OT.\n- Refer to the school.") == std::vector<std::string>{"DECISION FUTURE", "DECISION FUTURE"});
    CHECK(read(lexicon, "She asked us to refer her.").empty());
}

TEST_CASE("a consent suppresses the sharing verb of its own clause, but not one after a comma or a subject right after it") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "passed"));
    lexicon.targets.push_back(target("CONSENT_SHARE", "with her permission"));
    lexicon.suppressions.push_back(suppress({"DISCLOSURE"}, {"CONSENT_SHARE"}, 3));
    lexicon.word_classes[WordClass::clause_subject] = {"i"};
    CHECK(read(lexicon, "Consent to share passed on.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(read(lexicon, "With her permission, passed it to the GP.") == std::vector<std::string>{"CONSENT_SHARE", "DISCLOSURE"});
    CHECK(read(lexicon, "With her permission I passed it to the GP.") == std::vector<std::string>{"CONSENT_SHARE", "DISCLOSURE"});
    // Further on, the subject may belong inside the consent's clause ("consent to share what I passed on").
    CHECK(read(lexicon, "Consent to share what I passed on.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("a suppress rule that names several labels drops a statement of each, and no other") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("PRIVACY_INFO", "kept confidential unless"));
    lexicon.targets.push_back(target("RISK_TO_SELF", "risk to herself"));
    lexicon.targets.push_back(target("RISK_TO_OTHERS", "risk to others"));
    lexicon.targets.push_back(target("SAFEGUARDING", "harm"));
    lexicon.suppressions.push_back(suppress({"RISK_TO_SELF", "RISK_TO_OTHERS"}, {"PRIVACY_INFO"}, 14));
    CHECK(read(lexicon, "Notes kept confidential unless there is a risk to herself.") == std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(read(lexicon, "Notes kept confidential unless there is a risk to others.") == std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(read(lexicon, "Notes kept confidential unless there is harm.") == std::vector<std::string>{"PRIVACY_INFO", "SAFEGUARDING"});
}

TEST_CASE("further on in a consent's clause, only a non-finite sharing verb is what was consented to") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "told"));
    lexicon.targets.push_back(target("DISCLOSURE", "sharing"));
    lexicon.word_classes[WordClass::nonfinite_marker] = {"be", "being"};
    lexicon.suppressions.push_back(suppress({"DISCLOSURE"}, {"CONSENT_SHARE"}, 3, 10));
    CHECK(read(lexicon, "Consent to share for her GP being told about the fall.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(read(lexicon, "Consent to share for the support worker sharing her plan.") == std::vector<std::string>{"CONSENT_SHARE"});
    // A finite verb starts a disclosure of its own, and a verb beyond nonfinite-within is out of reach.
    CHECK(read(lexicon, "Consent to share obtained at the visit and told her GP.") == std::vector<std::string>{"CONSENT_SHARE", "DISCLOSURE"});
    CHECK(read(lexicon, "Consent to share for the two of them and her friends from the club being told.") ==
          std::vector<std::string>{"CONSENT_SHARE", "DISCLOSURE"});
    lexicon.suppressions.back().nonfinite_within = 0;
    CHECK(read(lexicon, "Consent to share for her GP being told about the fall.") == std::vector<std::string>{"CONSENT_SHARE", "DISCLOSURE"});
}

TEST_CASE("a suppress rule with only-with drops a statement that carries every listed category, and no other") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("DISCLOSURE", "shared with"));
    lexicon.targets.push_back(target("CONSENT_SHARE", "consent"));
    lexicon.modifiers.push_back(modifier("NEGATED", "without", Direction::forward, 3));
    lexicon.modifiers.push_back(modifier("EXCEPTION", "under a duty", Direction::backward, 2));
    lexicon.suppressions.push_back(suppress({"CONSENT_SHARE"}, {"DISCLOSURE"}, 14));
    lexicon.suppressions.back().only_with = {"NEGATED", "EXCEPTION"};
    CHECK(read(lexicon, "Shared with police without consent under a duty.") == std::vector<std::string>{"DISCLOSURE"});
    // One of the two categories alone is not enough.
    CHECK(read(lexicon, "Shared with police without consent.") == std::vector<std::string>{"DISCLOSURE", "CONSENT_SHARE NEGATED"});
    CHECK(read(lexicon, "Shared with police with her consent.") == std::vector<std::string>{"DISCLOSURE", "CONSENT_SHARE"});
    // A consent before the disclosure is not after it.
    CHECK(read(lexicon, "Without consent under a duty, shared with police.") == std::vector<std::string>{"CONSENT_SHARE EXCEPTION NEGATED", "DISCLOSURE"});
}

TEST_CASE("a bare closure takes its reason from the next sentence, unless that sentence is another action") {
    Lexicon lexicon = small_lexicon();
    lexicon.targets.push_back(target("CLOSURE", "case closed"));
    lexicon.sections.push_back({"outcome", "outcome", ""});
    lexicon.terms.push_back({"continuity", "will continue", "", false, false});
    lexicon.reasons_follow.push_back({"CLOSURE", {"DECISION"}, {"continuity"}, 1});
    CHECK(read(lexicon, "Case closed today. She has moved away.") == std::vector<std::string>{"CLOSURE RATIONALE"});
    CHECK(read(lexicon, "Case closed. Referred to the GP.") == std::vector<std::string>{"CLOSURE", "DECISION"});
    CHECK(read(lexicon, "Case closed. Her GP will continue to see her.") == std::vector<std::string>{"CLOSURE"});
    // Only a statement that is nearly all its sentence, and only a next sentence of the same section.
    CHECK(read(lexicon, "Case closed on the Monday morning. She has moved away.") == std::vector<std::string>{"CLOSURE"});
    CHECK(read(lexicon, "Case closed.\nOutcome:\nShe has moved away.") == std::vector<std::string>{"CLOSURE"});
    CHECK(read(lexicon, "Case closed.") == std::vector<std::string>{"CLOSURE"});
}

TEST_CASE("evidence spans are byte offsets into the original text") {
    const std::string text = "Zo\xC3\xAB: no risk to self.";
    const TextEngine engine(small_lexicon());
    const auto analysis = engine.analyse(text);
    REQUIRE(analysis.statements.size() == 1);
    CHECK(text.substr(analysis.statements[0].begin, analysis.statements[0].end - analysis.statements[0].begin) == "risk to self");
}
