// Runs every case under tests/cases/ through the ABI. A case names a criterion,
// a request, and exactly the prompts that criterion must give: a flag case
// lists them, a near-miss case lists none, and any other prompt of that
// criterion fails the case. An expected prompt may also give the "span" of text
// its evidence must point at ({"begin": B, "end": E}, as in the response).
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

using nlohmann::json;

namespace {

using Expected = std::set<std::tuple<std::string, std::string, std::string>>;  // record, severity, evidence path
using Spans = std::set<std::tuple<std::string, std::string, std::string, int, int>>;  // the same, and the evidence span

std::vector<std::filesystem::path> case_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(CASECHECK_TEST_CASES)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("every criterion flags its cases and stays silent on its near misses") {
    const auto plugin = casecheck_test::load_plugin();
    const auto files = case_files();
    REQUIRE(files.size() >= 10);
    std::map<std::string, std::pair<int, int>> per_criterion;  // flags, near misses
    for (const auto& file : files) {
        INFO(file.filename().string());
        std::ifstream in(file);
        const json c = json::parse(in);
        json config = c.value("config", json::object());
        if (!config.contains("as_of")) config["as_of"] = "2026-03-10T09:00:00Z";
        const std::string criterion = c.at("criterion");
        INFO(c.at("about").get<std::string>());

        const json response = json::parse(plugin.create_engine(config.dump()).check(c.at("request").dump()).view());
        Expected found, expected;
        Spans found_spans;
        for (const auto& prompt : response.at("prompts")) {
            if (prompt.at("criterion") == criterion) {
                const json& evidence = prompt.at("evidence");
                found.emplace(prompt.at("record"), prompt.at("severity"), evidence.at("path"));
                if (evidence.contains("span")) {
                    found_spans.emplace(prompt.at("record"), prompt.at("severity"), evidence.at("path"), evidence.at("span").at("begin"),
                                        evidence.at("span").at("end"));
                }
            }
        }
        for (const auto& e : c.at("expect")) expected.emplace(e.at("record"), e.at("severity"), e.at("path"));
        CHECK(found == expected);
        for (const auto& e : c.at("expect")) {
            if (!e.contains("span")) continue;
            INFO("span " << e.at("span").dump() << " at " << e.at("path").get<std::string>());
            CHECK(found_spans.count({e.at("record"), e.at("severity"), e.at("path"), e.at("span").at("begin"), e.at("span").at("end")}) == 1);
        }
        auto& counts = per_criterion[criterion];
        (expected.empty() ? counts.second : counts.first)++;
    }
    // Each criterion needs both halves: cases it must flag and near misses it must not.
    for (const auto& [criterion, counts] : per_criterion) {
        INFO(criterion);
        CHECK(counts.first > 0);
        CHECK(counts.second > 0);
    }
}
