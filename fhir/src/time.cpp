#include "casecheck/model/time.hpp"

#include <cstdio>
#include <limits>

namespace casecheck::model {
namespace {

constexpr std::int64_t ms_per_second = 1000;
constexpr std::int64_t ms_per_minute = 60 * ms_per_second;
constexpr std::int64_t ms_per_hour = 60 * ms_per_minute;
constexpr std::int64_t ms_per_day = 24 * ms_per_hour;

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (the era-based method
// that stays exact for negative years and needs no tables).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

CivilDate civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);
    const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned mp = (5 * day_of_year + 2) / 153;
    const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// Reads exactly `count` ASCII digits at `pos`, advancing it; -1 if they are not all digits.
int read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos + count > text.size()) return -1;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
    if (pos >= text.size() || text[pos] != wanted) return false;
    ++pos;
    return true;
}

// Floor division, so that instants before 1970 format correctly.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<Instant> parse_instant(std::string_view text) {
    std::size_t pos = 0;
    const int year = read_digits(text, pos, 4);
    if (year < 0 || !expect(text, pos, '-')) return std::nullopt;
    const int month = read_digits(text, pos, 2);
    if (month < 1 || month > 12 || !expect(text, pos, '-')) return std::nullopt;
    const int day = read_digits(text, pos, 2);
    if (day < 1 || day > days_in_month(year, month)) return std::nullopt;

    Instant instant;
    const std::int64_t midnight_ms = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * ms_per_day;
    if (pos == text.size()) {
        instant.epoch_ms = midnight_ms;
        instant.date_only = true;
        return instant;
    }

    if (!expect(text, pos, 'T')) return std::nullopt;
    const int hour = read_digits(text, pos, 2);
    if (hour < 0 || hour > 23 || !expect(text, pos, ':')) return std::nullopt;
    const int minute = read_digits(text, pos, 2);
    if (minute < 0 || minute > 59 || !expect(text, pos, ':')) return std::nullopt;
    // Leap seconds (:60) are rejected: no system in this domain records them
    // and they cannot round-trip through epoch arithmetic.
    const int second = read_digits(text, pos, 2);
    if (second < 0 || second > 59) return std::nullopt;

    int millis = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 3) millis = millis * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (std::size_t i = digits; i < 3; ++i) millis *= 10;
    }

    int offset_minutes = 0;
    if (pos < text.size() && text[pos] == 'Z') {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        const int offset_hours = read_digits(text, pos, 2);
        if (offset_hours < 0 || offset_hours > 23 || !expect(text, pos, ':')) return std::nullopt;
        const int offset_mins = read_digits(text, pos, 2);
        if (offset_mins < 0 || offset_mins > 59) return std::nullopt;
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
    } else {
        // A date-time without an offset is ambiguous across the sites a case spans.
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;

    const std::int64_t local_ms = midnight_ms + hour * ms_per_hour + minute * ms_per_minute + second * ms_per_second + millis;
    instant.epoch_ms = local_ms - offset_minutes * ms_per_minute;
    instant.offset_minutes = offset_minutes;
    return instant;
}

std::string format_instant(const Instant& instant) {
    const std::int64_t local_ms = instant.epoch_ms + instant.offset_minutes * ms_per_minute;
    const std::int64_t days = floor_div(local_ms, ms_per_day);
    const std::int64_t ms_of_day = local_ms - days * ms_per_day;
    const CivilDate date = civil_from_days(days);

    char buffer[48];
    if (instant.date_only) {
        std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(date.year), date.month, date.day);
        return buffer;
    }
    const auto hour = static_cast<int>(ms_of_day / ms_per_hour);
    const auto minute = static_cast<int>(ms_of_day % ms_per_hour / ms_per_minute);
    const auto second = static_cast<int>(ms_of_day % ms_per_minute / ms_per_second);
    const auto millis = static_cast<int>(ms_of_day % ms_per_second);
    int written = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(date.year),
                                date.month, date.day, hour, minute, second);
    if (millis != 0) written += std::snprintf(buffer + written, sizeof buffer - written, ".%03d", millis);
    if (instant.offset_minutes == 0) {
        std::snprintf(buffer + written, sizeof buffer - written, "Z");
    } else {
        const int magnitude = instant.offset_minutes < 0 ? -instant.offset_minutes : instant.offset_minutes;
        std::snprintf(buffer + written, sizeof buffer - written, "%c%02d:%02d", instant.offset_minutes < 0 ? '-' : '+',
                      magnitude / 60, magnitude % 60);
    }
    return buffer;
}

