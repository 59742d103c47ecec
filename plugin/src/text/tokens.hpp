// Tokens and sentences of a note's text. Offsets are bytes into the original
// UTF-8, so evidence spans point at exactly what the clinician wrote.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace casecheck::text {

enum class TokenKind { word, number, punctuation };

// One token: where it is, and its matching form (ASCII lower case, curly quotes straightened).
struct Token {
    std::size_t begin = 0;
    std::size_t end = 0;
    TokenKind kind = TokenKind::word;
    std::string norm;
    bool starts_line = false;   // first token of its line
    bool after_blank_line = false;
};

// A sentence as a half-open range of token indexes.
struct Sentence {
    std::size_t first = 0;
    std::size_t last = 0;  // one past the end
};

// Splits text into words, numbers (dates, times and decimals stay whole: "03/02/2024",
// "2.5") and single punctuation marks. Inner hyphens, slashes and apostrophes keep a
// word whole ("self-harm", "h/o", "client's"); dotted initialisms stay one token ("q.d.").
std::vector<Token> tokenize(std::string_view text);

// Splits tokens into sentences. A full stop ends a sentence unless it follows an initial
// or a word of `no_break_after` (titles and abbreviations, in normal form, from the
// lexicon); a line that starts with a capital, a bullet or a number item, a blank line,
// and a line ending in a colon (a heading) also end one.
std::vector<Sentence> split_sentences(std::string_view text, const std::vector<Token>& tokens, const std::vector<std::string>& no_break_after);

}  // namespace casecheck::text
