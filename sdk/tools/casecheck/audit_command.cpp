// `casecheck audit`: one reader thread cuts the inputs into chunks of whole case
// lines; each worker feeds its own audit object (an audit belongs to one thread);
// at the end the workers' audits merge. Merging is exact and order-free, so the
// report does not depend on the number of threads or on which worker saw which
// chunk. The queue between reader and workers is bounded, so memory stays flat
// however large the input.
#include "audit_command.hpp"

#include "inputs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace casecheck::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;
constexpr int exit_rejected = 3;

const std::vector<std::pair<std::string, std::string>> format_files = {
    {"html", "report.html"}, {"json", "report.json"}, {"csv", "report.csv"}, {"fhir", "measure-reports.json"}, {"state", "audit-state.json"}};

std::string options_json(const AuditSettings& settings) {
    nlohmann::json options = {{"sample", settings.sample}, {"seed", settings.seed}, {"include_text", settings.include_text},
                              {"subjects", settings.subjects}};
    return options.dump();
}

// Chunks waiting for a worker; bounded so a fast reader cannot outrun the workers' memory.
class ChunkQueue {
public:
    explicit ChunkQueue(std::size_t capacity) : capacity_(capacity) {}

    void push(InputChunk chunk) {
        std::unique_lock<std::mutex> lock(mutex_);
        not_full_.wait(lock, [&] { return chunks_.size() < capacity_; });
        chunks_.push_back(std::move(chunk));
        not_empty_.notify_one();
    }
    void close() {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
    }
    bool pop(InputChunk& chunk) {
        std::unique_lock<std::mutex> lock(mutex_);
        not_empty_.wait(lock, [&] { return !chunks_.empty() || closed_; });
        if (chunks_.empty()) return false;
        chunk = std::move(chunks_.front());
        chunks_.pop_front();
        not_full_.notify_one();
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<InputChunk> chunks_;
    std::size_t capacity_;
    bool closed_ = false;
};

std::string megabytes(std::uint64_t bytes) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / 1e6 << " MB";
    return text.str();
}

// One progress line, rewritten in place: the reader's position, the rate, and the time left.
void show_progress(std::ostream& err, std::uint64_t lines, std::uint64_t bytes, std::uint64_t total, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
    std::ostringstream line;
    line << "\r  " << lines << " cases, " << megabytes(bytes) << ", " << std::fixed << std::setprecision(1) << rate << " MB/s";
    if (total > 0 && bytes > 0 && rate > 0) {
        const double left = static_cast<double>(total - std::min(total, bytes)) / 1e6 / rate;
        line << ", " << std::setprecision(0) << (100.0 * static_cast<double>(bytes) / static_cast<double>(total)) << "%, ETA "
             << static_cast<long long>(left) << " s";
    }
    line << "   ";
    err << line.str() << std::flush;
}

bool write_file(const fs::path& path, std::string_view contents, std::ostream& err) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    file.close();
    if (!file) {
        err << "casecheck: cannot write " << path.string() << "\n";
        return false;
    }
    return true;
}

std::string percent(const nlohmann::json& rate) {
    if (rate.is_null()) return "n/a";
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << rate.get<double>() * 100.0 << "%";
    return text.str();
}

