// The audit's inputs, read into chunks of whole case lines.
//
// NDJSON of cases (a file, a directory of them, or "-") passes through untouched:
// large reads into a sliding window, memchr for line ends, one copy into the
// chunk. Nothing parses JSON on this path. A blank line is skipped but ends the
// chunk, because the plugin numbers a chunk's lines from first_line on, and a
// line dropped from inside a chunk would shift every number after it.
//
// A directory of FHIR documents gives one line per *.json file. Outside strings
// JSON allows raw CR and LF as whitespace, and inside strings it forbids them,
// so turning each into a space keeps a valid document valid, an invalid one
// invalid, and every byte where it was.
//
// A Bulk Data export (*.ndjson of resources, one type per file) is regrouped
// into one collection Bundle per client:
//
//   1. Scan. Each line is read once with nlohmann's SAX parser, which checks it
//      is JSON and picks out only what places it: resourceType, id, the client
//      reference (subject, patient or for; for a Patient, its own id) and, for
//      a resource with none, the reference it hangs from (Provenance.target,
//      Task.focus, Communication.basedOn or payload.contentReference), as
//      fhir/src/from_fhir.cpp reads them. Parsing is the costly part and the
//      audit's workers have nothing to do until the scan ends, so lines are
//      parsed in batches (up to 4 MiB) on all cores, then placed one by one in
//      input order. A resource with a client becomes a member of that client's
//      group and, if it has an id, an index entry "Type/id -> client". A
//      resource without one becomes pending on its reference. A line that is
//      not JSON, has no resourceType, or names no client or reference is
//      handed out at once, alone, with its own file and line number, so the
//      plugin reports it where it is and the audit goes on. (So are resources
//      no client owns, such as Practitioner or Organization: the plugin reads
//      each as a case without records.)
//   2. Join. Index entries and pending resources are ordered by the hash of
//      "Type/id"; in each run of one key, the earliest index entry gives the
//      client of every pending resource that follows it. One level only: a
//      resource that hangs from another pending one is not followed. A pending
//      resource whose target has no client is handed out alone, like a bad line.
//   3. Emit. Members are ordered by (hash of client, client, file, line); each
//      run of one client becomes one Bundle line, its entries in file and line
//      order, the resource text spliced in as read (it was checked to be JSON).
//
// Memory. Members and the join's records live in two stores that hold records
// in memory while their text (plus a fixed overhead per record) stays under
// the budget. Past it, both spill: each store becomes P files, record i going
// to file floor(hash / (2^64 / P)), so every file covers one contiguous hash
// range. P comes from the export's size (twice the number of budgets it fills,
// at least 2, at most 128 to stay well inside the descriptor limit). Reading
// a store takes its files in hash order; one whose records would not fit the
// budget is split again the same way over its own [min hash, max hash] range,
// recursively, and only files that fit are loaded. A file whose records all
// share one hash (one client) cannot be split and is loaded whatever its size:
// one client's bundle is the floor of the budget, as it is one line anyway.
// Beyond the budget, the scan's batch and the spill files' stdio buffers (at
// most a quarter of the budget) are the only memory regrouping uses.
// Spill files are created with mkstemp in the temporary directory and unlinked
// at once, so nothing is left behind at the end, on an error, or if the
// process is killed; each is closed, and its space freed, once it is read.
//
// Determinism. Within each hash range records are sorted by a total order,
// and ranges are taken in ascending hash order, so the sequence of bundles
// and lone lines is the same whether everything stayed in memory or was
// split a hundred ways: clients come out in order of a 64-bit hash of their
// id (stable, not alphabetical), each bundle's entries in input order. Bad
// lines found while scanning come first, in input order.
//
// Chunks of regrouped bundles have no single line in any file: their source
// is the export directory and their line numbers count bundles, so "line n"
// of the directory is the n-th bundle built from it, which is stable for a
// given export.
#include "inputs.hpp"

