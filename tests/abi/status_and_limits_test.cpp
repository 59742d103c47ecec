// Every status a host can meet, and every input limit, through the real ABI.
// Messages must locate the fault and never repeat the client's data.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

using casecheck_test::check;
using casecheck_test::create_engine;
using casecheck_test::good_note;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

// Client data planted in inputs; no message may contain it.
const std::string secret = "Zelda Secretname";

struct Fixture {
    casecheck::plugin plugin = casecheck_test::load_plugin();
    const casecheck_api& api = plugin.api();
    casecheck_engine* engine = nullptr;

    explicit Fixture(const std::string& config = "") {
        const auto created = create_engine(api, config, &engine);
        REQUIRE(created.status == CASECHECK_OK);
    }
    ~Fixture() { api.engine_destroy(engine); }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;
};

json note_with_secret() {
    json note = good_note();
    note["text"] = secret + " was seen at home.";
    return note;
}

}  // namespace

TEST_CASE("a valid request returns OK and a response document") {
    Fixture f;
    const auto outcome = check(f.api, f.engine, request_for(good_note()));
    REQUIRE(outcome.status == CASECHECK_OK);
    const auto response = outcome.json();
    CHECK(response.at("flavour") == "native");
    CHECK(response.at("records_checked") == 1);
    CHECK(response.at("prompts").empty());
}