// The summary a person reads in the terminal: one line per criterion, worst first.
void print_summary(const nlohmann::json& report, std::ostream& out) {
    const auto& input = report["input"];
    out << "Audited " << input["cases"] << " cases, " << input["records"] << " records (rule pack " << report["configuration"]["rule_pack"].get<std::string>()
        << ", as of " << (report["configuration"]["as_of"].is_string() ? report["configuration"]["as_of"].get<std::string>() : "no clock") << ")";
    if (input["rejected_lines"].get<std::uint64_t>() > 0) out << "; " << input["rejected_lines"] << " lines could not be read (listed in the report)";
    out << ".\nOverall compliance " << percent(report["summary"]["rate"]) << ".\n\n";
    std::vector<const nlohmann::json*> criteria;
    for (const auto& c : report["criteria"]) criteria.push_back(&c);
    std::stable_sort(criteria.begin(), criteria.end(), [](const nlohmann::json* a, const nlohmann::json* b) {
        const double ra = (*a)["rate"].is_null() ? 2.0 : (*a)["rate"].get<double>();
        const double rb = (*b)["rate"].is_null() ? 2.0 : (*b)["rate"].get<double>();
        return ra < rb;
    });
    out << "criterion  compliance   compliant / judged   findings  title\n";
    for (const auto* c : criteria) {
        const auto& f = (*c)["findings"];
        const auto findings = f["critical"].get<std::uint64_t>() + f["warning"].get<std::uint64_t>() + f["info"].get<std::uint64_t>();
        std::ostringstream fraction;
        fraction << (*c)["numerator"] << " / " << (*c)["denominator"];
        out << std::left << std::setw(11) << (*c)["id"].get<std::string>() << std::right << std::setw(10) << percent((*c)["rate"]) << "   "
            << std::setw(18) << fraction.str() << "   " << std::setw(8) << findings << "  " << (*c)["title"].get<std::string>() << "\n";
    }
}

int write_reports(const AuditSettings& settings, const casecheck::audit& audit, nlohmann::ordered_json manifest, std::ostream& out,
                  std::ostream& err) {
    std::error_code ec;
    fs::create_directories(settings.out_dir, ec);
    if (ec) {
        err << "casecheck: cannot create the output directory " << settings.out_dir << "\n";
        return exit_rejected;
    }
    std::vector<std::string> written;
    std::string json_report;  // kept for the summary, so it is rendered once
    for (const auto& [format, file] : format_files) {
        if (std::find(settings.formats.begin(), settings.formats.end(), format) == settings.formats.end()) continue;
        const auto document = audit.finish(format);
        if (!write_file(fs::path(settings.out_dir) / file, document.view(), err)) return exit_rejected;
        written.push_back((fs::path(settings.out_dir) / file).string());
        if (format == "json") json_report = document.str();
    }
    manifest["outputs"] = written;
    if (!write_file(fs::path(settings.out_dir) / "manifest.json", manifest.dump(2) + "\n", err)) return exit_rejected;
    if (!settings.quiet) {
        if (json_report.empty()) json_report = audit.finish("json").str();
        print_summary(nlohmann::json::parse(json_report), out);
        out << "\nReports in " << settings.out_dir << ":";
        for (const auto& path : written) out << " " << fs::path(path).filename().string();
        out << " manifest.json\n";
    }
    return exit_ok;
}

nlohmann::ordered_json base_manifest(const AuditSettings& settings, const casecheck::plugin& plugin) {
    nlohmann::ordered_json manifest;
    manifest["casecheck_audit_manifest"] = 1;
    manifest["command"] = settings.command_line;
    manifest["plugin"] = nlohmann::ordered_json::parse(plugin.version());
    manifest["plugin"].erase("criteria");
    manifest["plugin"].erase("check_kinds");
    manifest["engine_config"] = nlohmann::ordered_json::parse(settings.engine_config.empty() ? "{}" : settings.engine_config);
    return manifest;
}

}  // namespace

std::optional<std::vector<std::string>> parse_formats(const std::string& list) {
    std::vector<std::string> formats;
    std::stringstream stream(list);
    std::string name;
    while (std::getline(stream, name, ',')) {
        if (name.empty()) continue;
        const bool known = std::any_of(format_files.begin(), format_files.end(), [&](const auto& f) { return f.first == name; });
        if (!known) return std::nullopt;
        formats.push_back(name);
    }
    if (formats.empty()) return std::nullopt;
    return formats;
}

