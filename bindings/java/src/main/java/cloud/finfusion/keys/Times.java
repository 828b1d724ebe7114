package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Durations ({@code "48h"}, {@code "90d"}, {@code "1h30m"}) and UTC instants
 * ({@code "2026-12-31"}, RFC 3339) as the core reads and writes them, at millisecond precision.
 */
public final class Times {
  private Times() {}

  /** FinFusionException invalid_duration for bad text. */
  public static Duration parseDuration(String text) {
    return Duration.ofMillis(Native.timeParseDuration(Objects.requireNonNull(text, "text")));
  }

  public static String formatDuration(Duration duration) {
    return Native.timeFormatDuration(millis(duration));
  }

  /** An instant; a date alone is the start of that UTC day. FinFusionException invalid_timestamp. */
  public static Instant parseTimestamp(String text) {
    return Instant.ofEpochMilli(Native.timeParseTimestamp(Objects.requireNonNull(text, "text")));
  }

  /** An instant; a date alone is the end of that UTC day (the first instant after it). */
  public static Instant parseUntil(String text) {
    return Instant.ofEpochMilli(Native.timeParseUntil(Objects.requireNonNull(text, "text")));
  }

  /** The canonical text: {@code 2026-01-01T00:00:00.000Z}. */
  public static String formatTimestamp(Instant at) {
    return Native.timeFormatTimestamp(millis(at));
  }

  static long millis(Instant at) {
    return Objects.requireNonNull(at, "instant").toEpochMilli();
  }

  static long millis(Duration d) {
    return Objects.requireNonNull(d, "duration").toMillis();
  }
}
