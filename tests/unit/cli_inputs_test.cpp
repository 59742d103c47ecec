// The audit's input reader: NDJSON pass-through, FHIR document directories, and
// bulk exports regrouped by client, in memory and spilled to disk. All data is synthetic.
#include "inputs.hpp"
#include "sha256.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

using casecheck::cli::InputChunk;
using casecheck::cli::InputError;
using casecheck::cli::InputOptions;
using casecheck::cli::InputReader;
using casecheck::cli::sha256_hex;

namespace fs = std::filesystem;

namespace {

// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string name = (fs::temp_directory_path() / "casecheck-inputs-test-XXXXXX").string();
        REQUIRE(::mkdtemp(name.data()) != nullptr);
        path_ = name;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return path_; }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

void write_file(const std::string& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary);
    out << contents;
    REQUIRE(out.good());
}

std::unique_ptr<InputReader> open_inputs(const std::vector<std::string>& paths, const InputOptions& options = {}) {
    InputError error;
    auto reader = InputReader::open(paths, options, error);
    INFO(error.describe());
    REQUIRE(reader);
    return reader;
}

std::vector<InputChunk> read_all(InputReader& reader) {
    std::vector<InputChunk> chunks;
    InputChunk chunk;
    while (reader.next(chunk)) chunks.push_back(chunk);
    INFO((reader.error() ? reader.error()->describe() : ""));
    REQUIRE_FALSE(reader.error());
    return chunks;
}

struct NumberedLine {
    std::string source;
    std::uint64_t number;
    std::string text;
    bool operator==(const NumberedLine& other) const {
        return std::tie(source, number, text) == std::tie(other.source, other.number, other.text);
    }
};

std::ostream& operator<<(std::ostream& out, const NumberedLine& line) {
    return out << line.source << ":" << line.number << ": " << line.text;
}

// Every line of every chunk with the number the plugin will give it; checks each chunk is whole lines.
std::vector<NumberedLine> numbered_lines(const std::vector<InputChunk>& chunks) {
    std::vector<NumberedLine> lines;
    for (const InputChunk& chunk : chunks) {
        REQUIRE_FALSE(chunk.lines.empty());
        REQUIRE(chunk.lines.back() == '\n');
        std::uint64_t number = chunk.first_line;
        std::size_t start = 0;
        while (start < chunk.lines.size()) {
            const std::size_t end = chunk.lines.find('\n', start);
            lines.push_back({chunk.source, number++, chunk.lines.substr(start, end - start)});
            start = end + 1;
        }
    }
    return lines;
}

// ---------------------------------------------------------------------------
// A small synthetic bulk export: three clients, direct and indirect references, one broken line.

