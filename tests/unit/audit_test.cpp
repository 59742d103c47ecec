// The audit's counting: scopes, strata, merging, sampling, saved states, rejected
// input, overrides, and what each report format may and may not show.
#include "audit/audit.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace casecheck;
using nlohmann::json;

namespace {

std::unique_ptr<Engine> make_engine(const std::string& config = R"({"as_of": "2026-06-30T12:00:00Z"})") {
    auto engine = Engine::create(config);
    REQUIRE(engine.ok());
    return std::move(engine.value());
}

// A contact note; `extra` fields are merged over a complete, attributed, timely entry.
json note(const std::string& id, const std::string& client, json extra = json::object()) {
    json record = {{"id", id},
                   {"kind", "note"},
                   {"client", client},
                   {"type", "review"},
                   {"author", {{"id", "staff-1"}, {"name", "Sam Placeholder"}, {"role", "case manager"}}},
                   {"occurred", "2026-03-05T10:00:00Z"},
                   {"recorded", "2026-03-05T11:00:00Z"},
                   {"signed", true},
                   {"text", "Reviewed the plan with the client."}};
    record.update(extra);
    return record;
}

std::string case_line(const std::string& case_id, const std::string& team, const json& records, const json& dismissed = json::array()) {
    return json{{"case", case_id}, {"team", team}, {"records", records}, {"dismissed", dismissed}}.dump() + "\n";
}

json report_of(const audit::Audit& audit) {
    auto report = audit.report("json");
    REQUIRE(report.ok());
    return json::parse(report.value());
}

const json& criterion_in(const json& report, const std::string& id) {
    for (const auto& c : report["criteria"]) {
        if (c["id"] == id) return c;
    }
    FAIL("criterion " << id << " is not in the report");
    static const json none;
    return none;
}

std::string sample_input() {
    std::string lines;
    for (int i = 0; i < 40; ++i) {
        const std::string client = "client-" + std::to_string(i);
        json late = i % 3 == 0 ? json{{"recorded", "2026-03-09T11:00:00Z"}} : json::object();
        json unattributed = i % 4 == 0 ? json{{"author", nullptr}} : json::object();
        json records = json::array({note("n-" + std::to_string(i) + "-a", client, late), note("n-" + std::to_string(i) + "-b", client, unattributed)});
        records[1].erase("author");
        if (i % 4 != 0) records[1]["author"] = {{"id", "staff-" + std::to_string(i % 5)}, {"name", "Pat Invented"}, {"role", "nurse"}};
        lines += case_line("case-" + std::to_string(i), i % 2 == 0 ? "North" : "South", records);
    }
    return lines;
}

}  // namespace

TEST_CASE("no criterion reports a finding on a record kind outside the kinds it judges") {
    // Every criterion case in tests/cases, plus one empty record of each kind, through every built-in pack.
    std::vector<std::string> requests;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(CASECHECK_TEST_CASES)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream file(entry.path());
        const json fixture = json::parse(file);
        if (fixture.contains("request")) requests.push_back(fixture["request"].dump());
    }
    REQUIRE(requests.size() > 50);
    json empties = json::array();
    for (const char* kind : {"note", "care_plan", "transition", "consent", "assessment"}) {
        empties.push_back({{"id", std::string("empty-") + kind}, {"kind", kind}, {"client", "client-x"}});
    }
    requests.push_back(json{{"records", empties}}.dump());

    for (const auto& pack : builtin_rule_pack_ids()) {
        const auto engine = make_engine(R"({"as_of": "2026-06-30T12:00:00Z", "rule_pack": ")" + pack + "\"}");
        std::size_t findings = 0;
        for (const auto& request : requests) {
            auto input = engine->read_case(request);
            REQUIRE(input.ok());
            engine->run_criteria(input.value(), [&](const Criterion& criterion, const model::Record& record, Finding&) {
                INFO(pack << " " << criterion.id << " (" << criterion.kind->name << ") on a " << model::kind_name(record.kind()));
                CHECK(criterion.kind->judges_kind(record.kind()));
                ++findings;
            });
        }
        CHECK(findings > 100);
    }
}

