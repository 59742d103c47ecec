// feedback_log.hpp: the append-only record of what clinicians did with cards.
//
// One JSON object per line (format in docs/cds-hooks.md), written with a single
// write(2) per batch and fsync'd before the client is told it is stored. The
// lines hold ids and codes only: never a free-text comment, never client data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace casecheck::cds {

// One outcome of one card, as stored.
struct FeedbackEntry {
    std::string service;                    // the service id the feedback was posted to
    std::string card;                       // card.uuid as issued: "<prompt id>:<criterion>"
    std::string prompt;                     // the plugin's prompt id (cc-...), as the audit's "dismissed" uses it
    std::string criterion;                  // e.g. CO-03
    std::string outcome;                    // accepted | overridden
    std::string reason_system;              // override reason coding, when one was given
    std::string reason_code;
    bool comment_given = false;             // a userComment was sent (its text is never kept)
    std::vector<std::string> accepted_suggestions;
    std::string outcome_timestamp;          // as the client sent it (RFC 3339)
    std::string received;                   // when the service stored it (UTC, RFC 3339)
};

// Appends feedback to the log file; safe to call from many threads.
class FeedbackLog {
public:
    // Opens (creating if needed) the log for appending. Throws std::runtime_error.
    explicit FeedbackLog(const std::filesystem::path& path);
    ~FeedbackLog();
    FeedbackLog(const FeedbackLog&) = delete;
    FeedbackLog& operator=(const FeedbackLog&) = delete;

    // Writes all entries and fsyncs; returns false (and writes nothing usable) on an I/O error.
    bool append(const std::vector<FeedbackEntry>& entries);

private:
    std::mutex mutex_;
    int fd_ = -1;
};

// One line of the log as JSON.
nlohmann::ordered_json to_json(const FeedbackEntry& entry);

// Counts read back from a log, for override-rate reporting.
struct FeedbackSummary {
    struct Counts {
        std::uint64_t accepted = 0;
        std::uint64_t overridden = 0;
        std::map<std::string, std::uint64_t> reasons;  // override reason code -> count ("(none)" without one)
    };
    std::uint64_t lines = 0;
    std::uint64_t unreadable_lines = 0;             // not JSON or not a feedback line; counted, skipped
    std::map<std::string, Counts> by_criterion;
    std::map<std::string, Counts> by_service;
    std::vector<FeedbackEntry> entries;             // every readable line, in file order
};

// Reads a whole log. Throws std::runtime_error if the file cannot be opened.
FeedbackSummary read_feedback_log(const std::filesystem::path& path);

// The summary as a JSON report: counts and override rates per criterion and per service.
nlohmann::ordered_json summary_report(const FeedbackSummary& summary);

}  // namespace casecheck::cds
