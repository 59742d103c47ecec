// Positions in input text, the way a person finds them in an editor.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace casecheck::model {

// "line L, column C" of a byte offset in UTF-8 text: 1-based, columns counted in characters.
std::string text_position(std::string_view text, std::size_t offset);

}  // namespace casecheck::model
