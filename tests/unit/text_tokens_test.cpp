#include "text/tokens.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using casecheck::text::split_sentences;
using casecheck::text::tokenize;
using casecheck::text::TokenKind;

namespace {

std::vector<std::string> norms(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& token : tokenize(text)) out.push_back(token.norm);
    return out;
}

// Titles after which a full stop goes on; the lexicon supplies the real list.
const std::vector<std::string> titles = {"dr", "mr"};

std::vector<std::string> sentences(const std::string& text, const std::vector<std::string>& no_break_after = titles) {
    const auto tokens = tokenize(text);
    std::vector<std::string> out;
    for (const auto& sentence : split_sentences(text, tokens, no_break_after)) {
        out.push_back(text.substr(tokens[sentence.first].begin, tokens[sentence.last - 1].end - tokens[sentence.first].begin));
    }
    return out;
}

}  // namespace

TEST_CASE("tokens keep inner hyphens, slashes and apostrophes and lower-case ASCII") {
    CHECK(norms("Self-harm h/o the Client's GP") == std::vector<std::string>{"self-harm", "h/o", "the", "client's", "gp"});
    CHECK(norms("Client\xE2\x80\x99s view") == std::vector<std::string>{"client's", "view"});
}

TEST_CASE("a slash joins shorthand letters, but splits longer words written as alternatives") {
    CHECK(norms("c/o d/c w/c s/p") == std::vector<std::string>{"c/o", "d/c", "w/c", "s/p"});
    CHECK(norms("Denies SI/HI and/or AVH") == std::vector<std::string>{"denies", "si", "/", "hi", "and", "/", "or", "avh"});
    CHECK(norms("SI/HI/AVH") == std::vector<std::string>{"si", "/", "hi", "/", "avh"});
}

TEST_CASE("dates, times, decimals and doses stay one token") {
    CHECK(norms("on 03/02/2024 at 10:30 took 2.5 tabs, 10mg") ==
          std::vector<std::string>{"on", "03/02/2024", "at", "10:30", "took", "2.5", "tabs", ",", "10mg"});
    CHECK(tokenize("03/02/2024")[0].kind == TokenKind::number);
}

TEST_CASE("dotted initialisms are one token and punctuation stands alone") {
    CHECK(norms("Give q.d. (e.g. mornings); done.") ==
          std::vector<std::string>{"give", "q.d.", "(", "e.g.", "mornings", ")", ";", "done", "."});
}

TEST_CASE("token offsets are bytes of the original text, beyond multi-byte characters") {
    const std::string text = "Zo\xC3\xAB consented.";
    const auto tokens = tokenize(text);
    REQUIRE(tokens.size() == 3);
    CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Zo\xC3\xAB");
    CHECK(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin) == "consented");
}

TEST_CASE("a full stop ends a sentence but not after a title, an initial or a decimal") {
    CHECK(sentences("Seen by Dr. Patel today. Consent given.") == std::vector<std::string>{"Seen by Dr. Patel today.", "Consent given."});
    CHECK(sentences("Letter from J. Smith received. Filed.") == std::vector<std::string>{"Letter from J. Smith received.", "Filed."});
    CHECK(sentences("Weight 62.5 kg. Stable.") == std::vector<std::string>{"Weight 62.5 kg.", "Stable."});
    CHECK(sentences("Seen on 03.02.2024. Next visit in May.") == std::vector<std::string>{"Seen on 03.02.2024.", "Next visit in May."});
}

TEST_CASE("a full stop after a word not in the no-break list ends the sentence") {
    CHECK(sentences("Seen by Dr. Patel today.", {}) == std::vector<std::string>{"Seen by Dr.", "Patel today."});
    CHECK(sentences("Reviewed approx. Three weeks ago.") == std::vector<std::string>{"Reviewed approx.", "Three weeks ago."});
    CHECK(sentences("Reviewed approx. Three weeks ago.", {"approx"}) == std::vector<std::string>{"Reviewed approx. Three weeks ago."});
}

TEST_CASE("a lower-case word after a full stop continues the sentence") {
    CHECK(sentences("Takes meds e.g. sertraline daily.") == std::vector<std::string>{"Takes meds e.g. sertraline daily."});
}

TEST_CASE("list items, headings and blank lines end sentences without punctuation") {
    CHECK(sentences("Plan:\n- refer to OT\n- review in 2 weeks") == std::vector<std::string>{"Plan:", "- refer to OT", "- review in 2 weeks"});
    CHECK(sentences("Seen at home\nConsent confirmed") == std::vector<std::string>{"Seen at home", "Consent confirmed"});
    CHECK(sentences("Discussed housing options and\nbenefits with her.") == std::vector<std::string>{"Discussed housing options and\nbenefits with her."});
    CHECK(sentences("first part\n\nsecond part") == std::vector<std::string>{"first part", "second part"});
}

TEST_CASE("question and exclamation marks end sentences, with closing quotes kept") {
    CHECK(sentences("She asked \"why me?\" Then left!") == std::vector<std::string>{"She asked \"why me?\"", "Then left!"});
}

TEST_CASE("empty and blank text has no tokens and no sentences") {
    CHECK(tokenize("").empty());
    CHECK(sentences("  \n\t ").empty());
}