#include "sha256.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace casecheck::cli {
namespace {

namespace fs = std::filesystem;

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

bool is_blank(std::string_view line) {
    for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
}

std::string_view trim_right(std::string_view text) {
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// What every source shares with the reader.
struct ReaderState {
    InputOptions options;
    std::vector<InputFile> files;
    std::uint64_t bytes_read = 0;
    std::optional<InputError> error;
    RegroupStatistics statistics;

    // Keeps the first failure; returns false so callers can `return state.fail(...)`.
    bool fail(std::string path, std::string message) {
        if (!error) error = InputError{std::move(path), std::move(message)};
        return false;
    }
};

// One input file read in large blocks; every byte read is hashed and counted exactly once.
class HashedFile {
public:
    HashedFile(std::string path, ReaderState& state) : path_(std::move(path)), state_(state) {}
    ~HashedFile() { close(); }
    HashedFile(const HashedFile&) = delete;
    HashedFile& operator=(const HashedFile&) = delete;

    bool open() {
        if (path_ == "-") {
            fd_ = STDIN_FILENO;
            return true;
        }
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return state_.fail(path_, "cannot be opened: " + describe_errno(errno));
        owns_fd_ = true;
        ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
        return true;
    }

    // Up to `size` bytes into `into`: the count, 0 at the end, -1 on failure (the state's error is set).
    std::ptrdiff_t read(char* into, std::size_t size) {
        for (;;) {
            const ssize_t n = ::read(fd_, into, size);
            if (n >= 0) {
                hash_.update(into, static_cast<std::size_t>(n));
                bytes_ += static_cast<std::uint64_t>(n);
                state_.bytes_read += static_cast<std::uint64_t>(n);
                return n;
            }
            if (errno == EINTR) continue;
            state_.fail(path_, "cannot be read: " + describe_errno(errno));
            return -1;
        }
    }

    // Enters the file in the manifest, once it has been read to the end.
    void finish(const char* form) {
        state_.files.push_back({path_, bytes_, hash_.hex_digest(), form});
        close();
    }

    const std::string& path() const { return path_; }

private:
    void close() {
        if (owns_fd_ && fd_ >= 0) ::close(fd_);
        fd_ = -1;
        owns_fd_ = false;
    }

    std::string path_;
    ReaderState& state_;
    int fd_ = -1;
    bool owns_fd_ = false;
    Sha256 hash_;
    std::uint64_t bytes_ = 0;
};

// A sliding window over a file, so lines are handed out without copying them one by one.
class LineWindow {
public:
    LineWindow(HashedFile& file, std::size_t capacity)
        : file_(file), data_(std::make_unique<char[]>(capacity)), capacity_(capacity) {}

    // Reads until the window holds at least `want` bytes or the file has ended; false on a read error.
    bool fill(std::size_t want) {
        if (size() >= want || eof_) return true;
        if (want > capacity_) {
            const std::size_t capacity = std::max(want, capacity_ * 2);
            auto data = std::make_unique<char[]>(capacity);
            std::memcpy(data.get(), data_.get() + begin_, size());
            data_ = std::move(data);
            capacity_ = capacity;
            end_ -= begin_;
            begin_ = 0;
        } else if (capacity_ - begin_ < want) {
            std::memmove(data_.get(), data_.get() + begin_, size());
            end_ -= begin_;
            begin_ = 0;
        }
        while (size() < want && !eof_) {
            const std::ptrdiff_t n = file_.read(data_.get() + end_, capacity_ - end_);
            if (n < 0) return false;
            if (n == 0) eof_ = true;
            end_ += static_cast<std::size_t>(n);
        }
        return true;
    }

    // The next line without its '\n' (the last may have none), or nothing at the end; false on a read error.
    // The view lasts until the next call.
    bool next_line(std::optional<std::string_view>& line) {
        std::size_t searched = 0;
        for (;;) {
            const std::string_view data = view();
            const void* newline = std::memchr(data.data() + searched, '\n', data.size() - searched);
            if (newline != nullptr) {
                const auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - data.data());
                line = data.substr(0, length);
                begin_ += length + 1;
                return true;
            }
            if (eof_) {
                if (data.empty()) line.reset();
                else line = data;
                begin_ = end_;
                return true;
            }
            searched = data.size();
            if (!fill(std::max<std::size_t>(data.size() * 2, 64 * 1024))) return false;
        }
    }

    std::string_view view() const { return {data_.get() + begin_, size()}; }
    void consume(std::size_t bytes) { begin_ += bytes; }
    bool at_end() const { return eof_; }

private:
    std::size_t size() const { return end_ - begin_; }

    HashedFile& file_;
    std::unique_ptr<char[]> data_;
    std::size_t capacity_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
};

// Where chunks come from: one operand, or one file of a directory operand.
class Source {
public:
    virtual ~Source() = default;
    // The next chunk; false when this source is done (or failed: the state's error says).
    virtual bool next(InputChunk& chunk) = 0;
};

// NDJSON of cases, passed through in chunks cut at line ends.
class NdjsonSource : public Source {
public:
    NdjsonSource(std::string path, ReaderState& state) : state_(state), file_(std::move(path), state) {}

    bool next(InputChunk& chunk) override {
        if (finished_) return false;
        if (!window_) {
            // Opened (and its buffer allocated) only now: a directory may hold thousands of these.
            if (!file_.open()) return false;
            window_ = std::make_unique<LineWindow>(file_, std::max<std::size_t>(2 * target_bytes(), 1 << 16));
        }
        LineWindow& window = *window_;
        const std::size_t target = target_bytes();
        std::size_t want = target;
        for (;;) {
            if (!window.fill(want)) return false;
            const std::string_view data = window.view();
            if (data.empty()) {
                file_.finish("ndjson");
                finished_ = true;
                return false;
            }
            constexpr std::size_t none = std::string_view::npos;
            std::size_t position = 0;
            std::size_t span_begin = none;
            std::size_t span_end = 0;
            std::uint64_t line = lines_passed_;
            std::uint64_t first_line = 0;
            bool last_line_unterminated = false;
            bool partial_line = false;
            while (position < data.size()) {
                const void* newline = std::memchr(data.data() + position, '\n', data.size() - position);
                if (newline == nullptr && !window.at_end()) {
                    partial_line = true;
                    break;
                }
                const std::size_t line_end =
                    newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - data.data()) : data.size();
                const std::size_t after = newline != nullptr ? line_end + 1 : data.size();
                if (is_blank(data.substr(position, line_end - position))) {
                    if (span_begin != none) break;
                    ++line;
                    position = after;
                    continue;
                }
                if (span_begin == none) {
                    span_begin = position;
                    first_line = line + 1;
                }
                ++line;
                position = after;
                span_end = after;
                last_line_unterminated = newline == nullptr;
                if (span_end - span_begin >= target) break;
            }
            if (span_begin != none) {
                chunk.source = file_.path();
                chunk.first_line = first_line;
                chunk.lines.assign(data.data() + span_begin, span_end - span_begin);
                if (last_line_unterminated) chunk.lines += '\n';
            }
            window.consume(position);
            lines_passed_ = line;
            if (span_begin != none) return true;
            // Only blank lines so far, or one line longer than the window: read on, growing it if need be.
            want = partial_line ? std::max(target, 2 * (data.size() - position)) : target;
        }
    }

private:
    std::size_t target_bytes() const { return std::max<std::size_t>(state_.options.chunk_bytes, 1); }

    ReaderState& state_;
    HashedFile file_;
    std::unique_ptr<LineWindow> window_;
    bool finished_ = false;
    std::uint64_t lines_passed_ = 0;  // lines consumed, blank ones included
};

