#include "text/tokens.hpp"

#include <algorithm>

namespace casecheck::text {
namespace {

bool is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
// Bytes of a multi-byte UTF-8 sequence count as letters: names and words in any script stay whole.
bool is_word_byte(unsigned char c) { return is_ascii_letter(c) || is_digit(c) || c >= 0x80; }
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// U+2019 RIGHT SINGLE QUOTATION MARK, the apostrophe word processors type.
bool curly_apostrophe_at(std::string_view text, std::size_t i) {
    return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
           static_cast<unsigned char>(text[i + 2]) == 0x99;
}

// Other multi-byte punctuation that must not glue words together: dashes, quotes, bullets, ellipsis.
std::size_t punctuation_sequence_at(std::string_view text, std::size_t i) {
    if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xE2) return 0;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if (b1 == 0x80 && b2 >= 0x90 && b2 <= 0xA6 && b2 != 0x99) return 3;  // dashes, quotes, bullet, ellipsis
    return 0;
}

std::string normalise(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (curly_apostrophe_at(raw, i)) {
            out += '\'';
            i += 2;
            continue;
        }
        const char c = raw[i];
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

// Clinical shorthand joins single letters with a slash ("h/o", "c/o", "d/c"); longer words joined by one are
// two words written as alternatives ("SI/HI", "and/or"), each of which a phrase must be able to match alone.
bool slash_joins(std::string_view text, std::size_t segment_begin, std::size_t slash) {
    const bool one_letter_before = slash - segment_begin == 1;
    const bool one_letter_after = slash + 2 >= text.size() || !is_word_byte(static_cast<unsigned char>(text[slash + 2]));
    return one_letter_before || one_letter_after;
}

// The end of a word starting at i: word bytes, joined by inner ' - when a word byte follows, and by a slash
// between shorthand letters.
std::size_t word_end(std::string_view text, std::size_t i) {
    std::size_t segment_begin = i;
    while (i < text.size()) {
        if (punctuation_sequence_at(text, i) != 0) break;
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_word_byte(c)) {
            ++i;
        } else if ((c == '\'' || c == '-' || c == '/') && i + 1 < text.size() && is_word_byte(static_cast<unsigned char>(text[i + 1])) &&
                   punctuation_sequence_at(text, i + 1) == 0) {
            if (c == '/' && !slash_joins(text, segment_begin, i)) break;
            if (c == '/') segment_begin = i + 1;
            i += 1;
        } else if (curly_apostrophe_at(text, i) && i + 3 < text.size() && is_ascii_letter(static_cast<unsigned char>(text[i + 3]))) {
            i += 3;
        } else {
            break;
        }
    }
    return i;
}

// The end of a number starting at i: digits joined by . / : - , when a digit follows ("03/02/2024", "10:30", "2.5").
std::size_t number_end(std::string_view text, std::size_t i) {
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_digit(c)) {
            ++i;
        } else if ((c == '.' || c == '/' || c == ':' || c == '-' || c == ',') && i + 1 < text.size() &&
                   is_digit(static_cast<unsigned char>(text[i + 1]))) {
            ++i;
        } else {
            break;
        }
    }
    return i;
}

// "q.d.", "e.g.", "a.m.": single letters each followed by a full stop, at least two of them.
std::size_t initialism_end(std::string_view text, std::size_t i) {
    std::size_t end = i;
    int letters = 0;
    while (end + 1 < text.size() && is_ascii_letter(static_cast<unsigned char>(text[end])) && text[end + 1] == '.') {
        end += 2;
        ++letters;
    }
    return letters >= 2 ? end : i;
}

// An initial, or a listed abbreviation: a full stop right after it does not end the sentence.
bool is_no_break_word(const Token& token, const std::vector<std::string>& no_break_after) {
    if (token.kind != TokenKind::word) return false;
    if (token.norm.size() == 1 && is_ascii_letter(static_cast<unsigned char>(token.norm[0]))) return true;
    return std::find(no_break_after.begin(), no_break_after.end(), token.norm) != no_break_after.end();
}

bool is_bullet(const Token& token) {
    return token.norm == "-" || token.norm == "*" || token.norm == "\xE2\x80\xA2" || token.norm == "\xE2\x80\x93";
}

bool starts_upper_or_digit(std::string_view text, const Token& token) {
    const auto c = static_cast<unsigned char>(text[token.begin]);
    return (c >= 'A' && c <= 'Z') || is_digit(c) || c >= 0x80 || c == '"' || c == '(';
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    tokens.reserve(text.size() / 5 + 4);
    bool line_start = true;
    int newlines = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            line_start = true;
            ++newlines;
            ++i;
            continue;
        }
        if (is_space(c)) {
            ++i;
            continue;
        }
        Token token;
        token.begin = i;
        if (const std::size_t length = punctuation_sequence_at(text, i)) {
            token.kind = TokenKind::punctuation;
            token.end = i + length;
        } else if (is_digit(c)) {
            token.kind = TokenKind::number;
            token.end = number_end(text, i);
            // "10mg", "3rd": letters glued to a number stay with it, as clinicians write them.
            if (token.end < text.size() && is_ascii_letter(static_cast<unsigned char>(text[token.end]))) token.end = word_end(text, token.end);
        } else if (is_word_byte(c)) {
            token.kind = TokenKind::word;
            token.end = initialism_end(text, i);
            if (token.end == i) token.end = word_end(text, i);
        } else {
            token.kind = TokenKind::punctuation;
            token.end = i + 1;
        }
        token.norm = normalise(text.substr(token.begin, token.end - token.begin));
        token.starts_line = line_start;
        token.after_blank_line = newlines >= 2;
        line_start = false;
        newlines = 0;
        i = token.end;
        tokens.push_back(std::move(token));
    }
    return tokens;
}

std::vector<Sentence> split_sentences(std::string_view text, const std::vector<Token>& tokens, const std::vector<std::string>& no_break_after) {
    std::vector<Sentence> sentences;
    std::size_t first = 0;
    const auto close = [&](std::size_t end) {
        if (end > first) sentences.push_back({first, end});
        first = end;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (i > first && token.starts_line) {
            const Token& previous = tokens[i - 1];
            const bool heading_before = previous.norm == ":";
            if (token.after_blank_line || heading_before || is_bullet(token) || starts_upper_or_digit(text, token)) close(i);
        }
        const bool stop = token.norm == "." || token.norm == "!" || token.norm == "?" || token.norm == "\xE2\x80\xA6";
        if (!stop) continue;
        // Swallow closing quotes and brackets, and runs such as "?!" or "...".
        std::size_t end = i + 1;
        while (end < tokens.size() && tokens[end].begin == tokens[end - 1].end &&
               (tokens[end].norm == "." || tokens[end].norm == "!" || tokens[end].norm == "?" || tokens[end].norm == ")" ||
                tokens[end].norm == "\"" || tokens[end].norm == "'" || tokens[end].norm == "\xE2\x80\x9D")) {
            ++end;
        }
        if (end >= tokens.size()) break;
        const bool after_abbreviation = token.norm == "." && i > first && tokens[i - 1].end == token.begin && is_no_break_word(tokens[i - 1], no_break_after);
        const Token& next = tokens[end];
        if (!after_abbreviation && (next.starts_line || starts_upper_or_digit(text, next) || is_bullet(next))) {
            close(end);
        } else if (after_abbreviation && next.starts_line) {
            close(end);
        }
        i = end - 1;
    }
    close(tokens.size());
    return sentences;
}

}  // namespace casecheck::text