TEST_CASE("a record counts once per criterion it is judged by, in the strata of its team, author, kind and month") {
    const auto engine = make_engine();
    audit::Audit audit(*engine, {});
    // The late entry is recorded 4 days after the event: one RK-01 finding.
    const json records = json::array({note("n-1", "c-1", {{"recorded", "2026-03-09T11:00:00Z"}}), note("n-2", "c-1")});
    audit.add(case_line("case-1", "North", records), "input.ndjson", 1);
    const json report = report_of(audit);

    CHECK(report["input"]["cases"] == 1);
    CHECK(report["input"]["records"] == 2);
    const json& rk01 = criterion_in(report, "RK-01");
    CHECK(rk01["denominator"] == 2);
    CHECK(rk01["numerator"] == 1);
    CHECK(rk01["rate"] == 0.5);
    CHECK(rk01["applies_to"] == json::array({"note", "assessment"}));
    CHECK(rk01["strata"]["team"] == json::array({{{"value", "North"}, {"numerator", 1}, {"denominator", 2}, {"rate", 0.5}}}));
    CHECK(rk01["strata"]["author"][0]["value"] == "staff-1");
    CHECK(rk01["strata"]["kind"][0]["value"] == "note");
    CHECK(rk01["strata"]["month"][0]["value"] == "2026-03");
    // A consent criterion judges no note-free case: its denominator is the consents, here none.
    CHECK(criterion_in(report, "CO-04")["denominator"] == 0);
    CHECK(criterion_in(report, "CO-04")["rate"].is_null());
}

TEST_CASE("the month is the event's own calendar month, in the offset it was written with") {
    const auto engine = make_engine();
    audit::Audit audit(*engine, {});
    // 23:30 on 31 January in New York is already February in UTC.
    const json records = json::array({note("n-1", "c-1", {{"occurred", "2026-01-31T23:30:00-05:00"}, {"recorded", "2026-02-01T00:10:00-05:00"}})});
    audit.add(case_line("case-1", "North", records), "input.ndjson", 1);
    CHECK(criterion_in(report_of(audit), "RK-01")["strata"]["month"][0]["value"] == "2026-01");
}

TEST_CASE("audits of shards merged in any order report exactly what one audit reports") {
    const auto engine = make_engine();
    const std::string input = sample_input();
    audit::Audit whole(*engine, {});
    whole.add(input, "all.ndjson", 1);

    std::vector<std::string> shards(3);
    std::istringstream lines(input);
    std::string line;
    for (int i = 0; std::getline(lines, line); ++i) shards[static_cast<std::size_t>(i * 7 % 3)] += line + "\n";
    std::vector<audit::Audit> parts;
    for (const auto& shard : shards) {
        parts.emplace_back(*engine, audit::Options{});
        parts.back().add(shard, "all.ndjson", 1);
    }
    audit::Audit merged(*engine, {});
    REQUIRE_FALSE(merged.merge(parts[2]));
    REQUIRE_FALSE(merged.merge(parts[0]));
    // Through a saved state, as from another machine.
    REQUIRE_FALSE(merged.merge_state(parts[1].state()));
    for (const char* format : {"json", "csv", "fhir", "html"}) {
        INFO(format);
        CHECK(merged.report(format).value() == whole.report(format).value());
    }
}

TEST_CASE("a sample chooses the same cases however the input is split") {
    const auto engine = make_engine();
    const std::string input = sample_input();
    const audit::Options options{10, 42, 20, false, false};
    audit::Audit whole(*engine, options);
    whole.add(input, "all.ndjson", 1);
    const json report = report_of(whole);
    CHECK(report["input"]["cases"] == 10);
    CHECK(report["input"]["cases_read"] == 40);

    const auto half = input.find("case-20");
    const auto cut = input.rfind('\n', half) + 1;
    audit::Audit first(*engine, options), second(*engine, options);
    first.add(input.substr(0, cut), "all.ndjson", 1);
    second.add(input.substr(cut), "all.ndjson", 21);
    REQUIRE_FALSE(first.merge(second));
    CHECK(first.report("json").value() == whole.report("json").value());

    audit::Audit other_seed(*engine, audit::Options{10, 43, 20, false, false});
    other_seed.add(input, "all.ndjson", 1);
    CHECK(other_seed.report("json").value() != whole.report("json").value());
}

