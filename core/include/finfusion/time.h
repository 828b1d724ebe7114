// finfusion/time.h - durations and instants, with `now` always passed in.
//
// The core never reads a clock. Instants are Unix epoch milliseconds (int64, UTC);
// durations are milliseconds. Text forms:
//   durations   "15s" "30m" "48h" "90d" "2w" "250ms", compounds in descending unit order
//               ("1d12h"), or "0". No sign, no spaces, no leading zeros, each unit once.
//               Arithmetic is checked: anything above kMaxDurationMs is invalid_duration.
//   instants    RFC 3339 ("2025-12-31T23:59:59Z", "2025-12-31T23:59:59.5+02:00"), or a
//               date alone ("2025-12-31"), which means a UTC calendar day; see parse_until.
//               Output is always UTC with milliseconds: "2025-12-31T23:59:59.000Z".
//
//   auto grace = finfusion::time::parse_duration("48h");          // 172800000
//   auto until = finfusion::time::parse_until("2025-12-31");       // 2026-01-01T00:00:00.000Z
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "finfusion/status.h"

namespace finfusion::time {

using Millis = std::int64_t;

inline constexpr Millis kSecond = 1000;
inline constexpr Millis kMinute = 60 * kSecond;
inline constexpr Millis kHour = 60 * kMinute;
inline constexpr Millis kDay = 24 * kHour;
inline constexpr Millis kWeek = 7 * kDay;
// The longest duration accepted anywhere: 100 years of 365 days.
inline constexpr Millis kMaxDurationMs = 36500 * kDay;
// Bounds checked before any other work.
inline constexpr std::size_t kMaxDurationText = 64;
inline constexpr std::size_t kMaxTimestampText = 40;
// The instants that have a text form: 0001-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
inline constexpr Millis kMinInstant = -62135596800000;
inline constexpr Millis kMaxInstant = 253402300799999;

// Parses a duration. Errors: invalid_duration (empty, too long, unknown or repeated
// unit, units out of order, sign, space, leading zero, above kMaxDurationMs).
Result<Millis> parse_duration(std::string_view text);

// The canonical text of a duration: largest units first, zero parts left out ("1d12h",
// "250ms"), "0s" for zero. Errors: invalid_duration for a negative or too-large value.
Result<std::string> format_duration(Millis duration);

// Parses an instant. A date alone means the start of that UTC day. Fractions finer than
// a millisecond are truncated. Errors: invalid_timestamp (syntax, impossible date or
// time, leap second 60, offset beyond +-23:59, lowercase t/z, outside the text range).
Result<Millis> parse_timestamp(std::string_view text);

// Parses the end of a period, as the first instant that is no longer inside it. A date
// alone covers that whole UTC day, so "2025-12-31" gives 2026-01-01T00:00:00.000Z: a key
// that expires "2025-12-31" works until 23:59:59.999Z that day. A full timestamp is
// returned as it is. Errors: as parse_timestamp, and invalid_timestamp for "9999-12-31"
// (its end is outside the range).
Result<Millis> parse_until(std::string_view text);

// The canonical text of an instant: "YYYY-MM-DDTHH:MM:SS.mmmZ".
// Errors: invalid_timestamp outside [kMinInstant, kMaxInstant].
Result<std::string> format_timestamp(Millis instant);

// Checked addition for instants and durations. Errors: invalid_timestamp when the sum
// leaves [kMinInstant, kMaxInstant].
Result<Millis> add(Millis instant, Millis duration);

}  // namespace finfusion::time