// The whole file into `text`; `expected_size` (its size when listed) spares regrowing, one more byte sees the end.
bool read_whole_file(HashedFile& file, std::string& text, std::uint64_t expected_size) {
    text.resize(static_cast<std::size_t>(expected_size) + 1);
    std::size_t used = 0;
    for (;;) {
        if (used == text.size()) text.resize(std::max<std::size_t>(text.size() * 2, 1 << 16));
        const std::ptrdiff_t n = file.read(text.data() + used, text.size() - used);
        if (n < 0) return false;
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    text.resize(used);
    return true;
}

// A directory of FHIR documents, one client each: every file becomes one line.
class DocumentDirectorySource : public Source {
public:
    DocumentDirectorySource(std::vector<std::string> paths, ReaderState& state) : state_(state), paths_(std::move(paths)) {}

    bool next(InputChunk& chunk) override {
        while (next_file_ < paths_.size()) {
            HashedFile file(paths_[next_file_++], state_);
            std::error_code unknown_size;
            const std::uint64_t size = fs::file_size(file.path(), unknown_size);
            if (!file.open() || !read_whole_file(file, chunk.lines, unknown_size ? 0 : size)) return false;
            file.finish("fhir-json");
            // A blank file is a blank line: skipped, like one in NDJSON.
            if (chunk.lines.find_first_not_of(" \t\r\n") == std::string::npos) continue;
            std::replace(chunk.lines.begin(), chunk.lines.end(), '\n', ' ');
            std::replace(chunk.lines.begin(), chunk.lines.end(), '\r', ' ');
            chunk.lines += '\n';
            chunk.source = file.path();
            chunk.first_line = 1;
            return true;
        }
        return false;
    }

private:
    ReaderState& state_;
    std::vector<std::string> paths_;
    std::size_t next_file_ = 0;
};

// ---------------------------------------------------------------------------
// What places a bulk resource: read with a SAX pass, nothing else kept.

// The client reference members, in the order they are tried.
constexpr std::size_t subject_slots = 3;  // subject, patient, for
// The references a resource without a client may hang from, in the order they are tried.
constexpr std::size_t hanging_slots = 4;  // Provenance.target, Task.focus, Communication.basedOn, payload.contentReference

struct ResourceFacts {
    std::string resource_type;
    std::string id;
    std::array<std::string, subject_slots> subject_reference;
    std::array<std::string, subject_slots> subject_identifier;
    std::array<std::string, hanging_slots> hanging_reference;  // the first of each
};

// Where the parser is, as far as placing the resource is concerned.
enum class Place : std::uint8_t { elsewhere, resource, subject, subject_identifier, reference_list, reference, payload_list, payload };
// The member names that matter somewhere.
enum class Member : std::uint8_t {
    other, resource_type, id, subject, patient, for_, identifier, reference, value, target, focus, based_on, payload, content_reference
};

Member member_named(Place place, std::string_view name) {
    switch (place) {
    case Place::resource:
        if (name == "resourceType") return Member::resource_type;
        if (name == "id") return Member::id;
        if (name == "subject") return Member::subject;
        if (name == "patient") return Member::patient;
        if (name == "for") return Member::for_;
        if (name == "target") return Member::target;
        if (name == "focus") return Member::focus;
        if (name == "basedOn") return Member::based_on;
        if (name == "payload") return Member::payload;
        return Member::other;
    case Place::subject:
        if (name == "reference") return Member::reference;
        if (name == "identifier") return Member::identifier;
        return Member::other;
    case Place::subject_identifier: return name == "value" ? Member::value : Member::other;
    case Place::reference: return name == "reference" ? Member::reference : Member::other;
    case Place::payload: return name == "contentReference" ? Member::content_reference : Member::other;
    default: return Member::other;
    }
}

// A SAX handler for nlohmann::json::sax_parse that fills ResourceFacts and builds nothing.
class ResourceFactsReader {
public:
    using number_integer_t = nlohmann::json::number_integer_t;
    using number_unsigned_t = nlohmann::json::number_unsigned_t;
    using number_float_t = nlohmann::json::number_float_t;
    using string_t = nlohmann::json::string_t;
    using binary_t = nlohmann::json::binary_t;

    explicit ResourceFactsReader(ResourceFacts& facts) : facts_(facts) {}

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(number_integer_t) { return true; }
    bool number_unsigned(number_unsigned_t) { return true; }
    bool number_float(number_float_t, const string_t&) { return true; }
    bool binary(binary_t&) { return true; }

    bool string(string_t& value) {
        if (frames_.empty()) return true;
        const Frame& frame = frames_.back();
        switch (frame.place) {
        case Place::resource:
            if (frame.member == Member::resource_type && facts_.resource_type.empty()) facts_.resource_type = value;
            else if (frame.member == Member::id && facts_.id.empty()) facts_.id = value;
            break;
        case Place::subject:
            if (frame.member == Member::reference) facts_.subject_reference[frame.slot] = value;
            break;
        case Place::subject_identifier:
            if (frame.member == Member::value) facts_.subject_identifier[frame.slot] = value;
            break;
        case Place::reference:
            if (frame.member == Member::reference && facts_.hanging_reference[frame.slot].empty()) {
                facts_.hanging_reference[frame.slot] = value;
            }
            break;
        default: break;
        }
        return true;
    }

    bool start_object(std::size_t) {
        Frame frame;
        if (frames_.empty()) {
            frame.place = Place::resource;
        } else {
            const Frame& parent = frames_.back();
            switch (parent.place) {
            case Place::resource:
                if (parent.member == Member::subject) frame = {Place::subject, 0};
                else if (parent.member == Member::patient) frame = {Place::subject, 1};
                else if (parent.member == Member::for_) frame = {Place::subject, 2};
                else if (parent.member == Member::focus) frame = {Place::reference, 1};
                break;
            case Place::subject:
                if (parent.member == Member::identifier) frame = {Place::subject_identifier, parent.slot};
                break;
            case Place::reference_list: frame = {Place::reference, parent.slot}; break;
            case Place::payload_list: frame = {Place::payload, parent.slot}; break;
            case Place::payload:
                if (parent.member == Member::content_reference) frame = {Place::reference, parent.slot};
                break;
            default: break;
            }
        }
        frames_.push_back(frame);
        return true;
    }

    bool start_array(std::size_t) {
        Frame frame;
        if (!frames_.empty() && frames_.back().place == Place::resource) {
            const Member member = frames_.back().member;
            if (member == Member::target) frame = {Place::reference_list, 0};
            else if (member == Member::based_on) frame = {Place::reference_list, 2};
            else if (member == Member::payload) frame = {Place::payload_list, 3};
        }
        frames_.push_back(frame);
        return true;
    }

    bool key(string_t& name) {
        Frame& frame = frames_.back();
        if (frame.place != Place::elsewhere) frame.member = member_named(frame.place, name);
        return true;
    }

    bool end_object() {
        frames_.pop_back();
        return true;
    }
    bool end_array() {
        frames_.pop_back();
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) { return false; }

private:
    struct Frame {
        Place place = Place::elsewhere;
        std::uint8_t slot = 0;
        Member member = Member::other;
    };

    ResourceFacts& facts_;
    std::vector<Frame> frames_;
};

// False when the line is not one JSON value.
bool read_resource_facts(std::string_view line, ResourceFacts& facts) {
    ResourceFactsReader reader(facts);
    return nlohmann::json::sax_parse(line.begin(), line.end(), &reader);
}

// "Type/id" from a relative or absolute reference, without a version; empty when it has no such form.
std::string resource_address(std::string_view reference) {
    if (reference.rfind("urn:", 0) == 0 || reference.rfind('#', 0) == 0) return {};
    if (const auto history = reference.find("/_history/"); history != std::string_view::npos) reference = reference.substr(0, history);
    const auto slash = reference.rfind('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == reference.size()) return {};
    const auto type_start = reference.rfind('/', slash - 1);
    const std::string_view type = reference.substr(type_start == std::string_view::npos ? 0 : type_start + 1,
                                                   slash - (type_start == std::string_view::npos ? 0 : type_start + 1));
    if (type.empty() || type.front() < 'A' || type.front() > 'Z') return {};
    return std::string(type) + "/" + std::string(reference.substr(slash + 1));
}

// The client a resource names directly, as from_fhir.cpp reads it (identifier value, else the Patient id); empty if none.
std::string client_of(const ResourceFacts& facts) {
    if (facts.resource_type == "Patient") return facts.id;
    for (std::size_t slot = 0; slot < subject_slots; ++slot) {
        if (!facts.subject_identifier[slot].empty()) return facts.subject_identifier[slot];
        const std::string& reference = facts.subject_reference[slot];
        if (reference.empty()) continue;
        const std::string address = resource_address(reference);
        if (address.rfind("Patient/", 0) == 0) return address.substr(8);
        return address.empty() ? reference : address;
    }
    return {};
}

// The resource a client-less resource hangs from, as "Type/id"; empty if none.
std::string hanging_from(const ResourceFacts& facts) {
    for (const std::string& reference : facts.hanging_reference) {
        if (std::string address = resource_address(reference); !address.empty()) return address;
    }
    return {};
}

// FNV-1a, then MurmurHash3's finaliser, so the top bits (which choose partitions) are well mixed.
std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

std::uint64_t key_hash(std::string_view key) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return mix(h);
}

// ---------------------------------------------------------------------------
// Spillable stores of records.

enum class RecordKind : std::uint8_t {
    member,       // a resource of the client `key`
    lone,         // a resource to hand out alone, at its own file and line
    index_entry,  // `key` ("Type/id") belongs to the client in `text`
    pending,      // a resource whose client is that of `key` ("Type/id")
};

struct Record {
    std::uint64_t hash = 0;  // of `key`: orders records and chooses their partition
    RecordKind kind = RecordKind::member;
    std::uint32_t file = 0;  // index of the bulk file it came from
    std::uint64_t line = 0;  // its line there
    std::string key;
    std::string text;
};

bool same_key(const Record& a, const Record& b) { return a.hash == b.hash && a.key == b.key; }

bool record_order(const Record& a, const Record& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    if (const int c = a.key.compare(b.key); c != 0) return c < 0;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.file != b.file) return a.file < b.file;
    return a.line < b.line;
}