std::string ndjson(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

const std::string broken_line = R"({"resourceType":"DocumentReference","id":"d-bad","subject":{"reference":"Patient/p1"})";

void write_bulk_export(const TempDir& dir) {
    write_file(dir / "Patient.ndjson",
               ndjson({R"({"resourceType":"Patient","id":"p1","managingOrganization":{"display":"North team"}})",
                       R"({"resourceType":"Patient","id":"p2","managingOrganization":{"display":"South team"}})",
                       R"({"resourceType":"Patient","id":"p3","managingOrganization":{"display":"East team"}})"}));
    write_file(dir / "DocumentReference.ndjson",
               ndjson({R"({"resourceType":"DocumentReference","id":"d1","status":"current","subject":{"reference":"Patient/p1"}})",
                       R"({"resourceType":"DocumentReference","id":"d2","status":"current","subject":{"reference":"Patient/p2"}})",
                       broken_line,
                       "",
                       R"({"resourceType":"DocumentReference","id":"d3","status":"current","subject":{"reference":"https://ehr.example/fhir/Patient/p3/_history/2"}})",
                       R"({"status":"current","resourceType":"DocumentReference","id":"d4","subject":{"reference":"Patient/p1"}})"}));
    // Provenance names no client: it follows its target.
    write_file(dir / "Provenance.ndjson",
               ndjson({R"({"resourceType":"Provenance","id":"v1","target":[{"reference":"DocumentReference/d1"}],"recorded":"2026-01-05T10:00:00Z"})",
                       R"({"resourceType":"Provenance","id":"v2","recorded":"2026-01-06T10:00:00Z","target":[{"reference":"https://ehr.example/fhir/DocumentReference/d2"}]})",
                       R"({"resourceType":"Provenance","id":"v3","target":[{"reference":"DocumentReference/d3/_history/1"}]})",
                       R"({"resourceType":"Provenance","id":"v-orphan","target":[{"reference":"DocumentReference/not-exported"}]})"}));
    write_file(dir / "Consent.ndjson",
               ndjson({R"({"resourceType":"Consent","id":"c1","status":"active","patient":{"reference":"Patient/p1"}})",
                       R"({"resourceType":"Consent","id":"c2","status":"active","patient":{"identifier":{"system":"https://casecheck.example/fhir/client-id","value":"p2"}}})"}));
    write_file(dir / "CarePlan.ndjson",
               ndjson({R"({"resourceType":"CarePlan","id":"cp1","status":"active","intent":"plan","subject":{"reference":"Patient/p3"}})",
                       R"({"resourceType":"CarePlan","id":"cp2","status":"active","intent":"plan","subject":{"reference":"Patient/p1"}})"}));
    write_file(dir / "ServiceRequest.ndjson",
               ndjson({R"({"resourceType":"ServiceRequest","id":"sr1","status":"active","intent":"order","subject":{"reference":"Patient/p2"}})"}));
    // A Task without `for` follows its focus.
    write_file(dir / "Task.ndjson",
               ndjson({R"({"resourceType":"Task","id":"t1","status":"accepted","intent":"order","focus":{"reference":"ServiceRequest/sr1"}})"}));
}

// The bundles' entries as "Type/id", keyed by the client's Patient id.
std::map<std::string, std::vector<std::string>> bundles_by_client(const std::vector<NumberedLine>& lines, const std::string& directory) {
    std::map<std::string, std::vector<std::string>> bundles;
    for (const auto& line : lines) {
        if (line.source != directory) continue;
        const auto bundle = nlohmann::json::parse(line.text);
        REQUIRE(bundle["resourceType"] == "Bundle");
        REQUIRE(bundle["type"] == "collection");
        std::string client;
        std::vector<std::string> entries;
        for (const auto& entry : bundle["entry"]) {
            const auto& resource = entry["resource"];
            entries.push_back(resource["resourceType"].get<std::string>() + "/" + resource.value("id", "(no id)"));
            if (resource["resourceType"] == "Patient") client = resource["id"];
        }
        REQUIRE_FALSE(client.empty());
        REQUIRE(bundles.count(client) == 0);
        bundles[client] = entries;
    }
    return bundles;
}

bool is_empty_directory(const fs::path& path) { return fs::is_empty(path); }

}  // namespace

TEST_CASE("NDJSON input keeps every line's number across chunk boundaries") {
    TempDir dir;
    const std::string path = dir / "cases.ndjson";
    write_file(path, "{\"case\":\"a\",\"records\":[]}\n"
                     "{\"case\":\"b\",\"records\":[]}\r\n"
                     "\n"
                     "   \r\n"
                     "{\"case\":\"c\",\"records\":[]}\n"
                     "{\"case\":\"d\",\"records\":[]}\n"
                     "{\"case\":\"e\",\"records\":[]}");  // the last line has no newline and is still a line
    InputOptions options;
    options.chunk_bytes = 20;  // less than a line: one line to a chunk
    auto reader = open_inputs({path}, options);
    const auto chunks = read_all(*reader);
    CHECK(chunks.size() == 5);
    const std::vector<NumberedLine> expected = {
        {path, 1, "{\"case\":\"a\",\"records\":[]}"},   {path, 2, "{\"case\":\"b\",\"records\":[]}\r"},
        {path, 5, "{\"case\":\"c\",\"records\":[]}"},   {path, 6, "{\"case\":\"d\",\"records\":[]}"},
        {path, 7, "{\"case\":\"e\",\"records\":[]}"}};
    CHECK(numbered_lines(chunks) == expected);
}

TEST_CASE("a blank line in NDJSON input ends a chunk, so the lines after it keep their numbers") {
    TempDir dir;
    const std::string path = dir / "cases.ndjson";
    write_file(path, "{\"case\":1}\n{\"case\":2}\n\n{\"case\":4}\n");
    auto reader = open_inputs({path});
    const auto chunks = read_all(*reader);
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[0].first_line == 1);
    CHECK(chunks[0].lines == "{\"case\":1}\n{\"case\":2}\n");
    CHECK(chunks[1].first_line == 4);
    CHECK(chunks[1].lines == "{\"case\":4}\n");
}

TEST_CASE("input chunks end at the first line end past the chunk size") {
    TempDir dir;
    const std::string path = dir / "cases.ndjson";
    std::string contents;
    for (int i = 0; i < 1000; ++i) contents += "{\"case\":\"" + std::to_string(i) + "\",\"records\":[]}\n";
    write_file(path, contents);
    InputOptions options;
    options.chunk_bytes = 1000;
    auto reader = open_inputs({path}, options);
    const auto chunks = read_all(*reader);
    std::string joined;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        joined += chunks[i].lines;
        const std::size_t last_line = chunks[i].lines.size() - 1 - chunks[i].lines.rfind('\n', chunks[i].lines.size() - 2);
        if (i + 1 < chunks.size()) CHECK(chunks[i].lines.size() >= options.chunk_bytes);
        CHECK(chunks[i].lines.size() - last_line < options.chunk_bytes);
    }
    CHECK(joined == contents);
}

TEST_CASE("an input line longer than the read window comes out whole") {
    TempDir dir;
    const std::string path = dir / "cases.ndjson";
    const std::string long_line = "{\"case\":\"long\",\"note\":\"" + std::string(300000, 'x') + "\"}";
    write_file(path, "{\"case\":\"short\"}\n" + long_line + "\n{\"case\":\"after\"}\n");
    InputOptions options;
    options.chunk_bytes = 16;
    auto reader = open_inputs({path}, options);
    const auto lines = numbered_lines(read_all(*reader));
    REQUIRE(lines.size() == 3);
    CHECK(lines[1] == NumberedLine{path, 2, long_line});
    CHECK(lines[2].number == 3);
}

TEST_CASE("every input file's size and SHA-256 are listed once it has been read") {
    TempDir dir;
    const std::string first = dir / "one.ndjson";
    const std::string second = dir / "two.ndjson";
    write_file(first, "{\"case\":1}\n");
    write_file(second, "{\"case\":2}\n{\"case\":3}\n");
    auto reader = open_inputs({first, second});
    CHECK(reader->bytes_total() == 11 + 22);
    read_all(*reader);
    CHECK(reader->bytes_read() == 11 + 22);
    REQUIRE(reader->files().size() == 2);
    CHECK(reader->files()[0].path == first);
    CHECK(reader->files()[0].bytes == 11);
    CHECK(reader->files()[0].sha256 == sha256_hex("{\"case\":1}\n"));
    CHECK(reader->files()[0].form == "ndjson");
    CHECK(reader->files()[1].sha256 == sha256_hex("{\"case\":2}\n{\"case\":3}\n"));
}

TEST_CASE("a directory of FHIR documents as input gives one line per file, in name order, with newlines flattened") {
    TempDir dir;
    const std::string pretty = "{\r\n  \"resourceType\": \"Bundle\",\r\n  \"type\": \"collection\",\n  \"entry\": []\n}\n";
    const std::string compact = R"({"resourceType":"Patient","id":"p9"})";
    write_file(dir / "b.json", compact);
    write_file(dir / "a.json", pretty);
    write_file(dir / "blank.json", " \n\n");
    write_file(dir / ".editor-backup.json", "not read");
    write_file(dir / "notes.txt", "not read either");
    auto reader = open_inputs({dir.path().string()});
    const auto chunks = read_all(*reader);
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[0].source == dir / "a.json");
    CHECK(chunks[0].first_line == 1);
    CHECK(chunks[0].lines.find_first_of("\r\n") == chunks[0].lines.size() - 1);
    CHECK(chunks[0].lines.size() == pretty.size() + 1);  // every byte keeps its column
    CHECK(nlohmann::json::parse(chunks[0].lines) == nlohmann::json::parse(pretty));
    CHECK(chunks[1].source == dir / "b.json");
    CHECK(chunks[1].lines == compact + "\n");
    REQUIRE(reader->files().size() == 3);  // the blank file was read, so it is listed
    CHECK(reader->files()[0].form == "fhir-json");
}

