// Time values of the record model: RFC 3339 instants and ISO 8601 durations.
//
// Records come from many systems and time zones, so an instant keeps the
// offset it was written with (for faithful round trips) while comparisons use
// the absolute time. Nothing here reads the wall clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace casecheck::model {

// A point in time as written in a record: a full date-time or a date alone.
struct Instant {
    // Milliseconds since 1970-01-01T00:00:00Z; for a date alone, its midnight UTC.
    std::int64_t epoch_ms = 0;
    // The offset from UTC the value was written with, in minutes.
    std::int32_t offset_minutes = 0;
    // True when only a calendar date was given (no time of day).
    bool date_only = false;

    friend bool operator==(const Instant& a, const Instant& b) {
        return a.epoch_ms == b.epoch_ms && a.offset_minutes == b.offset_minutes && a.date_only == b.date_only;
    }
    friend bool operator!=(const Instant& a, const Instant& b) { return !(a == b); }
};

// A span of time in milliseconds; durations are exact (no months or years).
struct Duration {
    std::int64_t ms = 0;

    friend bool operator==(const Duration& a, const Duration& b) { return a.ms == b.ms; }
    friend bool operator<(const Duration& a, const Duration& b) { return a.ms < b.ms; }
};

// Parses "YYYY-MM-DD" or an RFC 3339 date-time ("YYYY-MM-DDThh:mm:ss[.f+](Z|+hh:mm)").
// A date-time must carry its offset; leap seconds (:60) are rejected.
std::optional<Instant> parse_instant(std::string_view text);

// Formats an instant back in the offset it was written with (milliseconds kept when non-zero).
std::string format_instant(const Instant& instant);

// Parses an ISO 8601 duration of weeks, days, hours, minutes and seconds ("PT24H", "P3D", "P1W").
// Years and months are rejected: their length depends on the calendar.
std::optional<Duration> parse_duration(std::string_view text);

// Formats a duration in ISO 8601 ("PT24H", "P3DT4H").
std::string format_duration(Duration duration);

// Describes a duration for a person: "40 minutes", "30 hours", "3 days".
std::string describe_duration(Duration duration);

}  // namespace casecheck::model
