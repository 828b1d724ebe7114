// Durations and timestamps.
// Properties: an accepted duration formats to canonical text that parses to the same value;
// an accepted instant formats and re-parses to itself; parse_until is never before
// parse_timestamp; rejections carry invalid_duration / invalid_timestamp.
#include "finfusion/time.h"
#include "fuzz_common.h"

using namespace finfusion;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  auto duration = time::parse_duration(text);
  if (duration.ok()) {
    fuzz::require(*duration >= 0 && *duration <= time::kMaxDurationMs, "durations stay in range");
    auto canonical = time::format_duration(*duration);
    fuzz::require(canonical.ok(), "an accepted duration formats");
    auto again = time::parse_duration(*canonical);
    fuzz::require(again.ok() && *again == *duration, "a canonical duration re-parses the same");
    fuzz::require(*time::format_duration(*again) == *canonical, "canonical text is stable");
  } else {
    fuzz::require(duration.code() == Code::kInvalidDuration, "duration rejections are invalid_duration");
  }
  auto instant = time::parse_timestamp(text);
  auto until = time::parse_until(text);
  if (instant.ok()) {
    auto canonical = time::format_timestamp(*instant);
    fuzz::require(canonical.ok(), "an accepted instant formats");
    auto again = time::parse_timestamp(*canonical);
    fuzz::require(again.ok() && *again == *instant, "a canonical instant re-parses the same");
    if (until.ok()) fuzz::require(*until >= *instant, "the end of a period is not before its start");
  } else {
    fuzz::require(instant.code() == Code::kInvalidTimestamp, "timestamp rejections are invalid_timestamp");
    fuzz::require(!until.ok(), "parse_until rejects what parse_timestamp rejects");
  }
  return 0;
}