// What a record costs in memory: its text, and a fixed guess for the struct and allocations.
std::size_t memory_cost(const Record& record) { return record.key.size() + record.text.size() + sizeof(Record) + 32; }

// Which of `parts` equal slices of [low, high] holds `hash`.
std::size_t slice_of(std::uint64_t hash, std::uint64_t low, std::uint64_t high, std::size_t parts) {
    const std::uint64_t step = (high - low) / parts + 1;
    return static_cast<std::size_t>((hash - low) / step);
}

// $TMPDIR, else /tmp.
fs::path system_temp_directory() {
    std::error_code unknown;
    fs::path directory = fs::temp_directory_path(unknown);
    return unknown || directory.empty() ? fs::path("/tmp") : directory;
}

// Where spill files go, how much memory the stores may use, and whom to tell about failures.
struct SpillSpace {
    fs::path directory;
    std::size_t budget = 0;
    std::size_t stdio_buffer = 0;
    ReaderState* state = nullptr;

    bool fail(const char* what, int error_number) {
        return state->fail(directory.string(), std::string(what) + (error_number != 0 ? ": " + describe_errno(error_number) : ""));
    }
};

// One spill file: written once, then read once. It is unlinked as soon as it exists.
class SpillFile {
public:
    static std::unique_ptr<SpillFile> create(SpillSpace& space) {
        std::string name = (space.directory / "casecheck-regroup-XXXXXX").string();
        const int fd = ::mkstemp(name.data());
        if (fd < 0) {
            space.fail("cannot create a temporary file", errno);
            return nullptr;
        }
        ::unlink(name.c_str());
        std::FILE* stream = ::fdopen(fd, "w+b");
        if (stream == nullptr) {
            const int error_number = errno;
            ::close(fd);
            space.fail("cannot create a temporary file", error_number);
            return nullptr;
        }
        ++space.state->statistics.spill_files;
        return std::unique_ptr<SpillFile>(new SpillFile(space, stream));
    }

    ~SpillFile() { std::fclose(stream_); }
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    bool write(const Record& record) {
        constexpr std::size_t largest = std::numeric_limits<std::uint32_t>::max();
        if (record.key.size() > largest || record.text.size() > largest) {
            return space_.fail("cannot spill a line of 4 GiB or more", 0);
        }
        const Header header{record.hash, record.line, record.file, static_cast<std::uint32_t>(record.key.size()),
                            static_cast<std::uint32_t>(record.text.size()), record.kind};
        if (std::fwrite(&header, sizeof header, 1, stream_) != 1 ||
            std::fwrite(record.key.data(), 1, record.key.size(), stream_) != record.key.size() ||
            std::fwrite(record.text.data(), 1, record.text.size(), stream_) != record.text.size()) {
            return space_.fail("cannot write a temporary file", errno);
        }
        ++count;
        cost += memory_cost(record);
        min_hash = std::min(min_hash, record.hash);
        max_hash = std::max(max_hash, record.hash);
        space_.state->statistics.spill_bytes += sizeof header + record.key.size() + record.text.size();
        return true;
    }

