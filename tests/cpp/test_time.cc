#include <catch2/catch.hpp>

#include "finfusion/time.h"

namespace t = finfusion::time;
using finfusion::Code;

TEST_CASE("durations parse with checked arithmetic", "[time]") {
  CHECK(*t::parse_duration("48h") == 48 * t::kHour);
  CHECK(*t::parse_duration("90d") == 90 * t::kDay);
  CHECK(*t::parse_duration("30m") == 30 * t::kMinute);
  CHECK(*t::parse_duration("15s") == 15 * t::kSecond);
  CHECK(*t::parse_duration("2w") == 14 * t::kDay);
  CHECK(*t::parse_duration("1d12h") == 36 * t::kHour);
  CHECK(*t::parse_duration("250ms") == 250);
  CHECK(*t::parse_duration("1h30m15s500ms") == t::kHour + 30 * t::kMinute + 15500);
  CHECK(*t::parse_duration("0") == 0);
  CHECK(*t::parse_duration("0s") == 0);
  CHECK(*t::parse_duration("36500d") == t::kMaxDurationMs);
  for (const char* bad : {"", "-1h", "+1h", "1H", "1 h", " 1h", "1h ", "h", "1", "1x", "12h1d",
                          "1h1h", "01h", "99999999999h", "36500d1ms", "9223372036854775807ms",
                          "1.5h", "1e3s", "1hh", "1m1ms1s"}) {
    INFO(bad);
    auto r = t::parse_duration(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == Code::kInvalidDuration);
  }
  CHECK(t::parse_duration(std::string(65, '1')).code() == Code::kInvalidDuration);
}

TEST_CASE("durations format canonically and round-trip", "[time]") {
  CHECK(*t::format_duration(0) == "0s");
  CHECK(*t::format_duration(36 * t::kHour) == "1d12h");
  CHECK(*t::format_duration(14 * t::kDay) == "14d");
  CHECK(*t::format_duration(1001) == "1s1ms");
  CHECK(t::format_duration(-1).code() == Code::kInvalidDuration);
  CHECK(t::format_duration(t::kMaxDurationMs + 1).code() == Code::kInvalidDuration);
  for (t::Millis ms : {t::Millis{1}, t::kDay + 1, t::Millis{123456789}, t::kMaxDurationMs}) {
    CHECK(*t::parse_duration(*t::format_duration(ms)) == ms);
  }
}

TEST_CASE("timestamps: RFC 3339 and date-only", "[time]") {
  CHECK(*t::parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(*t::parse_timestamp("2025-12-31") == 1767139200000);
  CHECK(*t::parse_timestamp("2025-12-31T23:59:59.999Z") == 1767225599999);
  CHECK(*t::parse_timestamp("2026-01-01T02:00:00+02:00") == 1767225600000);
  CHECK(*t::parse_timestamp("2025-12-31T19:00:00-05:00") == 1767225600000);
  CHECK(*t::parse_timestamp("2025-01-01T00:00:00.123456789Z") % 1000 == 123);
  CHECK(*t::parse_timestamp("2024-02-29T00:00:00Z") == 1709164800000);
  CHECK(*t::parse_timestamp("1969-12-31T23:59:59.999Z") == -1);
  for (const char* bad : {"", "2025-13-01", "2025-02-29", "2025-12-32", "2025-12-31t00:00:00Z",
                          "2025-12-31T00:00:00z", "2025-12-31T24:00:00Z", "2025-12-31T23:59:60Z",
                          "2025-12-31T00:00:00", "2025-12-31T00:00:00+24:00", "2025-12-31T00:00Z",
                          "2025-12-31 00:00:00Z", "25-12-31", "2025-12-31T00:00:00.Z",
                          "2025-12-31T00:00:00.1234567890Z", "0000-01-01", "2025-12-31Z",
                          "2025-12-31T00:00:00Z ", " 2025-12-31"}) {
    INFO(bad);
    CHECK(t::parse_timestamp(bad).code() == Code::kInvalidTimestamp);
  }
  CHECK(t::parse_timestamp(std::string(41, '1')).code() == Code::kInvalidTimestamp);
}

TEST_CASE("a date-only expiry covers that whole UTC day", "[time]") {
  auto until = t::parse_until("2025-12-31");
  REQUIRE(until.ok());
  CHECK(*t::format_timestamp(*until) == "2026-01-01T00:00:00.000Z");
  // Still inside at the last millisecond of the day, outside at midnight.
  CHECK(*t::parse_timestamp("2025-12-31T23:59:59.999Z") < *until);
  CHECK_FALSE(*t::parse_timestamp("2026-01-01T00:00:00Z") < *until);
  CHECK(*t::parse_until("2025-12-31T12:00:00Z") == *t::parse_timestamp("2025-12-31T12:00:00Z"));
}

TEST_CASE("timestamps format in UTC with milliseconds", "[time]") {
  CHECK(*t::format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(*t::format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(*t::format_timestamp(t::kMinInstant) == "0001-01-01T00:00:00.000Z");
  CHECK(*t::format_timestamp(t::kMaxInstant) == "9999-12-31T23:59:59.999Z");
  CHECK(t::format_timestamp(t::kMaxInstant + 1).code() == Code::kInvalidTimestamp);
  CHECK(t::format_timestamp(t::kMinInstant - 1).code() == Code::kInvalidTimestamp);
  // Every day of a 400-year cycle round-trips.
  for (t::Millis day = -146097; day < 146097; day += 1) {
    t::Millis ms = day * t::kDay + 12345;
    auto text = t::format_timestamp(ms);
    REQUIRE(text.ok());
    REQUIRE(*t::parse_timestamp(*text) == ms);
  }
}

TEST_CASE("checked instant arithmetic", "[time]") {
  CHECK(*t::add(0, t::kDay) == t::kDay);
  CHECK(t::add(t::kMaxInstant, 1).code() == Code::kInvalidTimestamp);
  CHECK(t::add(INT64_MAX, INT64_MAX).code() == Code::kInvalidTimestamp);
}
