#include "feedback_log.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace casecheck::cds {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

bool write_all(int fd, const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        written += static_cast<std::size_t>(n);
    }
    return true;
}

// A new log's directory entry must reach the disk too, or a crash can lose the whole file.
void sync_directory(const std::filesystem::path& file) {
    const int dir = ::open(std::filesystem::absolute(file).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;
    ::fsync(dir);
    ::close(dir);
}

std::string string_of(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void count(FeedbackSummary::Counts& counts, const FeedbackEntry& entry) {
    if (entry.outcome == "accepted") {
        ++counts.accepted;
    } else {
        ++counts.overridden;
        ++counts.reasons[entry.reason_code.empty() ? "(none)" : entry.reason_code];
    }
}

ordered_json counts_json(const FeedbackSummary::Counts& counts) {
    const std::uint64_t total = counts.accepted + counts.overridden;
    ordered_json out = {{"accepted", counts.accepted}, {"overridden", counts.overridden}};
    out["override_rate"] = total == 0 ? json(nullptr) : json(static_cast<double>(counts.overridden) / static_cast<double>(total));
    out["override_reasons"] = counts.reasons;
    return out;
}

}  // namespace

FeedbackLog::FeedbackLog(const std::filesystem::path& path) {
    const bool existed = std::filesystem::exists(path);
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) throw std::runtime_error("cannot open the feedback log " + path.string() + ": " + std::strerror(errno));
    if (!existed) sync_directory(path);
}

FeedbackLog::~FeedbackLog() {
    if (fd_ >= 0) ::close(fd_);
}

bool FeedbackLog::append(const std::vector<FeedbackEntry>& entries) {
    std::string text;
    for (const auto& entry : entries) text += to_json(entry).dump() + "\n";
    // One write per batch under the lock, so concurrent batches never interleave within a line.
    const std::lock_guard<std::mutex> lock(mutex_);
    return write_all(fd_, text) && ::fsync(fd_) == 0;
}

ordered_json to_json(const FeedbackEntry& entry) {
    ordered_json line;
    line["v"] = 1;
    line["received"] = entry.received;
    line["service"] = entry.service;
    line["card"] = entry.card;
    line["prompt"] = entry.prompt;
    line["criterion"] = entry.criterion;
    line["outcome"] = entry.outcome;
    if (!entry.reason_code.empty()) line["override_reason"] = {{"system", entry.reason_system}, {"code", entry.reason_code}};
    if (entry.comment_given) line["comment_given"] = true;
    if (!entry.accepted_suggestions.empty()) line["accepted_suggestions"] = entry.accepted_suggestions;
    line["outcome_timestamp"] = entry.outcome_timestamp;
    return line;
}

FeedbackSummary read_feedback_log(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the feedback log " + path.string());
    FeedbackSummary summary;
    std::string text;
    while (std::getline(in, text)) {
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        ++summary.lines;
        const json line = json::parse(text, nullptr, false);
        if (!line.is_object() || line.value("v", 0) != 1) {
            ++summary.unreadable_lines;
            continue;
        }
        FeedbackEntry entry;
        entry.service = string_of(line, "service");
        entry.card = string_of(line, "card");
        entry.prompt = string_of(line, "prompt");
        entry.criterion = string_of(line, "criterion");
        entry.outcome = string_of(line, "outcome");
        entry.outcome_timestamp = string_of(line, "outcome_timestamp");
        entry.received = string_of(line, "received");
        if (const auto reason = line.find("override_reason"); reason != line.end() && reason->is_object()) {
            entry.reason_system = string_of(*reason, "system");
            entry.reason_code = string_of(*reason, "code");
        }
        entry.comment_given = line.value("comment_given", false);
        if (const auto accepted = line.find("accepted_suggestions"); accepted != line.end() && accepted->is_array()) {
            for (const auto& id : *accepted) {
                if (id.is_string()) entry.accepted_suggestions.push_back(id.get<std::string>());
            }
        }
        if (entry.outcome != "accepted" && entry.outcome != "overridden") {
            ++summary.unreadable_lines;
            continue;
        }
        count(summary.by_criterion[entry.criterion], entry);
        count(summary.by_service[entry.service], entry);
        summary.entries.push_back(std::move(entry));
    }
    return summary;
}

ordered_json summary_report(const FeedbackSummary& summary) {
    ordered_json report;
    report["lines"] = summary.lines;
    report["unreadable_lines"] = summary.unreadable_lines;
    FeedbackSummary::Counts overall;
    for (const auto& entry : summary.entries) count(overall, entry);
    report["overall"] = counts_json(overall);
    ordered_json criteria = ordered_json::object();
    for (const auto& [criterion, counts] : summary.by_criterion) criteria[criterion] = counts_json(counts);
    report["by_criterion"] = std::move(criteria);
    ordered_json services = ordered_json::object();
    for (const auto& [service, counts] : summary.by_service) services[service] = counts_json(counts);
    report["by_service"] = std::move(services);
    return report;
}

}  // namespace casecheck::cds