TEST_CASE("a bulk export as input is regrouped into one bundle per client, with its Patient and the resources that hang from its records") {
    TempDir dir;
    write_bulk_export(dir);
    auto reader = open_inputs({dir.path().string()});
    const auto lines = numbered_lines(read_all(*reader));
    const auto bundles = bundles_by_client(lines, dir.path().string());
    using entries = std::vector<std::string>;
    // Entries come in file-name order, then line order.
    CHECK(bundles.at("p1") == entries{"CarePlan/cp2", "Consent/c1", "DocumentReference/d1", "DocumentReference/d4", "Patient/p1",
                                      "Provenance/v1"});
    CHECK(bundles.at("p2") == entries{"Consent/c2", "DocumentReference/d2", "Patient/p2", "Provenance/v2", "ServiceRequest/sr1",
                                      "Task/t1"});
    CHECK(bundles.at("p3") == entries{"CarePlan/cp1", "DocumentReference/d3", "Patient/p3", "Provenance/v3"});
    CHECK(bundles.size() == 3);
    CHECK(reader->regroup_statistics().bundles == 3);
    // The bundles are numbered 1, 2, 3 as lines of the directory.
    std::vector<std::uint64_t> numbers;
    for (const auto& line : lines) {
        if (line.source == dir.path().string()) numbers.push_back(line.number);
    }
    CHECK(numbers == std::vector<std::uint64_t>{1, 2, 3});
    REQUIRE(reader->files().size() == 7);
    CHECK(reader->files()[0].path == dir / "CarePlan.ndjson");
    CHECK(reader->files()[0].form == "fhir-bulk-ndjson");
}

