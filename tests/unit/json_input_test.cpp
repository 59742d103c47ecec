// The input gate: size, UTF-8, depth and syntax, in that order.
#include "json_input.hpp"

#include <catch2/catch.hpp>

using casecheck::InputLimits;
using casecheck::parse_json_input;

TEST_CASE("a well-formed document within limits parses") {
    const auto result = parse_json_input(R"({"a": [1, {"b": "\u00e9"}]})", InputLimits{}, "request");
    REQUIRE(result.ok());
    CHECK(result.value()["a"][1]["b"] == "\u00e9");
}

TEST_CASE("the size limit is checked before anything else") {
    const auto result = parse_json_input("\xFF\xFF\xFF", InputLimits{2, 64}, "request");
    REQUIRE_FALSE(result.ok());
    CHECK(result.failure().status == CASECHECK_E_LIMIT);
}

TEST_CASE("invalid UTF-8 is located by line and character column") {
    const auto result = parse_json_input("[[[\"\xC3\xA9\xC3\xA9\xFF\"]]]", InputLimits{100, 8}, "request");
    REQUIRE_FALSE(result.ok());
    CHECK(result.failure().status == CASECHECK_E_ENCODING);
    CHECK(result.failure().message == "request is not valid UTF-8 at line 1, column 7 (byte 8)");
}

TEST_CASE("one pass reports whichever of bad UTF-8 and excess depth comes first") {
    const auto deep_first = parse_json_input("[[[\"\xFF\"]]]", InputLimits{100, 2}, "request");
    CHECK(deep_first.failure().status == CASECHECK_E_LIMIT);
    const auto encoding_first = parse_json_input("[\"\xFF\", [[1]]]", InputLimits{100, 2}, "request");
    CHECK(encoding_first.failure().status == CASECHECK_E_ENCODING);
}

TEST_CASE("depth counts only brackets outside strings, escaped quotes included") {
    CHECK(parse_json_input(R"(["[[[\"[[[", {"x": "]]]"}])", InputLimits{100, 2}, "request").ok());
    const auto result = parse_json_input("{\n \"a\": [[1]]}", InputLimits{100, 2}, "configuration");
    REQUIRE_FALSE(result.ok());
    CHECK(result.failure().status == CASECHECK_E_LIMIT);
    CHECK(result.failure().message ==
          "configuration nests deeper than the limit max_depth (2) at line 2, column 8 (byte 9)");
}

TEST_CASE("syntax errors report where they are and nothing of the text") {
    const auto result = parse_json_input("{\"secret\": tru}", InputLimits{}, "request");
    REQUIRE_FALSE(result.ok());
    CHECK(result.failure().status == CASECHECK_E_PARSE);
    CHECK(result.failure().message.find("line 1, column") != std::string::npos);
    CHECK(result.failure().message.find("secret") == std::string::npos);
    CHECK(result.failure().message.find("tru") == std::string::npos);
}