TEST_CASE("audits of different configurations or options refuse to merge") {
    const auto engine = make_engine();
    const auto other_clock = make_engine(R"({"as_of": "2026-07-31T12:00:00Z"})");
    audit::Audit a(*engine, {}), b(*other_clock, {}), c(*engine, audit::Options{0, 0, 5, false, false});
    const auto different_engine = a.merge(b);
    REQUIRE(different_engine);
    CHECK(different_engine->status == CASECHECK_E_CONFIG);
    REQUIRE(a.merge(c));
    REQUIRE(a.merge_state(b.state()));
    CHECK(a.merge_state(b.state())->status == CASECHECK_E_CONFIG);
    CHECK(a.merge_state("{\"casecheck_audit_state\": 2}")->status == CASECHECK_E_VERSION);
    CHECK(a.merge_state("not json")->status == CASECHECK_E_PARSE);
    std::string truncated = a.state();
    truncated.replace(truncated.find("\"records\""), 9, "\"recordz\"");
    CHECK(a.merge_state(truncated)->status == CASECHECK_E_SCHEMA);
}

TEST_CASE("a line that cannot be read is listed by source and line, and the rest are audited") {
    const auto engine = make_engine();
    audit::Audit audit(*engine, {});
    const std::string good = case_line("case-1", "North", json::array({note("n-1", "c-1")}));
    const std::string bad_record = case_line("case-2", "North", json::array({note("n-2", "c-2"), {{"id", "n-3"}, {"kind", "letter"}}}));
    audit.add(good + "{\"case\": \"case-3\", \"records\": [\n\n" + bad_record + "\xff\xfe\n", "shard-7.ndjson", 101);
    const json report = report_of(audit);
    CHECK(report["input"]["lines"] == 4);
    CHECK(report["input"]["cases"] == 2);
    CHECK(report["input"]["records"] == 2);
    CHECK(report["input"]["rejected_lines"] == 2);
    CHECK(report["input"]["rejected_records"] == 1);
    const json& rejections = report["rejections"];
    REQUIRE(rejections.size() == 3);
    CHECK(rejections[0]["source"] == "shard-7.ndjson");
    CHECK(rejections[0]["line"] == 102);
    CHECK(rejections[0]["status"] == "E_PARSE");
    CHECK(rejections[1]["line"] == 104);
    CHECK(rejections[1]["path"] == "/records/1/kind");
    CHECK(rejections[2]["line"] == 105);
    CHECK(rejections[2]["status"] == "E_ENCODING");
    // Messages name places, never the client's words.
    CHECK(report.dump().find("letter") == std::string::npos);
}

TEST_CASE("overrides are counted per criterion, by reason code, and free-text reasons are not shown") {
    const auto engine = make_engine();
    // Find the prompt id of the late entry's RK-01 finding the way a host would: from check().
    const json late = note("n-1", "c-1", {{"recorded", "2026-03-09T11:00:00Z"}});
    const json response = json::parse(engine->check(json{{"record", late}}.dump()).value());
    std::string prompt;
    for (const auto& p : response["prompts"]) {
        if (p["criterion"] == "RK-01") prompt = p["id"];
    }
    REQUIRE_FALSE(prompt.empty());

    audit::Audit audit(*engine, {});
    audit.add(case_line("case-1", "North", json::array({late}), json::array({{{"prompt", prompt}, {"reason", "patient-declined"}}})), "a", 1);
    audit.add(case_line("case-2", "North", json::array({note("n-1", "c-2", {{"recorded", "2026-03-09T11:00:00Z"}})}),
                        json::array({{{"prompt", prompt}, {"reason", "Client said her sister Ann knows"}}})),
              "a", 2);
    const json rk01 = criterion_in(report_of(audit), "RK-01");
    CHECK(rk01["overrides"]["count"] == 2);
    CHECK(rk01["overrides"]["reasons"] == json{{"(free text)", 1}, {"patient-declined", 1}});
    // An override does not make a record compliant: the gap is still in the record.
    CHECK(rk01["numerator"] == 0);
}