TEST_CASE("a bulk input line that cannot be placed comes out alone, at its own file and line") {
    TempDir dir;
    write_bulk_export(dir);
    auto reader = open_inputs({dir.path().string()});
    const auto chunks = read_all(*reader);
    std::vector<InputChunk> alone;
    for (const auto& chunk : chunks) {
        if (chunk.source != dir.path().string()) alone.push_back(chunk);
    }
    REQUIRE(alone.size() == 2);
    // Not JSON: found while reading, so it comes first.
    CHECK(alone[0].source == dir / "DocumentReference.ndjson");
    CHECK(alone[0].first_line == 3);
    CHECK(alone[0].lines == broken_line + "\n");
    // Valid, but what it hangs from was not exported.
    CHECK(alone[1].source == dir / "Provenance.ndjson");
    CHECK(alone[1].first_line == 4);
    CHECK(alone[1].lines.find("\"v-orphan\"") != std::string::npos);
    CHECK(std::count(alone[1].lines.begin(), alone[1].lines.end(), '\n') == 1);
    for (const auto& chunk : chunks) {
        if (chunk.source == dir.path().string()) CHECK(chunk.lines.find("d-bad") == std::string::npos);
    }
    CHECK(reader->regroup_statistics().lone_lines == 2);
}

TEST_CASE("bulk input under a tiny memory budget spills to disk and gives exactly the chunks of a large budget, leaving no files behind") {
    TempDir dir;
    write_bulk_export(dir);
    TempDir spill_dir;
    InputOptions large;
    large.temp_dir = spill_dir.path();
    InputOptions tiny = large;
    tiny.memory_budget = 200;  // less than two resources

    auto in_memory = open_inputs({dir.path().string()}, large);
    const auto expected = read_all(*in_memory);
    CHECK(in_memory->regroup_statistics().spill_files == 0);

    auto spilled = open_inputs({dir.path().string()}, tiny);
    InputChunk chunk;
    std::vector<InputChunk> actual;
    while (spilled->next(chunk)) {
        actual.push_back(chunk);
        CHECK(is_empty_directory(spill_dir.path()));  // unlinked as soon as created
    }
    REQUIRE_FALSE(spilled->error());
    CHECK(spilled->regroup_statistics().spill_files > 0);
    CHECK(spilled->regroup_statistics().spill_bytes > 0);
    CHECK(numbered_lines(actual) == numbered_lines(expected));
    spilled.reset();
    CHECK(is_empty_directory(spill_dir.path()));
}