    bool start_reading() {
        if (std::fflush(stream_) != 0 || std::fseek(stream_, 0, SEEK_SET) != 0) return space_.fail("cannot write a temporary file", errno);
        return true;
    }

    // The next record into `record`; `got` false at the end. False on a read error.
    bool read(Record& record, bool& got) {
        Header header;
        got = false;
        if (std::fread(&header, sizeof header, 1, stream_) != 1) {
            if (std::feof(stream_) && !std::ferror(stream_)) return true;
            return space_.fail("cannot read back a temporary file", errno);
        }
        record.hash = header.hash;
        record.line = header.line;
        record.file = header.file;
        record.kind = header.kind;
        record.key.resize(header.key_size);
        record.text.resize(header.text_size);
        if (std::fread(record.key.data(), 1, header.key_size, stream_) != header.key_size ||
            std::fread(record.text.data(), 1, header.text_size, stream_) != header.text_size) {
            return space_.fail("cannot read back a temporary file", errno);
        }
        got = true;
        return true;
    }

    std::uint64_t count = 0;
    std::size_t cost = 0;  // of all its records, were they in memory
    std::uint64_t min_hash = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t max_hash = 0;

private:
    // Read back by the process that wrote it, so native layout is fine.
    struct Header {
        std::uint64_t hash;
        std::uint64_t line;
        std::uint32_t file;
        std::uint32_t key_size;
        std::uint32_t text_size;
        RecordKind kind;
    };

    SpillFile(SpillSpace& space, std::FILE* stream)
        : space_(space), stream_(stream), buffer_(std::make_unique<char[]>(space.stdio_buffer)) {
        std::setvbuf(stream_, buffer_.get(), _IOFBF, space.stdio_buffer);
    }

    SpillSpace& space_;
    std::FILE* stream_;
    std::unique_ptr<char[]> buffer_;
};

// Records held in memory until told to spill, then in hash-range partition files; read back range by range.
class RecordStore {
public:
    explicit RecordStore(SpillSpace& space) : space_(space) {}

    bool add(Record record) {
        if (!spilled_) {
            memory_cost_ += memory_cost(record);
            memory_.push_back(std::move(record));
            return true;
        }
        return partitions_[slice_of(record.hash, 0, std::numeric_limits<std::uint64_t>::max(), partitions_.size())]->write(record);
    }

    // Moves every record to `count` files by hash range; add() writes to them from now on.
    bool spill(std::size_t count) {
        if (spilled_ || reading_) return true;
        spilled_ = true;
        partitions_.resize(count);
        for (auto& partition : partitions_) {
            partition = SpillFile::create(space_);
            if (!partition) return false;
        }
        for (Record& record : memory_) {
            if (!add(std::move(record))) return false;
        }
        std::vector<Record>().swap(memory_);
        memory_cost_ = 0;
        return true;
    }

    bool spilled() const { return spilled_; }
    std::size_t memory_cost_held() const { return memory_cost_; }

    // After the last add(): the next hash range's records, sorted, and their cost; false when none are left or on error.
    bool next_range(std::vector<Record>& records, std::size_t& cost) {
        records.clear();
        if (!reading_) {
            reading_ = true;
            for (auto it = partitions_.rbegin(); it != partitions_.rend(); ++it) unread_.push_back(std::move(*it));
            partitions_.clear();
        }
        if (!spilled_) {
            if (memory_.empty()) return false;
            records.swap(memory_);
            cost = memory_cost_;
            memory_cost_ = 0;
            std::sort(records.begin(), records.end(), record_order);
            return true;
        }
        while (!unread_.empty()) {
            std::unique_ptr<SpillFile> file = std::move(unread_.back());
            unread_.pop_back();
            if (file->count == 0) continue;
            if (!file->start_reading()) return false;
            if (file->cost > space_.budget && file->min_hash < file->max_hash) {
                if (!split(*file)) return false;
                continue;
            }
            records.reserve(file->count);
            for (;;) {
                Record record;
                bool got = false;
                if (!file->read(record, got)) return false;
                if (!got) break;
                records.push_back(std::move(record));
            }
            cost = file->cost;
            std::sort(records.begin(), records.end(), record_order);
            return true;
        }
        return false;
    }

private:
    // Splits a file too big for the budget into slices of its own hash range, to be read in order.
    bool split(SpillFile& file) {
        ++space_.state->statistics.partition_splits;
        const std::size_t parts = std::clamp<std::size_t>(2 * (file.cost / std::max<std::size_t>(space_.budget, 1) + 1), 2, 64);
        std::vector<std::unique_ptr<SpillFile>> slices(parts);
        for (;;) {
            Record record;
            bool got = false;
            if (!file.read(record, got)) return false;
            if (!got) break;
            auto& slice = slices[slice_of(record.hash, file.min_hash, file.max_hash, parts)];
            if (!slice && !(slice = SpillFile::create(space_))) return false;
            if (!slice->write(record)) return false;
        }
        for (auto it = slices.rbegin(); it != slices.rend(); ++it) {
            if (*it) unread_.push_back(std::move(*it));
        }
        return true;
    }

    SpillSpace& space_;
    std::vector<Record> memory_;
    std::size_t memory_cost_ = 0;
    bool spilled_ = false;
    bool reading_ = false;
    std::vector<std::unique_ptr<SpillFile>> partitions_;  // while writing, in hash order
    std::vector<std::unique_ptr<SpillFile>> unread_;      // while reading: a stack, lowest hash range on top
};

// ---------------------------------------------------------------------------

// Lines of one bulk file, read on all cores, then placed one by one in input order.
struct ScanBatch {
    struct Line {
        std::size_t offset;  // in `text`
        std::size_t size;
        std::uint64_t number;
    };
    std::uint32_t file = 0;
    std::string text;
    std::vector<Line> lines;
    std::vector<ResourceFacts> facts;
    std::vector<unsigned char> parsed;  // 1 where the line is one JSON value
    std::size_t next = 0;               // the next line to place
};