int run_audit(const AuditSettings& settings, const casecheck::plugin& plugin, std::ostream& out, std::ostream& err) {
    if (settings.operands.empty()) {
        err << "casecheck audit: give at least one INPUT (a file, a directory, or - for standard input)\n";
        return exit_usage;
    }
    InputOptions input_options;
    input_options.memory_budget = settings.memory_budget;
    InputError input_error;
    auto reader = InputReader::open(settings.operands, input_options, input_error);
    if (!reader) {
        err << "casecheck: " << input_error.describe() << "\n";
        return exit_rejected;
    }

    const auto engine = plugin.create_engine(settings.engine_config);
    const unsigned threads = settings.threads > 0 ? settings.threads : std::max(1u, std::thread::hardware_concurrency());
    const std::string audit_options = options_json(settings);
    std::vector<casecheck::audit> audits;
    for (unsigned i = 0; i < threads; ++i) audits.push_back(engine.begin_audit(audit_options));

    ChunkQueue queue(2 * static_cast<std::size_t>(threads));
    std::vector<std::thread> workers;
    std::mutex failure_mutex;
    std::optional<std::string> failure;
    for (unsigned i = 0; i < threads; ++i) {
        workers.emplace_back([&, i] {
            InputChunk chunk;
            while (queue.pop(chunk)) {
                try {
                    audits[i].add(chunk.lines, chunk.source, chunk.first_line);
                } catch (const std::exception& e) {
                    std::lock_guard<std::mutex> lock(failure_mutex);
                    if (!failure) failure = e.what();
                }
            }
        });
    }

    const bool progress = !settings.quiet && isatty(STDERR_FILENO) != 0;
    const auto started = Clock::now();
    auto last_shown = started;
    std::uint64_t lines = 0;
    InputChunk chunk;
    while (reader->next(chunk)) {
        lines += static_cast<std::uint64_t>(std::count(chunk.lines.begin(), chunk.lines.end(), '\n'));
        queue.push(std::move(chunk));
        chunk = InputChunk{};
        const auto now = Clock::now();
        if (progress && now - last_shown > std::chrono::milliseconds(250)) {
            show_progress(err, lines, reader->bytes_read(), reader->bytes_total(), std::chrono::duration<double>(now - started).count());
            last_shown = now;
        }
    }
    queue.close();
    for (auto& worker : workers) worker.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (progress) {
        show_progress(err, lines, reader->bytes_read(), reader->bytes_total(), seconds);
        err << "\n";
    }
    if (reader->error()) {
        err << "casecheck: " << reader->error()->describe() << "\n";
        return exit_rejected;
    }
    if (failure) {
        err << "casecheck: " << *failure << "\n";
        return exit_rejected;
    }
    for (unsigned i = 1; i < threads; ++i) audits[0].merge(audits[i]);

    nlohmann::ordered_json manifest = base_manifest(settings, plugin);
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& file : reader->files()) {
        files.push_back({{"path", file.path}, {"form", file.form}, {"bytes", file.bytes}, {"sha256", file.sha256}});
    }
    manifest["inputs"] = std::move(files);
    manifest["threads"] = threads;
    manifest["elapsed_seconds"] = std::round(seconds * 1000.0) / 1000.0;
    manifest["megabytes_per_second"] = seconds > 0 ? std::round(static_cast<double>(reader->bytes_read()) / 1e6 / seconds * 10.0) / 10.0 : 0.0;
    return write_reports(settings, audits[0], std::move(manifest), out, err);
}

int run_merge(const AuditSettings& settings, const casecheck::plugin& plugin, std::ostream& out, std::ostream& err) {
    if (settings.operands.empty()) {
        err << "casecheck merge: give the audit-state.json files to merge\n";
        return exit_usage;
    }
    const auto engine = plugin.create_engine(settings.engine_config);
    auto audit = engine.begin_audit(options_json(settings));
    nlohmann::ordered_json states = nlohmann::ordered_json::array();
    for (const auto& path : settings.operands) {
        std::ifstream file(path, std::ios::binary);
        std::string state((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        if (!file.good() && !file.eof()) {
            err << "casecheck: cannot read " << path << "\n";
            return exit_rejected;
        }
        try {
            audit.merge_state(state);
        } catch (const casecheck::error& e) {
            err << "casecheck: " << path << ": " << e.what() << "\n";
            return exit_rejected;
        }
        states.push_back({{"path", path}, {"bytes", state.size()}});
    }
    nlohmann::ordered_json manifest = base_manifest(settings, plugin);
    manifest["merged_states"] = std::move(states);
    return write_reports(settings, audit, std::move(manifest), out, err);
}

}  // namespace casecheck::cli