TEST_CASE("the records with the most findings are listed worst first, by id, with wording only when asked") {
    const auto engine = make_engine();
    const std::string line = case_line("case-1", "North", json::array({note("n-1", "c-1", {{"recorded", "2026-03-09T11:00:00Z"}, {"signed", false}}), note("n-2", "c-1")}));
    audit::Audit by_id(*engine, {});
    by_id.add(line, "a", 1);
    const json listed = report_of(by_id)["most_flagged"];
    REQUIRE_FALSE(listed.empty());
    CHECK(listed[0]["record"] == "n-1");
    CHECK(listed[0]["case"] == "case-1");
    CHECK_FALSE(listed[0].contains("prompts"));

    audit::Audit with_text(*engine, audit::Options{0, 0, 20, true, false});
    with_text.add(line, "a", 1);
    CHECK_FALSE(report_of(with_text)["most_flagged"][0]["prompts"].empty());
}

TEST_CASE("the CSV report quotes cells and keeps spreadsheets from running a team name as a formula") {
    const auto engine = make_engine();
    audit::Audit audit(*engine, {});
    audit.add(case_line("case-1", "=HYPERLINK(\"x\"),North", json::array({note("n-1", "c-1")})), "a", 1);
    const std::string csv = audit.report("csv").value();
    CHECK(csv.rfind("criterion,title,stratifier,stratum,numerator,denominator,rate,findings,overrides\r\n", 0) == 0);
    CHECK(csv.find(",team,\"'=HYPERLINK(\"\"x\"\"),North\",1,1,1.0,,\r\n") != std::string::npos);
}

TEST_CASE("the HTML report escapes the host's text and fetches nothing") {
    const auto engine = make_engine();
    audit::Audit audit(*engine, {});
    audit.add(case_line("case-<b>", "<script>alert(1)</script>", json::array({note("n-1", "c-1", {{"signed", false}})})), "a", 1);
    const std::string html = audit.report("html").value();
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;") != std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("id=\"compliance-by-criterion\"") != std::string::npos);
    CHECK(html.find("id=\"trend-by-month\"") != std::string::npos);
    CHECK(html.find("id=\"team-by-criterion\"") != std::string::npos);
}

TEST_CASE("audit options are checked by name and type") {
    CHECK(audit::read_options("").ok());
    CHECK(audit::read_options(R"({"sample": 5, "seed": 1, "top": 3, "include_text": true, "subjects": false})").ok());
    CHECK(audit::read_options(R"({"sampel": 5})").failure().message == "options /sampel: unknown key");
    CHECK(audit::read_options(R"({"top": -1})").failure().message == "options /top: must be a whole number");
    CHECK(audit::read_options(R"({"subjects": "yes"})").failure().status == CASECHECK_E_SCHEMA);
    CHECK(audit::read_options("[").failure().status == CASECHECK_E_PARSE);
}

TEST_CASE("a line with no records to judge is read but not audited as a case") {
    const auto engine = make_engine();
    audit::Audit audit(*engine, {});
    audit.add("{\"resourceType\": \"Practitioner\", \"id\": \"staff-9\"}\n" + case_line("case-1", "North", json::array({note("n-1", "c-1")})), "bulk", 1);
    const json report = report_of(audit);
    CHECK(report["input"]["cases_read"] == 2);
    CHECK(report["input"]["cases"] == 1);
    CHECK(report["input"]["rejected_lines"] == 0);
}