std::optional<Duration> parse_duration(std::string_view text) {
    if (text.size() < 2 || text[0] != 'P') return std::nullopt;
    std::size_t pos = 1;
    bool in_time = false;
    bool any_component = false;
    char last_unit = 0;
    std::int64_t total_ms = 0;
    constexpr std::int64_t max_value = std::numeric_limits<std::int64_t>::max() / ms_per_day / 8;

    // Units must appear in this order; each at most once.
    const std::string_view date_order = "WD";
    const std::string_view time_order = "HMS";
    while (pos < text.size()) {
        if (text[pos] == 'T') {
            if (in_time) return std::nullopt;
            in_time = true;
            last_unit = 0;
            ++pos;
            if (pos == text.size()) return std::nullopt;
            continue;
        }
        std::int64_t whole = 0;
        std::size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            whole = whole * 10 + (text[pos] - '0');
            if (whole > max_value) return std::nullopt;
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        std::int64_t fraction_ms = 0;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            std::int64_t scale = 100;
            std::size_t fraction_digits = 0;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                fraction_ms += (text[pos] - '0') * scale;
                scale /= 10;
                ++fraction_digits;
                ++pos;
            }
            if (fraction_digits == 0 || pos >= text.size() || text[pos] != 'S' || !in_time) return std::nullopt;
        }
        if (pos >= text.size()) return std::nullopt;
        const char unit = text[pos++];
        const std::string_view order = in_time ? time_order : date_order;
        const auto unit_rank = order.find(unit);
        if (unit_rank == std::string_view::npos) return std::nullopt;  // years and months land here
        if (last_unit != 0 && unit_rank <= order.find(last_unit)) return std::nullopt;
        last_unit = unit;
        any_component = true;
        switch (unit) {
            case 'W': total_ms += whole * 7 * ms_per_day; break;
            case 'D': total_ms += whole * ms_per_day; break;
            case 'H': total_ms += whole * ms_per_hour; break;
            case 'M': total_ms += whole * ms_per_minute; break;
            default: total_ms += whole * ms_per_second + fraction_ms; break;
        }
    }
    if (!any_component) return std::nullopt;
    return Duration{total_ms};
}

std::string format_duration(Duration duration) {
    std::int64_t ms = duration.ms < 0 ? -duration.ms : duration.ms;
    const std::int64_t days = ms / ms_per_day;
    ms %= ms_per_day;
    std::string out = "P";
    if (days != 0) out += std::to_string(days) + "D";
    if (ms != 0 || days == 0) {
        out += "T";
        const std::int64_t hours = ms / ms_per_hour;
        const std::int64_t minutes = ms % ms_per_hour / ms_per_minute;
        const std::int64_t seconds = ms % ms_per_minute / ms_per_second;
        const std::int64_t millis = ms % ms_per_second;
        if (hours != 0) out += std::to_string(hours) + "H";
        if (minutes != 0) out += std::to_string(minutes) + "M";
        if (seconds != 0 || millis != 0 || (hours == 0 && minutes == 0)) {
            out += std::to_string(seconds);
            if (millis != 0) {
                char fraction[8];
                std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(millis));
                out += fraction;
            }
            out += "S";
        }
    }
    return duration.ms < 0 ? "-" + out : out;
}

std::string describe_duration(Duration duration) {
    const std::int64_t ms = duration.ms < 0 ? -duration.ms : duration.ms;
    const auto plural = [](std::int64_t n, const char* unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    // Round down: "3 days" late is what a clinician reads on the calendar.
    if (ms < 2 * ms_per_hour) return plural(ms / ms_per_minute, "minute");
    if (ms < 2 * ms_per_day) return plural(ms / ms_per_hour, "hour");
    return plural(ms / ms_per_day, "day");
}

}  // namespace casecheck::model
