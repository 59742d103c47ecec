// Instants and durations of the record model.
#include "casecheck/model/time.hpp"

#include <catch2/catch.hpp>

using namespace casecheck::model;

TEST_CASE("an RFC 3339 date-time parses to absolute time and keeps its offset") {
    const auto utc = parse_instant("1970-01-01T00:00:00Z");
    REQUIRE(utc);
    CHECK(utc->epoch_ms == 0);
    CHECK_FALSE(utc->date_only);

    const auto toronto = parse_instant("2026-03-02T10:00:00-05:00");
    REQUIRE(toronto);
    CHECK(toronto->offset_minutes == -300);
    CHECK(toronto->epoch_ms == parse_instant("2026-03-02T15:00:00Z")->epoch_ms);

    const auto india = parse_instant("2026-03-02T20:30:00.250+05:30");
    REQUIRE(india);
    CHECK(india->epoch_ms == parse_instant("2026-03-02T15:00:00.250Z")->epoch_ms);
}

TEST_CASE("a date alone parses as midnight UTC marked date-only") {
    const auto date = parse_instant("2024-02-29");
    REQUIRE(date);
    CHECK(date->date_only);
    CHECK(date->epoch_ms == 1709164800000);
}

TEST_CASE("instants before 1970 and far in the future are exact") {
    CHECK(parse_instant("1969-12-31T23:59:59Z")->epoch_ms == -1000);
    CHECK(format_instant(*parse_instant("1900-03-01T12:00:00Z")) == "1900-03-01T12:00:00Z");
    CHECK(format_instant(*parse_instant("9999-12-31T23:59:59.999Z")) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("invalid instants are rejected") {
    for (const char* text : {"", "2026", "2026-13-01", "2026-02-29", "2025-04-31", "2026-03-02T10:00:00",
                             "2026-03-02T24:00:00Z", "2026-03-02T10:60:00Z", "2016-12-31T23:59:60Z",
                             "2026-03-02 10:00:00Z", "2026-03-02T10:00:00+5:00", "2026-03-02T10:00:00.Z",
                             "2026-03-02T10:00:00Zjunk", "2026-03-02T10:00Z", "2026-3-2"}) {
        INFO(text);
        CHECK_FALSE(parse_instant(text));
    }
}

TEST_CASE("instants format back in the offset they were written with") {
    for (const char* text : {"2026-03-02T10:00:00-05:00", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00.120+05:30",
                             "2026-03-02", "2000-02-29T23:59:59+14:00"}) {
        CHECK(format_instant(*parse_instant(text)) == text);
    }
}

TEST_CASE("ISO 8601 durations of fixed length parse to milliseconds") {
    CHECK(parse_duration("PT24H")->ms == 24 * 3600 * 1000LL);
    CHECK(parse_duration("P3D")->ms == 3 * 86400 * 1000LL);
    CHECK(parse_duration("P1W")->ms == 7 * 86400 * 1000LL);
    CHECK(parse_duration("P1DT2H30M")->ms == (86400 + 2 * 3600 + 30 * 60) * 1000LL);
    CHECK(parse_duration("PT0.5S")->ms == 500);
    CHECK(parse_duration("PT5M")->ms == 300000);
}

TEST_CASE("durations with calendar units or bad syntax are rejected") {
    for (const char* text : {"", "P", "PT", "P1Y", "P1M", "PT1H1H", "PT1M1H", "P1DT", "24H", "P1.5D", "PT1.S",
                             "P99999999999999999999D", "p1d", "P-1D"}) {
        INFO(text);
        CHECK_FALSE(parse_duration(text));
    }
}

TEST_CASE("durations format as ISO 8601 and read back") {
    for (const char* text : {"PT24H", "P3D", "P3DT4H", "PT30M", "PT0S", "PT1.500S"}) {
        CHECK(parse_duration(format_duration(*parse_duration(text)))->ms == parse_duration(text)->ms);
    }
    CHECK(format_duration(Duration{72 * 3600 * 1000LL}) == "P3D");
}

TEST_CASE("durations are described the way a clinician reads them") {
    CHECK(describe_duration(Duration{40 * 60 * 1000LL}) == "40 minutes");
    CHECK(describe_duration(Duration{60 * 1000LL}) == "1 minute");
    CHECK(describe_duration(Duration{30 * 3600 * 1000LL}) == "30 hours");
    CHECK(describe_duration(Duration{(78 * 3600 + 1800) * 1000LL}) == "3 days");
    CHECK(describe_duration(Duration{24 * 3600 * 1000LL}) == "24 hours");
}