// A FHIR Bulk Data export, regrouped into one collection Bundle per client (see the top of this file).
class BulkExportSource : public Source {
public:
    BulkExportSource(std::string directory, std::vector<std::string> paths, std::optional<InputFile> manifest,
                     std::uint64_t total_bytes, ReaderState& state)
        : state_(state), directory_(std::move(directory)), paths_(std::move(paths)), manifest_(std::move(manifest)),
          total_bytes_(total_bytes), members_(space_), joins_(space_) {
        space_.directory = state.options.temp_dir.empty() ? system_temp_directory() : state.options.temp_dir;
        space_.budget = std::max<std::size_t>(state.options.memory_budget, 1);
        space_.stdio_buffer = std::clamp<std::size_t>(space_.budget / 1024, 4096, 256 * 1024);
        space_.state = &state;
    }

    bool next(InputChunk& chunk) override {
        if (phase_ == Phase::scanning) {
            if (manifest_) {
                state_.files.push_back(std::move(*manifest_));
                manifest_.reset();
            }
            if (scan(chunk)) return true;
            if (state_.error || !join()) return false;
            phase_ = Phase::emitting;
        }
        if (phase_ == Phase::emitting) {
            if (emit(chunk)) return true;
            phase_ = Phase::done;
        }
        return false;
    }

private:
    enum class Phase { scanning, emitting, done };
    enum class Placement { stored, lone, failed };

    // Places lines until one must go out alone (true, in `chunk`) or every file is read (false).
    bool scan(InputChunk& chunk) {
        for (;;) {
            if (batch_.next == batch_.lines.size()) {
                if (read_batch()) continue;
                batch_ = ScanBatch{};  // its memory is of no more use
                return false;
            }
            const std::size_t i = batch_.next++;
            const ScanBatch::Line& line = batch_.lines[i];
            const std::string_view text(batch_.text.data() + line.offset, line.size);
            switch (place(text, batch_.parsed[i] != 0, batch_.facts[i], batch_.file, line.number)) {
            case Placement::stored: break;
            case Placement::failed: return false;
            case Placement::lone:
                chunk.source = paths_[batch_.file];
                chunk.first_line = line.number;
                chunk.lines.assign(text);
                chunk.lines += '\n';
                ++state_.statistics.lone_lines;
                return true;
            }
        }
    }

    // The next lines of the current (or next) bulk file, parsed; false when every file is read, or on error.
    bool read_batch() {
        batch_.text.clear();
        batch_.lines.clear();
        batch_.next = 0;
        const std::size_t batch_bytes = std::clamp<std::size_t>(space_.budget / 16, 64 * 1024, 4 << 20);
        while (batch_.lines.empty()) {
            if (!window_) {
                if (file_index_ == paths_.size()) return false;
                file_ = std::make_unique<HashedFile>(paths_[file_index_], state_);
                if (!file_->open()) return false;
                window_ = std::make_unique<LineWindow>(*file_, 1 << 20);
                line_ = 0;
            }
            batch_.file = static_cast<std::uint32_t>(file_index_);
            while (batch_.text.size() < batch_bytes) {
                std::optional<std::string_view> line;
                if (!window_->next_line(line)) return false;
                if (!line) {
                    file_->finish("fhir-bulk-ndjson");
                    window_.reset();
                    file_.reset();
                    ++file_index_;
                    break;
                }
                ++line_;
                const std::string_view text = trim_right(*line);
                if (is_blank(text)) continue;
                batch_.lines.push_back({batch_.text.size(), text.size(), line_});
                batch_.text.append(text);
            }
        }
        return parse_batch();
    }

