// The audit through the real ABI (1.2): statuses, ownership, merging, and audits
// running side by side on one engine.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <thread>
#include <vector>

using casecheck_test::load_plugin;
using nlohmann::json;

namespace {

const char* const config = R"({"as_of": "2026-06-30T12:00:00Z"})";

std::string case_line(int i) {
    json note = casecheck_test::good_note();
    note["id"] = "note-" + std::to_string(i);
    note["client"] = "client-" + std::to_string(i);
    if (i % 3 == 0) note["recorded"] = "2026-03-06T15:00:00Z";  // four days late: an RK-01 finding
    json consent = casecheck_test::engage_consent();
    consent["id"] = "consent-" + std::to_string(i);
    consent["client"] = note["client"];
    return json{{"case", "case-" + std::to_string(i)}, {"team", i % 2 == 0 ? "East" : "West"}, {"records", {note, consent}}}.dump() + "\n";
}

std::string lines(int from, int to) {
    std::string text;
    for (int i = from; i < to; ++i) text += case_line(i);
    return text;
}

std::string finish(const casecheck_api& api, const casecheck_audit* audit, const std::string& format, casecheck_status expected = CASECHECK_OK) {
    char* out = nullptr;
    std::size_t length = 0;
    const casecheck_status status = api.audit_finish(audit, format.data(), format.size(), &out, &length);
    CHECK(status == expected);
    std::string text(out == nullptr ? "" : out, length);
    api.free_buffer(out);
    return text;
}

}  // namespace

TEST_CASE("the 1.2 table carries the audit functions") {
    const auto plugin = load_plugin();
    const casecheck_api& api = plugin.api();
    CHECK(api.abi_minor >= 2);
    CHECK(CASECHECK_API_HAS(&api, audit_destroy));
    CHECK(api.audit_begin != nullptr);
    CHECK(api.audit_add != nullptr);
    CHECK(api.audit_merge != nullptr);
    CHECK(api.audit_merge_state != nullptr);
    CHECK(api.audit_finish != nullptr);
}

TEST_CASE("an audit through the raw ABI reports every case it was given") {
    const auto plugin = load_plugin();
    const casecheck_api& api = plugin.api();
    casecheck_engine* engine = nullptr;
    REQUIRE(casecheck_test::create_engine(api, config, &engine).status == CASECHECK_OK);

    casecheck_audit* audit = nullptr;
    REQUIRE(api.audit_begin(engine, nullptr, 0, &audit, nullptr, nullptr) == CASECHECK_OK);
    const std::string input = lines(0, 30);
    const std::string source = "cases.ndjson";
    // Chunks end at line ends; the last line of a chunk needs no newline.
    const auto cut = input.find('\n', input.size() / 2);
    CHECK(api.audit_add(audit, input.data(), cut, source.data(), source.size(), 1) == CASECHECK_OK);
    CHECK(api.audit_add(audit, input.data() + cut + 1, input.size() - cut - 1, source.data(), source.size(), 16) == CASECHECK_OK);
    const std::string first_report = finish(api, audit, "json");
    const json report = json::parse(first_report);
    CHECK(report["input"]["cases"] == 30);
    CHECK(report["input"]["records"] == 60);
    CHECK(report["input"]["rejected_lines"] == 0);
    for (const auto& criterion : report["criteria"]) {
        if (criterion["id"] != "RK-01") continue;
        CHECK(criterion["denominator"] == 30);
        CHECK(criterion["numerator"] == 20);
    }
    // Finishing does not end the audit: it can go on and be rendered again.
    CHECK(api.audit_add(audit, "", 0, nullptr, 0, 1) == CASECHECK_OK);
    CHECK(finish(api, audit, "json") == first_report);
    api.audit_destroy(audit);
    api.engine_destroy(engine);
}

