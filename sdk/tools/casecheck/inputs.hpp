// The audit's input side: turns the INPUT operands of `casecheck audit` into
// chunks of whole NDJSON lines, each line one client's case, for audit_add().
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace casecheck::cli {

// A run of whole NDJSON lines, each one client's case, and where the first came from.
// The lines of a chunk are consecutive in `source`: line k of the chunk is line first_line + k - 1.
// For the client bundles regrouped from a bulk export, `source` is the export directory and the
// "line" counts bundles: the n-th bundle built from that directory is its line n.
struct InputChunk {
    std::string source;            // the file the lines came from, as the user named it (a path; never content)
    std::uint64_t first_line = 0;  // 1-based number of the first line in `source`
    std::string lines;             // whole lines, each ending in '\n'
};

// Facts about one input file, for the audit's manifest.
struct InputFile {
    std::string path;      // as the user named it, or joined to the directory they named
    std::uint64_t bytes = 0;
    std::string sha256;    // 64 lowercase hex digits, of exactly the bytes read
    std::string form;      // "ndjson", "fhir-json", "fhir-bulk-ndjson" or "fhir-bulk-manifest"
};

// Why an input could not be read: a path and what is wrong, never the file's content.
struct InputError {
    std::string path;
    std::string message;

    // "path: message", for printing.
    std::string describe() const { return path + ": " + message; }
};

// How inputs are cut and how much memory regrouping a bulk export may use.
struct InputOptions {
    std::size_t chunk_bytes = std::size_t{4} << 20;     // a chunk ends at the first line end at or past this size
    std::size_t memory_budget = std::size_t{64} << 20;  // resource text a bulk regroup holds in memory before it spills
    std::filesystem::path temp_dir;                      // where spill files go; empty: the system's temporary directory
};

// What regrouping bulk exports did, for progress lines and for tests.
struct RegroupStatistics {
    std::uint64_t bundles = 0;           // client bundles built
    std::uint64_t lone_lines = 0;        // bulk lines passed on alone because they name no client we could find
    std::uint64_t spill_files = 0;       // temporary files created (each deleted as soon as it is created)
    std::uint64_t spill_bytes = 0;       // bytes written to them
    std::uint64_t partition_splits = 0;  // spill partitions too big for the budget, split again
};

// Reads the audit's inputs in order and hands out chunks of whole case lines.
// An operand is "-" (standard input, NDJSON of cases), an NDJSON file of cases, a
// directory of FHIR documents (*.json, one client each, each becoming one line), a
// directory of NDJSON files of cases, or a FHIR Bulk Data export directory (*.ndjson
// of resources, with or without manifest.json), regrouped into one Bundle per client.
class InputReader {
public:
    // Checks every operand and tells the forms apart; null with `error` set (naming the path) on failure.
    static std::unique_ptr<InputReader> open(const std::vector<std::string>& paths, const InputOptions& options,
                                             InputError& error);
    ~InputReader();
    InputReader(const InputReader&) = delete;
    InputReader& operator=(const InputReader&) = delete;

    // Fills `chunk` with the next chunk of about chunk_bytes; false at the end or on error(). One caller at a time.
    bool next(InputChunk& chunk);
    // The failure that ended next() early (a read error, a full temporary disk), if any.
    const std::optional<InputError>& error() const;

    // Every file read so far, in reading order; complete after the last next().
    const std::vector<InputFile>& files() const;
    // Input bytes read so far, for progress.
    std::uint64_t bytes_read() const;
    // The sum of the input files' sizes; 0 when it is unknown (a pipe on standard input).
    std::uint64_t bytes_total() const;
    // What regrouping bulk exports has done so far.
    const RegroupStatistics& regroup_statistics() const;

    class Impl;

private:
    explicit InputReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace casecheck::cli
