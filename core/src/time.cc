#include "finfusion/time.h"

#include <array>

#include "internal/text.h"

namespace finfusion::time {
namespace {

Status bad_duration(std::string_view text, std::string_view why) {
  return Status(Code::kInvalidDuration,
                "duration " + internal::quote(text, 24) + ": " + std::string(why));
}

Status bad_timestamp(std::string_view text, std::string_view why) {
  return Status(Code::kInvalidTimestamp,
                "timestamp " + internal::quote(text, 40) + ": " + std::string(why));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil calendar algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

struct Parsed {
  Millis instant;
  bool date_only;
};

Result<Parsed> parse_instant(std::string_view text) {
  if (text.empty()) return bad_timestamp(text, "empty");
  if (text.size() > kMaxTimestampText) return bad_timestamp(text, "too long");
  unsigned year, month, day;
  if (!read_digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day)) {
    return bad_timestamp(text, "expected YYYY-MM-DD or an RFC 3339 date-time");
  }
  if (year == 0) return bad_timestamp(text, "year 0000 is outside the supported range");
  if (month < 1 || month > 12) return bad_timestamp(text, "month out of range");
  if (day < 1 || day > days_in_month(year, month)) return bad_timestamp(text, "day out of range");
  Millis days = days_from_civil(year, month, day);
  if (text.size() == 10) return Parsed{days * kDay, true};

  if (text[10] != 'T') {
    return bad_timestamp(text, "expected 'T' between date and time (uppercase)");
  }
  unsigned hour, minute, second;
  if (!read_digits(text, 11, 2, hour) || text.size() < 19 || text[13] != ':' ||
      !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second)) {
    return bad_timestamp(text, "expected HH:MM:SS after 'T'");
  }
  if (hour > 23 || minute > 59) return bad_timestamp(text, "time out of range");
  if (second > 59) return bad_timestamp(text, "second out of range (leap seconds are not accepted)");
  std::size_t pos = 19;
  Millis millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && is_digit(text[pos])) {
      if (pos - start < 3) millis = millis * 10 + (text[pos] - '0');
      ++pos;
    }
    std::size_t n = pos - start;
    if (n == 0 || n > 9) return bad_timestamp(text, "fraction must have 1 to 9 digits");
    for (std::size_t i = n; i < 3; ++i) millis *= 10;
  }
  if (pos >= text.size()) return bad_timestamp(text, "missing offset ('Z' or +HH:MM)");
  Millis offset = 0;
  if (text[pos] == 'Z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    unsigned oh, om;
    if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, om)) {
      return bad_timestamp(text, "offset must be +HH:MM or -HH:MM");
    }
    if (oh > 23 || om > 59) return bad_timestamp(text, "offset out of range");
    offset = (text[pos] == '-' ? -1 : 1) * (static_cast<Millis>(oh) * kHour + om * kMinute);
    pos += 6;
  } else {
    return bad_timestamp(text, "offset must be 'Z' (uppercase) or +HH:MM");
  }
  if (pos != text.size()) return bad_timestamp(text, "unexpected characters after the offset");
  Millis instant = days * kDay + hour * kHour + minute * kMinute + second * kSecond + millis - offset;
  if (instant < kMinInstant || instant > kMaxInstant) {
    return bad_timestamp(text, "outside 0001-01-01 .. 9999-12-31 UTC");
  }
  return Parsed{instant, false};
}

struct Unit {
  std::string_view name;
  Millis size;
};
// Descending order; the canonical output leaves out weeks.
constexpr std::array<Unit, 6> kUnits = {{{"w", kWeek},
                                         {"d", kDay},
                                         {"h", kHour},
                                         {"m", kMinute},
                                         {"s", kSecond},
                                         {"ms", 1}}};

}  // namespace