TEST_CASE("the audit functions refuse bad arguments with a status, never a crash") {
    const auto plugin = load_plugin();
    const casecheck_api& api = plugin.api();
    casecheck_engine* engine = nullptr;
    REQUIRE(casecheck_test::create_engine(api, config, &engine).status == CASECHECK_OK);
    casecheck_audit* audit = nullptr;
    char* message = nullptr;
    std::size_t length = 0;

    CHECK(api.audit_begin(nullptr, nullptr, 0, &audit, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_begin(engine, nullptr, 0, nullptr, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_begin(engine, nullptr, 3, &audit, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_begin(engine, nullptr, 0, &audit, &message, nullptr) == CASECHECK_E_INVALID_ARGUMENT);

    const std::string bad_options = R"({"sample": "ten"})";
    CHECK(api.audit_begin(engine, bad_options.data(), bad_options.size(), &audit, &message, &length) == CASECHECK_E_SCHEMA);
    CHECK(audit == nullptr);
    CHECK(std::string(message, length) == "options /sample: must be a whole number");
    api.free_buffer(message);

    REQUIRE(api.audit_begin(engine, "{}", 2, &audit, nullptr, nullptr) == CASECHECK_OK);
    CHECK(api.audit_add(nullptr, "x", 1, nullptr, 0, 1) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_add(audit, nullptr, 1, nullptr, 0, 1) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_merge(audit, audit, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_merge(audit, nullptr, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(api.audit_merge_state(audit, nullptr, 4, nullptr, nullptr) == CASECHECK_E_INVALID_ARGUMENT);
    CHECK(finish(api, audit, "pdf", CASECHECK_E_VERSION).find("format") != std::string::npos);
    CHECK(api.audit_finish(audit, "json", 4, nullptr, &length) == CASECHECK_E_INVALID_ARGUMENT);

    const std::string garbage = "{\"casecheck_audit_state\": 1, \"configuration\": 7}";
    CHECK(api.audit_merge_state(audit, garbage.data(), garbage.size(), &message, &length) == CASECHECK_E_CONFIG);
    api.free_buffer(message);
    // Bad lines are the audit's business, not the call's: they are counted and the call succeeds.
    const std::string bad_lines = "not json\n{\"records\": 5}\n";
    CHECK(api.audit_add(audit, bad_lines.data(), bad_lines.size(), "in", 2, 1) == CASECHECK_OK);
    CHECK(json::parse(finish(api, audit, "json"))["input"]["rejected_lines"] == 2);

    api.audit_destroy(audit);
    api.audit_destroy(nullptr);
    api.engine_destroy(engine);
}

TEST_CASE("audits on one engine run side by side on several threads and merge into one run's report") {
    const auto plugin = load_plugin();
    const auto engine = plugin.create_engine(config);
    auto whole = engine.begin_audit();
    whole.add(lines(0, 80), "cases.ndjson", 1);

    std::vector<casecheck::audit> parts;
    for (int i = 0; i < 4; ++i) parts.push_back(engine.begin_audit());
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] { parts[static_cast<std::size_t>(i)].add(lines(i * 20, i * 20 + 20), "cases.ndjson", static_cast<std::uint64_t>(i * 20 + 1)); });
    }
    for (auto& thread : threads) thread.join();
    parts[3].merge(parts[1]);
    parts[3].merge(parts[0]);
    parts[3].merge_state(parts[2].finish("state").view());
    CHECK(parts[3].finish("json").str() == whole.finish("json").str());
    CHECK(parts[3].finish("fhir").str() == whole.finish("fhir").str());
}

TEST_CASE("an audit keeps its engine alive through the SDK") {
    const auto plugin = load_plugin();
    std::optional<casecheck::audit> audit;
    {
        const auto engine = plugin.create_engine(config);
        audit.emplace(engine.begin_audit(R"({"top": 3})"));
    }
    audit->add(lines(0, 5));
    CHECK(json::parse(audit->finish("json").view())["input"]["cases"] == 5);
}

TEST_CASE("audits of different configurations do not merge through the ABI") {
    const auto plugin = load_plugin();
    auto first = plugin.create_engine(config).begin_audit();
    auto second = plugin.create_engine(R"({"as_of": "2026-07-01T00:00:00Z"})").begin_audit();
    try {
        first.merge(second);
        FAIL("audits of different clocks merged");
    } catch (const casecheck::error& e) {
        CHECK(e.status() == CASECHECK_E_CONFIG);
    }
}