TEST_CASE("null pointers are rejected with E_INVALID_ARGUMENT and never dereferenced") {
    Fixture f;
    char* out = nullptr;
    std::size_t length = 0;
    const std::string request = request_for(good_note());

    SECTION("check without an engine") {
        CHECK(f.api.check(nullptr, request.data(), request.size(), &out, &length) == CASECHECK_E_INVALID_ARGUMENT);
        CHECK(out == nullptr);
        CHECK(length == 0);
    }
    SECTION("check without somewhere to put the response") {
        CHECK(f.api.check(f.engine, request.data(), request.size(), nullptr, &length) == CASECHECK_E_INVALID_ARGUMENT);
        CHECK(f.api.check(f.engine, request.data(), request.size(), &out, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    }
    SECTION("check with a NULL request of non-zero length explains itself") {
        CHECK(f.api.check(f.engine, nullptr, 10, &out, &length) == CASECHECK_E_INVALID_ARGUMENT);
        REQUIRE(out != nullptr);
        CHECK(std::string(out, length).find("request_len") != std::string::npos);
        f.api.free_buffer(out);
    }
    SECTION("engine_create without somewhere to put the engine") {
        CHECK(f.api.engine_create("{}", 2, nullptr, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    }
    SECTION("engine_create with only one of the two error outputs") {
        casecheck_engine* engine = nullptr;
        CHECK(f.api.engine_create("{}", 2, &engine, &out, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
        CHECK(engine == nullptr);
    }
    SECTION("engine_create with a NULL configuration of non-zero length") {
        casecheck_engine* engine = nullptr;
        CHECK(f.api.engine_create(nullptr, 3, &engine, &out, &length) == CASECHECK_E_INVALID_ARGUMENT);
        CHECK(engine == nullptr);
        f.api.free_buffer(out);
    }
    SECTION("destroying and freeing NULL are harmless") {
        f.api.engine_destroy(nullptr);
        f.api.free_buffer(nullptr);
    }
}

TEST_CASE("malformed JSON is E_PARSE with its line and column") {
    Fixture f;
    const std::string request = "{\n  \"record\": {\"id\": \"n1\", \"kind\": \"note\", \"text\": \"" + secret + "\"\n  oops\n}";
    const auto outcome = check(f.api, f.engine, request);
    CHECK(outcome.status == CASECHECK_E_PARSE);
    CHECK(outcome.text.find("line 3, column 3") != std::string::npos);
    CHECK(outcome.text.find(secret) == std::string::npos);
    CHECK(outcome.text.find("oops") == std::string::npos);

    SECTION("an empty request says it is empty") {
        const auto empty = check(f.api, f.engine, "");
        CHECK(empty.status == CASECHECK_E_PARSE);
        CHECK(empty.text.find("empty") != std::string::npos);
    }
    SECTION("trailing content after the document is malformed") {
        CHECK(check(f.api, f.engine, request_for(good_note()) + " {}").status == CASECHECK_E_PARSE);
    }
}

TEST_CASE("invalid UTF-8 is E_ENCODING with its byte offset, line and column") {
    Fixture f;
    const std::string prefix = "{\"record\": {\"id\": \"n1\", \"kind\": \"note\",\n\"text\": \"" + secret + " ";
    const auto reject = [&](const std::string& bad_bytes) {
        const auto outcome = check(f.api, f.engine, prefix + bad_bytes + "\"}}");
        CHECK(outcome.status == CASECHECK_E_ENCODING);
        CHECK(outcome.text.find("byte " + std::to_string(prefix.size())) != std::string::npos);
        CHECK(outcome.text.find("line 2, column 27") != std::string::npos);
        CHECK(outcome.text.find(secret) == std::string::npos);
    };
    SECTION("a stray continuation byte") { reject("\x80"); }
    SECTION("a truncated sequence") { reject("\xE2\x82"); }
    SECTION("an overlong encoding of '/'") { reject("\xC0\xAF"); }
    SECTION("a UTF-16 surrogate") { reject("\xED\xA0\x80"); }
    SECTION("a code point above U+10FFFF") { reject("\xF4\x90\x80\x80"); }
    SECTION("a byte that never occurs in UTF-8") { reject("\xFF"); }

    SECTION("valid multi-byte text is accepted and counted as characters") {
        json note = good_note();
        note["text"] = "Zo\u00eb attended with her interpreter \u2014 \U0001F600";
        CHECK(check(f.api, f.engine, request_for(note)).status == CASECHECK_OK);
    }
}

TEST_CASE("a request over max_request_bytes is E_LIMIT naming the limit") {
    SECTION("the default limit is 16 MiB") {
        Fixture f;
        json note = good_note();
        note["text"] = std::string(16u * 1024u * 1024u, 'a');
        const auto outcome = check(f.api, f.engine, request_for(note));
        CHECK(outcome.status == CASECHECK_E_LIMIT);
        CHECK(outcome.text.find("max_request_bytes (16777216)") != std::string::npos);
    }
    SECTION("a configured limit applies, and a request at exactly the limit passes") {
        const std::string request = request_for(good_note());
        Fixture exact(json{{"limits", {{"max_request_bytes", request.size()}}}}.dump());
        CHECK(check(exact.api, exact.engine, request).status == CASECHECK_OK);
        Fixture below(json{{"limits", {{"max_request_bytes", request.size() - 1}}}}.dump());
        const auto outcome = check(below.api, below.engine, request);
        CHECK(outcome.status == CASECHECK_E_LIMIT);
        CHECK(outcome.text.find("max_request_bytes (" + std::to_string(request.size() - 1) + ")") != std::string::npos);
    }
}

TEST_CASE("JSON nested deeper than max_depth is E_LIMIT with its position") {
    const auto nested = [](std::size_t depth) {
        // {"record": <note>, "x": [[[...]]]}: the note is at depth 2, the arrays go deeper.
        std::string arrays = std::string(depth - 1, '[') + std::string(depth - 1, ']');
        json note = good_note();
        std::string request = R"({"record": )" + note.dump() + R"(, "x": )" + arrays + "}";
        return request;
    };
    SECTION("the default limit is 64") {
        Fixture f;
        CHECK(check(f.api, f.engine, nested(64)).status == CASECHECK_OK);
        const auto outcome = check(f.api, f.engine, nested(65));
        CHECK(outcome.status == CASECHECK_E_LIMIT);
        CHECK(outcome.text.find("max_depth (64)") != std::string::npos);
        CHECK(outcome.text.find("line 1, column") != std::string::npos);
    }
    SECTION("a configured limit applies") {
        Fixture f(R"({"limits": {"max_depth": 8}})");
        CHECK(check(f.api, f.engine, nested(8)).status == CASECHECK_OK);
        CHECK(check(f.api, f.engine, nested(9)).status == CASECHECK_E_LIMIT);
    }
    SECTION("brackets inside strings do not count") {
        Fixture f(R"({"limits": {"max_depth": 4}})");
        json note = good_note();
        note["text"] = std::string(100, '[') + "\\\"{{{";
        CHECK(check(f.api, f.engine, request_for(note)).status == CASECHECK_OK);
    }
    SECTION("a hostile depth far beyond the limit is refused before parsing") {
        Fixture f;
        const auto outcome = check(f.api, f.engine, std::string(1'000'000, '['));
        CHECK(outcome.status == CASECHECK_E_LIMIT);
    }
}

TEST_CASE("a record without an id or kind is E_SCHEMA naming the path") {
    Fixture f;
    const auto rejected = [&](json request, const std::string& path) {
        const auto outcome = check(f.api, f.engine, request.dump());
        CHECK(outcome.status == CASECHECK_E_SCHEMA);
        CHECK(outcome.text.find(path) != std::string::npos);
        CHECK(outcome.text.find(secret) == std::string::npos);
        return outcome.text;
    };
    json note = note_with_secret();

    SECTION("missing id") {
        note.erase("id");
        CHECK(rejected({{"record", note}}, "/record/id").find("missing") != std::string::npos);
    }
    SECTION("empty id") {
        note["id"] = "";
        rejected({{"record", note}}, "/record/id");
    }
    SECTION("missing kind") {
        note.erase("kind");
        rejected({{"record", note}}, "/record/kind");
    }
    SECTION("unknown kind") {
        note["kind"] = secret;
        rejected({{"record", note}}, "/record/kind");
    }
    SECTION("a context record without an id") {
        json context_note = note_with_secret();
        context_note.erase("id");
        rejected({{"record", note}, {"context", json::array({good_note(), context_note})}}, "/context/1/id");
    }
    SECTION("a field of the wrong type") {
        note["recorded"] = 20260302;
        rejected({{"record", note}}, "/record/recorded");
    }
    SECTION("a date-time without a UTC offset") {
        note["recorded"] = "2026-03-02T15:00:00";
        rejected({{"record", note}}, "/record/recorded");
    }
    SECTION("a leap second") {
        note["occurred"] = "2016-12-31T23:59:60Z";
        rejected({{"record", note}}, "/record/occurred");
    }
    SECTION("a nested field of the wrong type") {
        note["author"]["role"] = json::array({secret});
        rejected({{"record", note}}, "/record/author/role");
    }
    SECTION("neither record nor records") { rejected({{"context", json::array()}}, "record"); }
    SECTION("a request that is not an object") { rejected(json::array({note}), "request /"); }
}

TEST_CASE("in a batch a bad record is reported and the rest are checked") {
    Fixture f;
    json late = good_note();
    late["id"] = "note-late";
    late["recorded"] = "2026-03-09T10:00:00Z";
    json bad = note_with_secret();
    bad.erase("kind");
    const auto outcome = check(f.api, f.engine,
                               json{{"records", json::array({good_note(), bad, late})}, {"context", {casecheck_test::engage_consent()}}}.dump());
    REQUIRE(outcome.status == CASECHECK_OK);
    const auto response = outcome.json();
    CHECK(response.at("records_checked") == 2);
    REQUIRE(response.at("rejected").size() == 1);
    CHECK(response.at("rejected")[0].at("index") == 1);
    CHECK(response.at("rejected")[0].at("path") == "/records/1/kind");
    CHECK(response.at("rejected")[0].at("status") == "E_SCHEMA");
    CHECK(response.at("rejected")[0].at("message").get<std::string>().find(secret) == std::string::npos);
    REQUIRE(response.at("prompts").size() == 1);
    CHECK(response.at("prompts")[0].at("record") == "note-late");
}

TEST_CASE("an unserved response flavour is E_VERSION") {
    Fixture f;
    const auto outcome = check(f.api, f.engine, json{{"record", good_note()}, {"flavour", "pdf"}}.dump());
    CHECK(outcome.status == CASECHECK_E_VERSION);
    CHECK(outcome.text.find("/flavour") != std::string::npos);
    for (const char* served : {"native", "cds-hooks", "fhir"}) {
        CHECK(check(f.api, f.engine, json{{"record", good_note()}, {"flavour", served}}.dump()).status == CASECHECK_OK);
    }
}

TEST_CASE("engine_create rejects a bad configuration with E_CONFIG and its path") {
    const auto plugin = casecheck_test::load_plugin();
    const auto& api = plugin.api();
    const auto rejected = [&](const std::string& config, casecheck_status status, const std::string& path) {
        int sentinel = 0;
        casecheck_engine* engine = reinterpret_cast<casecheck_engine*>(&sentinel);  // must be overwritten with NULL
        const auto outcome = create_engine(api, config, &engine);
        CHECK(outcome.status == status);
        CHECK(engine == nullptr);
        CHECK(outcome.text.find(path) != std::string::npos);
    };
    SECTION("an unknown top-level key") { rejected(R"({"as_of": "2026-01-01T00:00:00Z", "colour": 1})", CASECHECK_E_CONFIG, "/colour"); }
    SECTION("an unknown limit") { rejected(R"({"limits": {"max_dept": 10}})", CASECHECK_E_CONFIG, "/limits/max_dept"); }
    SECTION("an unknown criterion") { rejected(R"({"parameters": {"RK-99": {}}})", CASECHECK_E_CONFIG, "/parameters/RK-99"); }
    SECTION("an unknown parameter") {
        rejected(R"({"parameters": {"RK-01": {"late_after": "PT1H"}}})", CASECHECK_E_CONFIG, "/parameters/RK-01/late_after");
    }
    SECTION("a malformed duration") {
        rejected(R"({"parameters": {"RK-01": {"late_warning_after": "24 hours"}}})", CASECHECK_E_CONFIG,
                 "/parameters/RK-01/late_warning_after");
    }
    SECTION("a calendar duration whose length is not fixed") {
        rejected(R"({"parameters": {"RK-01": {"late_warning_after": "P1M"}}})", CASECHECK_E_CONFIG,
                 "/parameters/RK-01/late_warning_after");
    }
    SECTION("thresholds in the wrong order") {
        rejected(R"({"parameters": {"RK-01": {"late_warning_after": "PT48H", "late_critical_after": "PT24H"}}})",
                 CASECHECK_E_CONFIG, "/parameters/RK-01");
    }
    SECTION("a limit out of range") { rejected(R"({"limits": {"max_depth": 1}})", CASECHECK_E_CONFIG, "/limits/max_depth"); }
    SECTION("a negative limit") { rejected(R"({"limits": {"max_request_bytes": -5}})", CASECHECK_E_CONFIG, "/limits/max_request_bytes"); }
    SECTION("an as-of time that is only a date") { rejected(R"({"as_of": "2026-01-01"})", CASECHECK_E_CONFIG, "/as_of"); }
    SECTION("a configuration that is not an object") { rejected("[]", CASECHECK_E_CONFIG, "configuration /"); }
    SECTION("a malformed configuration") { rejected("{\"as_of\": ", CASECHECK_E_PARSE, "line 1"); }
    SECTION("a configuration that is not UTF-8") { rejected("{\"as_of\": \"\xFF\"}", CASECHECK_E_ENCODING, "byte 11"); }
    SECTION("a configuration nested too deep") {
        rejected(R"({"parameters": )" + std::string(70, '[') + std::string(70, ']') + "}", CASECHECK_E_LIMIT, "max_depth");
    }
}

TEST_CASE("an empty configuration selects the defaults") {
    const auto plugin = casecheck_test::load_plugin();
    casecheck_engine* engine = nullptr;
    CHECK(plugin.api().engine_create(nullptr, 0, &engine, nullptr, nullptr) == CASECHECK_OK);
    CHECK(engine != nullptr);
    plugin.api().engine_destroy(engine);
}