Result<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return bad_duration(text, "empty");
  if (text.size() > kMaxDurationText) return bad_duration(text, "too long");
  if (text == "0") return Millis{0};
  Millis total = 0;
  std::size_t next_unit = 0;  // units must appear in kUnits order, each at most once
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    std::size_t digits = pos - start;
    if (digits == 0) {
      return bad_duration(text, "expected a number (no sign or spaces), e.g. \"48h\" or \"1d12h\"");
    }
    if (digits > 1 && text[start] == '0') return bad_duration(text, "leading zero");
    if (digits > 15) return bad_duration(text, "number too large");
    Millis value = 0;
    for (std::size_t i = start; i < pos; ++i) value = value * 10 + (text[i] - '0');
    std::size_t unit_end = pos;
    while (unit_end < text.size() && text[unit_end] >= 'a' && text[unit_end] <= 'z') ++unit_end;
    std::string_view unit = text.substr(pos, unit_end - pos);
    if (unit.empty()) return bad_duration(text, "missing unit (ms, s, m, h, d or w)");
    std::size_t index = kUnits.size();
    for (std::size_t i = 0; i < kUnits.size(); ++i) {
      if (kUnits[i].name == unit) index = i;
    }
    if (index == kUnits.size()) return bad_duration(text, "unknown unit (use ms, s, m, h, d or w)");
    if (index < next_unit) {
      return bad_duration(text, "units must run from largest to smallest, each at most once");
    }
    next_unit = index + 1;
    Millis part;
    if (__builtin_mul_overflow(value, kUnits[index].size, &part) ||
        __builtin_add_overflow(total, part, &total) || total > kMaxDurationMs) {
      return bad_duration(text, "longer than 36500d");
    }
    pos = unit_end;
  }
  return total;
}

Result<std::string> format_duration(Millis duration) {
  if (duration < 0 || duration > kMaxDurationMs) {
    return Status(Code::kInvalidDuration, "duration out of range (0 .. 36500d)");
  }
  if (duration == 0) return std::string("0s");
  std::string out;
  for (std::size_t i = 1; i < kUnits.size(); ++i) {  // no weeks in canonical text
    Millis n = duration / kUnits[i].size;
    if (n == 0) continue;
    out += std::to_string(n);
    out += kUnits[i].name;
    duration -= n * kUnits[i].size;
  }
  return out;
}

Result<Millis> parse_timestamp(std::string_view text) {
  auto parsed = parse_instant(text);
  if (!parsed.ok()) return parsed.status();
  return parsed->instant;
}

Result<Millis> parse_until(std::string_view text) {
  auto parsed = parse_instant(text);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->date_only) return parsed->instant;
  Millis end = parsed->instant + kDay;
  if (end > kMaxInstant) return bad_timestamp(text, "the day ends after 9999-12-31 UTC");
  return end;
}

Result<std::string> format_timestamp(Millis instant) {
  if (instant < kMinInstant || instant > kMaxInstant) {
    return Status(Code::kInvalidTimestamp, "instant outside 0001-01-01 .. 9999-12-31 UTC");
  }
  Millis days = instant >= 0 ? instant / kDay : -((-instant + kDay - 1) / kDay);
  Millis rest = instant - days * kDay;
  Civil c = civil_from_days(days);
  // Written digit by digit: this runs for every audit event.
  std::string out(24, '0');  // YYYY-MM-DDTHH:MM:SS.mmmZ
  auto put = [&out](std::size_t at, std::size_t width, long long value) {
    for (std::size_t i = at + width; i-- > at; value /= 10) out[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, static_cast<long long>(c.year));
  out[4] = '-';
  put(5, 2, c.month);
  out[7] = '-';
  put(8, 2, c.day);
  out[10] = 'T';
  put(11, 2, static_cast<long long>(rest / kHour));
  out[13] = ':';
  put(14, 2, static_cast<long long>(rest / kMinute % 60));
  out[16] = ':';
  put(17, 2, static_cast<long long>(rest / kSecond % 60));
  out[19] = '.';
  put(20, 3, static_cast<long long>(rest % 1000));
  out[23] = 'Z';
  return out;
}

Result<Millis> add(Millis instant, Millis duration) {
  Millis out;
  if (__builtin_add_overflow(instant, duration, &out) || out < kMinInstant || out > kMaxInstant) {
    return Status(Code::kInvalidTimestamp, "instant out of range after adding a duration");
  }
  return out;
}

}  // namespace finfusion::time