TEST_CASE("spill partitions too big for the budget are split again, and the input still regroups exactly as in memory") {
    TempDir dir;
    std::string patients, documents, provenances;
    for (int i = 0; i < 600; ++i) {
        const std::string id = "client-" + std::to_string(i);
        patients += R"({"resourceType":"Patient","id":")" + id + "\"}\n";
        for (int k = 0; k < 2; ++k) {
            const std::string document = id + "-note-" + std::to_string(k);
            documents += R"({"resourceType":"DocumentReference","id":")" + document + R"(","subject":{"reference":"Patient/)" + id + "\"}}\n";
            provenances += R"({"resourceType":"Provenance","target":[{"reference":"DocumentReference/)" + document + "\"}]}\n";
        }
    }
    write_file(dir / "Patient.ndjson", patients);
    write_file(dir / "DocumentReference.ndjson", documents);
    write_file(dir / "Provenance.ndjson", provenances);
    TempDir spill_dir;
    InputOptions large;
    large.temp_dir = spill_dir.path();
    large.chunk_bytes = 10000;
    InputOptions tiny = large;
    tiny.memory_budget = 3000;

    auto in_memory = open_inputs({dir.path().string()}, large);
    const auto expected = read_all(*in_memory);
    auto spilled = open_inputs({dir.path().string()}, tiny);
    const auto actual = read_all(*spilled);
    CHECK(spilled->regroup_statistics().partition_splits > 0);
    CHECK(spilled->regroup_statistics().bundles == 600);
    CHECK(spilled->regroup_statistics().lone_lines == 0);
    CHECK(numbered_lines(actual) == numbered_lines(expected));
    for (const auto& [client, entries] : bundles_by_client(numbered_lines(actual), dir.path().string())) {
        CHECK(entries.size() == 5);
    }
    spilled.reset();
    CHECK(is_empty_directory(spill_dir.path()));
}

TEST_CASE("a bulk manifest chooses the input files, and one it lists but the directory lacks is an error") {
    TempDir dir;
    write_file(dir / "Patient.ndjson", R"({"resourceType":"Patient","id":"p1"})" "\n");
    write_file(dir / "Observation.ndjson", R"({"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"}})" "\n");
    const std::string manifest = R"({"transactionTime":"2026-01-01T00:00:00Z","request":"https://ehr.example/fhir/$export",)"
                                 R"("requiresAccessToken":false,"output":[{"type":"Patient","url":"https://ehr.example/files/Patient.ndjson"}],"error":[]})";
    write_file(dir / "manifest.json", manifest);
    auto reader = open_inputs({dir.path().string()});
    const auto lines = numbered_lines(read_all(*reader));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text.find("Observation") == std::string::npos);
    REQUIRE(reader->files().size() == 2);
    CHECK(reader->files()[0].form == "fhir-bulk-manifest");
    CHECK(reader->files()[0].sha256 == sha256_hex(manifest));

    write_file(dir / "manifest.json", R"({"output":[{"type":"Consent","url":"Consent.ndjson"}]})");
    InputError error;
    CHECK_FALSE(InputReader::open({dir.path().string()}, {}, error));
    CHECK(error.path == dir / "Consent.ndjson");
}

TEST_CASE("a directory of NDJSON case files is input passed through, not regrouped") {
    TempDir dir;
    write_file(dir / "b.ndjson", "{\"case\":\"b\",\"records\":[]}\n");
    write_file(dir / "a.ndjson", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}\n");
    auto reader = open_inputs({dir.path().string()});
    const std::vector<NumberedLine> expected = {{dir / "a.ndjson", 1, "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}"},
                                                {dir / "b.ndjson", 1, "{\"case\":\"b\",\"records\":[]}"}};
    CHECK(numbered_lines(read_all(*reader)) == expected);
}

TEST_CASE("inputs that cannot be read are errors naming the path and nothing else") {
    TempDir dir;
    InputError error;
    CHECK_FALSE(InputReader::open({dir / "missing.ndjson"}, {}, error));
    CHECK(error.path == dir / "missing.ndjson");
    CHECK(error.message == "does not exist");

    CHECK_FALSE(InputReader::open({dir.path().string()}, {}, error));
    CHECK(error.path == dir.path().string());
    CHECK(error.message == "holds no *.json or *.ndjson files");

    CHECK_FALSE(InputReader::open({"-", "-"}, {}, error));
    CHECK(error.path == "-");
}