    // Reads every line of the batch on all cores: the scan is the one part of regrouping
    // that parses, and the audit's workers have nothing to do until it ends.
    bool parse_batch() {
        const std::size_t count = batch_.lines.size();
        batch_.facts.assign(count, ResourceFacts{});
        batch_.parsed.assign(count, 0);
        std::atomic<bool> failed{false};
        const auto parse = [&](std::size_t from, std::size_t to) {
            try {
                for (std::size_t i = from; i < to; ++i) {
                    const ScanBatch::Line& line = batch_.lines[i];
                    batch_.parsed[i] = read_resource_facts({batch_.text.data() + line.offset, line.size}, batch_.facts[i]) ? 1 : 0;
                }
            } catch (...) {
                failed = true;
            }
        };
        const std::size_t workers = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), count / 64 + 1);
        std::vector<std::thread> threads;
        for (std::size_t w = 1; w < workers; ++w) {
            const std::size_t from = count * w / workers;
            const std::size_t to = count * (w + 1) / workers;
            try {
                threads.emplace_back(parse, from, to);
            } catch (const std::system_error&) {
                parse(from, to);  // no thread to be had: this one does the share
            }
        }
        parse(0, count / workers);
        for (std::thread& thread : threads) thread.join();
        if (failed) return state_.fail(paths_[batch_.file], "ran out of memory while reading its resources");
        return true;
    }

    Placement place(std::string_view text, bool parsed, const ResourceFacts& facts, std::uint32_t file, std::uint64_t line) {
        if (!parsed || facts.resource_type.empty()) return Placement::lone;
        if (std::string client = client_of(facts); !client.empty()) {
            if (!facts.id.empty()) {
                std::string address = facts.resource_type + "/" + facts.id;
                const std::uint64_t hash = key_hash(address);
                if (!joins_.add({hash, RecordKind::index_entry, file, line, std::move(address), client})) return Placement::failed;
            }
            if (!members_.add(member_record(client, file, line, std::string(text)))) return Placement::failed;
        } else if (std::string address = hanging_from(facts); !address.empty()) {
            const std::uint64_t hash = key_hash(address);
            if (!joins_.add({hash, RecordKind::pending, file, line, std::move(address), std::string(text)})) return Placement::failed;
        } else {
            return Placement::lone;
        }
        return keep_within_budget(0) ? Placement::stored : Placement::failed;
    }

    // Spills whatever can still spill once memory held passes the budget.
    bool keep_within_budget(std::size_t also_held) {
        if (members_.memory_cost_held() + joins_.memory_cost_held() + also_held <= space_.budget) return true;
        // Enough partitions that each holds about half a budget of this export.
        const std::size_t partitions = std::clamp<std::size_t>(2 * (total_bytes_ / space_.budget + 1), 2, 128);
        return members_.spill(partitions) && joins_.spill(partitions);
    }

    // Gives each pending resource the client of the resource it hangs from.
    bool join() {
        std::vector<Record> range;
        std::size_t range_cost = 0;
        while (joins_.next_range(range, range_cost)) {
            for (std::size_t run = 0; run < range.size();) {
                std::size_t run_end = run;
                while (run_end < range.size() && same_key(range[run_end], range[run])) ++run_end;
                const std::string* client = nullptr;
                for (std::size_t i = run; i < run_end; ++i) {
                    Record& record = range[i];
                    if (record.kind == RecordKind::index_entry) {
                        if (client == nullptr) client = &record.text;
                        continue;
                    }
                    Record placed = client != nullptr ? member_record(*client, record.file, record.line, std::move(record.text))
                                                      : lone_record(record.file, record.line, std::move(record.text));
                    if (!members_.add(std::move(placed)) || !keep_within_budget(range_cost)) return false;
                }
                run = run_end;
            }
        }
        return !state_.error;
    }

    static Record member_record(const std::string& client, std::uint32_t file, std::uint64_t line, std::string text) {
        return Record{key_hash(client), RecordKind::member, file, line, client, std::move(text)};
    }

    static Record lone_record(std::uint32_t file, std::uint64_t line, std::string text) {
        // Spread over the hash space, so lone lines never pile up in one partition.
        return Record{mix((std::uint64_t{file} << 40) ^ line), RecordKind::lone, file, line, std::string(), std::move(text)};
    }

    // Bundles (several to a chunk) and lone lines (one to a chunk), in record order.
    bool emit(InputChunk& chunk) {
        chunk.lines.clear();
        bool started = false;
        for (;;) {
            if (cursor_ == range_.size()) {
                cursor_ = 0;
                std::size_t ignored_cost = 0;
                if (!members_.next_range(range_, ignored_cost)) return started && !state_.error;
                continue;
            }
            Record& record = range_[cursor_];
            if (record.kind == RecordKind::lone) {
                if (started) return true;
                chunk.source = paths_[record.file];
                chunk.first_line = record.line;
                chunk.lines = std::move(record.text);
                chunk.lines += '\n';
                ++cursor_;
                ++state_.statistics.lone_lines;
                return true;
            }
            if (!started) {
                started = true;
                chunk.source = directory_;
                chunk.first_line = next_bundle_;
            }
            std::size_t run_end = cursor_;
            while (run_end < range_.size() && range_[run_end].kind == RecordKind::member && same_key(range_[run_end], record)) ++run_end;
            chunk.lines += R"({"resourceType":"Bundle","type":"collection","entry":[)";
            for (std::size_t i = cursor_; i < run_end; ++i) {
                if (i != cursor_) chunk.lines += ',';
                chunk.lines += R"({"resource":)";
                chunk.lines += range_[i].text;
                chunk.lines += '}';
                std::string().swap(range_[i].text);
            }
            chunk.lines += "]}\n";
            cursor_ = run_end;
            ++next_bundle_;
            ++state_.statistics.bundles;
            if (chunk.lines.size() >= state_.options.chunk_bytes) return true;
        }
    }

    ReaderState& state_;
    std::string directory_;
    std::vector<std::string> paths_;  // the bulk files, in reading order
    std::optional<InputFile> manifest_;
    std::uint64_t total_bytes_;
    Phase phase_ = Phase::scanning;

    SpillSpace space_;
    RecordStore members_;
    RecordStore joins_;

    std::size_t file_index_ = 0;
    std::unique_ptr<HashedFile> file_;
    std::unique_ptr<LineWindow> window_;
    std::uint64_t line_ = 0;
    ScanBatch batch_;

    std::vector<Record> range_;  // the members range being emitted
    std::size_t cursor_ = 0;
    std::uint64_t next_bundle_ = 1;
};

// ---------------------------------------------------------------------------
// Telling the operands apart.

// True when the first non-blank line of the first non-empty file is a FHIR resource other than a Bundle:
// a bulk export, rather than NDJSON of cases (whose lines may be Bundles, one client each).
bool looks_like_bulk_export(const std::vector<std::string>& ndjson_paths) {
    for (const std::string& path : ndjson_paths) {
        std::ifstream in(path, std::ios::binary);
        std::string line;
        while (std::getline(in, line)) {
            if (is_blank(line)) continue;
            ResourceFacts facts;
            return read_resource_facts(line, facts) && !facts.resource_type.empty() && facts.resource_type != "Bundle";
        }
    }
    return false;
}

std::optional<InputError> read_manifest(const std::string& directory, const std::string& manifest_path,
                                        const std::vector<std::string>& names, std::vector<std::string>& listed, InputFile& entry) {
    std::ifstream in(manifest_path, std::ios::binary);
    if (!in) return InputError{manifest_path, "cannot be opened: " + describe_errno(errno)};
    std::ostringstream contents;
    contents << in.rdbuf();
    const std::string text = contents.str();
    entry = {manifest_path, text.size(), sha256_hex(text), "fhir-bulk-manifest"};
    const auto manifest = nlohmann::json::parse(text, nullptr, false);
    if (manifest.is_discarded() || !manifest.is_object()) {
        return InputError{manifest_path, "is not a Bulk Data manifest (not a JSON object)"};
    }
    const auto output = manifest.find("output");
    if (output == manifest.end() || !output->is_array()) return InputError{manifest_path, "has no \"output\" array"};
    for (std::size_t i = 0; i < output->size(); ++i) {
        const auto& item = (*output)[i];
        const auto url = item.is_object() ? item.find("url") : item.end();
        if (!item.is_object() || url == item.end() || !url->is_string()) {
            return InputError{manifest_path, "output/" + std::to_string(i) + "/url is missing or not a string"};
        }
        const std::string& location = url->get_ref<const std::string&>();
        const std::string name = location.substr(location.rfind('/') + 1);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            return InputError{(fs::path(directory) / name).string(), "is listed in manifest.json but is not in the directory"};
        }
        listed.push_back(name);
    }
    std::sort(listed.begin(), listed.end());
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    return std::nullopt;
}

}  // namespace

