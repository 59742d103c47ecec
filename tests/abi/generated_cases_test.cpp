// `casecheck generate` promises exact ground truth: every record its truth file
// counts as non-compliant with a criterion gets a prompt of that criterion from
// check(), and no other record does. This runs the built CLI, then checks each
// generated case through the plugin's real ABI the way the audit will (all the
// case's records in one request, the engine's clock at the truth's as-of) and
// compares, record by record and in total, with what the generator wrote.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A scratch directory of this test process, removed when the test case ends.
class ScratchDirectory {
public:
    explicit ScratchDirectory(const std::string& name)
        : path_(fs::temp_directory_path() / ("casecheck-generated-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~ScratchDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    fs::path operator/(const std::string& file) const { return path_ / file; }

private:
    fs::path path_;
};

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// What one `casecheck generate` run wrote.
struct Generated {
    json truth;
    fs::path truth_file;
    fs::path cases;
    fs::path labels;
};

// Runs `casecheck generate` with these arguments; returns std::system's wait status.
int run_cli(const std::string& arguments) {
    const std::string command = quoted(CASECHECK_CLI_PATH) + " generate " + arguments;
    return std::system(command.c_str());
}

Generated generate(const ScratchDirectory& scratch, const std::string& name, std::uint64_t clients, std::uint64_t seed,
                   const std::string& defect_rate) {
    Generated run{json(), scratch / (name + ".truth.json"), scratch / (name + ".ndjson"), scratch / (name + ".labels.ndjson")};
    const fs::path& truth = run.truth_file;
    const int status = run_cli("--clients " + std::to_string(clients) + " --seed " + std::to_string(seed) + " --defect-rate " +
                               defect_rate + " --out " + quoted(run.cases.string()) + " --truth " + quoted(truth.string()) +
                               " --labels " + quoted(run.labels.string()));
    REQUIRE(status == 0);
    std::ifstream in(truth);
    run.truth = json::parse(in);
    return run;
}

// What check() says about every generated case, in the terms of the truth file.
struct Checked {
    std::uint64_t cases = 0;
    std::uint64_t prompts = 0;
    std::map<std::string, std::uint64_t> records_per_kind;
    std::map<std::string, std::uint64_t> noncompliant;  // criterion -> records with at least one prompt of it
    std::uint64_t records_unlike_labels = 0;
    std::string first_differences;  // a few, for the failure message
};

Checked check_every_case(const Generated& run) {
    const auto plugin = casecheck_test::load_plugin();
    const auto engine = plugin.create_engine(json{{"as_of", run.truth.at("as_of")}, {"rule_pack", "core"}}.dump());
    std::ifstream cases(run.cases);
    std::ifstream labels(run.labels);
    Checked checked;
    std::string case_line, label_line;
    int differences_shown = 0;
    while (std::getline(cases, case_line)) {
        REQUIRE(std::getline(labels, label_line));
        const json one_case = json::parse(case_line);
        const json label = json::parse(label_line);
        REQUIRE(label.at("case") == one_case.at("case"));
        ++checked.cases;

        const json response = json::parse(engine.check(json{{"records", one_case.at("records")}}.dump()).view());
        REQUIRE(response.at("records_checked") == one_case.at("records").size());
        std::map<std::string, std::set<std::string>> prompted;  // record -> criteria
        for (const auto& prompt : response.at("prompts")) {
            ++checked.prompts;
            prompted[prompt.at("record")].insert(prompt.at("criterion"));
        }
        for (const auto& record : one_case.at("records")) {
            ++checked.records_per_kind[record.at("kind")];
            const std::string id = record.at("id");
            const std::set<std::string>& found = prompted[id];
            for (const auto& criterion : found) ++checked.noncompliant[criterion];
            std::set<std::string> expected;
            if (label.at("noncompliant").contains(id)) {
                for (const auto& criterion : label.at("noncompliant").at(id)) expected.insert(criterion);
            }
            if (found == expected) continue;
            ++checked.records_unlike_labels;
            if (differences_shown++ < 10) {
                std::ostringstream difference;
                difference << id << ": labels say";
                for (const auto& criterion : expected) difference << " " << criterion;
                difference << "; check() prompts";
                for (const auto& criterion : found) difference << " " << criterion;
                checked.first_differences += difference.str() + "\n";
            }
        }
    }
    REQUIRE_FALSE(std::getline(labels, label_line));
    return checked;
}

// Requires the counts from check() to equal the truth file's, kind by kind and criterion by criterion.
void require_truth_is_exact(const Generated& run, const Checked& checked) {
    INFO(checked.first_differences);
    CHECK(checked.records_unlike_labels == 0);
    REQUIRE(checked.cases == run.truth.at("cases").get<std::uint64_t>());

    json records = json::object();
    for (const auto& [kind, count] : checked.records_per_kind) records[kind] = count;
    for (const auto& [kind, count] : run.truth.at("records").items()) {
        if (count.get<std::uint64_t>() == 0 && !records.contains(kind)) records[kind] = 0;
    }
    REQUIRE(records == run.truth.at("records"));

    json noncompliant = json::object();
    for (const auto& [criterion, count] : run.truth.at("noncompliant").items()) {
        const auto found = checked.noncompliant.find(criterion);
        noncompliant[criterion] = found == checked.noncompliant.end() ? 0 : found->second;
    }
    for (const auto& [criterion, count] : checked.noncompliant) {
        INFO("check() prompts for " << criterion << ", which the truth file does not list");
        REQUIRE(run.truth.at("noncompliant").contains(criterion));
    }
    REQUIRE(noncompliant == run.truth.at("noncompliant"));
}

std::string contents_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("clean generated cases give no prompt at all under the core pack") {
    const ScratchDirectory scratch("clean");
    const Generated run = generate(scratch, "clean", 600, 11, "0");
    const Checked checked = check_every_case(run);
    CHECK(checked.prompts == 0);
    for (const auto& [criterion, count] : run.truth.at("noncompliant").items()) {
        INFO(criterion);
        CHECK(count == 0);
    }
    require_truth_is_exact(run, checked);
}

TEST_CASE("the generator's truth counts exactly the records that check() flags, at a defect rate of 0.1") {
    const ScratchDirectory scratch("rate-0.1");
    const Generated run = generate(scratch, "defects", 1500, 12, "0.1");
    require_truth_is_exact(run, check_every_case(run));
}

TEST_CASE("the generator's truth counts exactly the records that check() flags, at a defect rate of 0.5, with every criterion flagged") {
    const ScratchDirectory scratch("rate-0.5");
    const Generated run = generate(scratch, "defects", 1500, 13, "0.5");
    require_truth_is_exact(run, check_every_case(run));
    for (const auto& [criterion, count] : run.truth.at("noncompliant").items()) {
        INFO(criterion << " has no defect in 1500 cases at rate 0.5");
        CHECK(count.get<std::uint64_t>() > 0);
    }
}

TEST_CASE("the generator's truth lists every criterion of the core pack, in the pack's order") {
    const ScratchDirectory scratch("criteria");
    const Generated run = generate(scratch, "few", 3, 1, "0.1");
    std::ifstream in(run.truth_file);
    const auto in_file_order = nlohmann::ordered_json::parse(in);
    json listed = json::array();
    for (const auto& item : in_file_order.at("noncompliant").items()) listed.push_back(item.key());
    // The plugin's self-description names the default pack's criteria, and the default pack is core.
    const json description = json::parse(casecheck_test::load_plugin().version());
    REQUIRE(listed == description.at("criteria"));
    CHECK(run.truth.at("rule_pack") == "core");
    CHECK(run.truth.at("generator") == 1);
    CHECK(run.truth.at("seed") == 1);
    CHECK(run.truth.at("clients") == 3);
    CHECK(run.truth.at("cases") == 3);
    CHECK(run.truth.at("defect_rate") == 0.1);
    CHECK(run.truth.at("as_of") == "2026-06-30T12:00:00Z");
}

TEST_CASE("generating twice with the same options gives byte-identical output, and another seed gives other cases") {
    const ScratchDirectory scratch("determinism");
    const Generated first = generate(scratch, "first", 40, 99, "0.2");
    const Generated again = generate(scratch, "again", 40, 99, "0.2");
    const Generated other = generate(scratch, "other", 40, 100, "0.2");
    CHECK(contents_of(first.cases) == contents_of(again.cases));
    CHECK(contents_of(first.labels) == contents_of(again.labels));
    CHECK(first.truth == again.truth);
    CHECK(contents_of(first.cases) != contents_of(other.cases));
}

TEST_CASE("generate runs without loading the plugin, and refuses bad options") {
    const ScratchDirectory scratch("no-plugin");
    const std::string out = " --out " + quoted((scratch / "cases.ndjson").string());
    CHECK(run_cli("--clients 2 --seed 5 --plugin /nonexistent/libcasecheck.so" + out) == 0);
    CHECK(fs::file_size(scratch / "cases.ndjson") > 0);
    // Exit status 2 is a usage error; std::system returns the wait status, so compare through WEXITSTATUS.
    const auto usage_error = [&](const std::string& arguments) {
        const int status = run_cli(arguments + out + " 2>/dev/null");
        return WIFEXITED(status) && WEXITSTATUS(status) == 2;
    };
    CHECK(usage_error("--seed 5"));
    CHECK(usage_error("--clients 2"));
    CHECK(usage_error("--clients two --seed 5"));
    CHECK(usage_error("--clients 2 --seed 5 --defect-rate 1.5"));
    CHECK(usage_error("--clients 2 --seed 5 --as-of 2026-06-30"));
    CHECK(usage_error("--clients 2 --seed 5 stray-operand"));
}