class InputReader::Impl {
public:
    ReaderState state;
    std::vector<std::unique_ptr<Source>> sources;
    std::size_t current = 0;
    std::uint64_t bytes_total = 0;
    bool total_known = true;
    bool reads_standard_input = false;

    std::optional<InputError> add(const std::string& path) {
        if (path == "-") {
            if (reads_standard_input) return InputError{path, "standard input is named more than once"};
            reads_standard_input = true;
            struct stat info {};
            if (::fstat(STDIN_FILENO, &info) == 0 && S_ISREG(info.st_mode)) bytes_total += static_cast<std::uint64_t>(info.st_size);
            else total_known = false;
            sources.push_back(std::make_unique<NdjsonSource>(path, state));
            return std::nullopt;
        }
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) {
            return InputError{path, errno == ENOENT ? "does not exist" : "cannot be read: " + describe_errno(errno)};
        }
        if (S_ISDIR(info.st_mode)) return add_directory(path);
        if (::access(path.c_str(), R_OK) != 0) return InputError{path, "cannot be read: " + describe_errno(errno)};
        if (S_ISREG(info.st_mode)) bytes_total += static_cast<std::uint64_t>(info.st_size);
        else total_known = false;
        sources.push_back(std::make_unique<NdjsonSource>(path, state));
        return std::nullopt;
    }

    std::optional<InputError> add_directory(const std::string& directory) {
        std::error_code error;
        std::vector<std::string> names;
        std::map<std::string, std::uint64_t> sizes;
        for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
            const std::string name = it->path().filename().string();
            std::error_code type_error;
            if (name.empty() || name.front() == '.' || !it->is_regular_file(type_error)) continue;
            names.push_back(name);
            sizes[name] = it->file_size(type_error);
        }
        if (error) return InputError{directory, "cannot be read: " + error.message()};
        std::sort(names.begin(), names.end());
        const auto path_of = [&](const std::string& name) { return (fs::path(directory) / name).string(); };
        const auto named = [&](std::string_view suffix) {
            std::vector<std::string> found;
            for (const auto& name : names) {
                if (ends_with(name, suffix)) found.push_back(name);
            }
            return found;
        };
        const auto add_total = [&](const std::vector<std::string>& chosen) {
            for (const auto& name : chosen) bytes_total += sizes[name];
        };
        const auto paths_of = [&](const std::vector<std::string>& chosen) {
            std::vector<std::string> paths;
            for (const auto& name : chosen) paths.push_back(path_of(name));
            return paths;
        };

        const std::vector<std::string> ndjson = named(".ndjson");
        if (std::find(names.begin(), names.end(), "manifest.json") != names.end()) {
            std::vector<std::string> listed;
            InputFile manifest;
            if (auto problem = read_manifest(directory, path_of("manifest.json"), names, listed, manifest)) return problem;
            add_total(listed);
            return add_bulk(directory, paths_of(listed), std::move(manifest));
        }
        if (!ndjson.empty()) {
            add_total(ndjson);
            if (looks_like_bulk_export(paths_of(ndjson))) return add_bulk(directory, paths_of(ndjson), std::nullopt);
            for (const auto& path : paths_of(ndjson)) sources.push_back(std::make_unique<NdjsonSource>(path, state));
            return std::nullopt;
        }
        const std::vector<std::string> documents = named(".json");
        if (documents.empty()) return InputError{directory, "holds no *.json or *.ndjson files"};
        add_total(documents);
        sources.push_back(std::make_unique<DocumentDirectorySource>(paths_of(documents), state));
        return std::nullopt;
    }

    std::optional<InputError> add_bulk(const std::string& directory, std::vector<std::string> paths, std::optional<InputFile> manifest) {
        const fs::path& temp_dir = state.options.temp_dir;
        if (!temp_dir.empty()) {
            std::error_code error;
            if (!fs::is_directory(temp_dir, error) || ::access(temp_dir.c_str(), W_OK | X_OK) != 0) {
                return InputError{temp_dir.string(), "is not a writable directory (needed for temporary files)"};
            }
        }
        std::uint64_t bulk_bytes = 0;
        for (const auto& path : paths) {
            std::error_code ignored;
            const auto size = fs::file_size(path, ignored);
            if (!ignored) bulk_bytes += size;
        }
        sources.push_back(std::make_unique<BulkExportSource>(directory, std::move(paths), std::move(manifest), bulk_bytes, state));
        return std::nullopt;
    }
};

InputReader::InputReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InputReader::~InputReader() = default;

std::unique_ptr<InputReader> InputReader::open(const std::vector<std::string>& paths, const InputOptions& options, InputError& error) {
    auto impl = std::make_unique<Impl>();
    impl->state.options = options;
    for (const std::string& path : paths) {
        if (auto problem = impl->add(path)) {
            error = std::move(*problem);
            return nullptr;
        }
    }
    return std::unique_ptr<InputReader>(new InputReader(std::move(impl)));
}

bool InputReader::next(InputChunk& chunk) {
    Impl& impl = *impl_;
    while (!impl.state.error && impl.current < impl.sources.size()) {
        if (impl.sources[impl.current]->next(chunk)) return true;
        if (impl.state.error) break;
        impl.sources[impl.current].reset();  // frees its buffers and any spill files now, not at the end
        ++impl.current;
    }
    return false;
}

const std::optional<InputError>& InputReader::error() const { return impl_->state.error; }
const std::vector<InputFile>& InputReader::files() const { return impl_->state.files; }
std::uint64_t InputReader::bytes_read() const { return impl_->state.bytes_read; }
std::uint64_t InputReader::bytes_total() const { return impl_->total_known ? impl_->bytes_total : 0; }
const RegroupStatistics& InputReader::regroup_statistics() const { return impl_->state.statistics; }

}  // namespace casecheck::cli
