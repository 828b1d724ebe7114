package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Per-key rate limits (GCRA: a steady rate with a burst of {@code requests} per
 * {@code window}), as pure functions of a state and an instant.
 */
public final class RateLimits {
  private RateLimits() {}

  /** {@code requests} per {@code window}. */
  public record RateLimit(long requests, Duration window) {
    public RateLimit {
      Objects.requireNonNull(window, "window");
    }
  }

  /** The limiter's state for one key (the theoretical arrival time, in ms and a fraction). */
  public record State(long tatMs, long tatFrac) {}

  /** The answer to one request, with the state to keep for the next. */
  public record Decision(boolean allowed, long limit, long remaining, Duration retryAfter, Duration resetAfter,
      State state) {}

  /**
   * Whether a request costing {@code cost} units is allowed at {@code now}; {@code state} null
   * for a key never seen. FinFusionException invalid_request for a bad limit or cost.
   */
  public static Decision check(RateLimit limit, State state, Instant now, long cost) {
    Objects.requireNonNull(limit, "limit");
    long[] d = Native.ratelimitCheck(limit.requests(), Times.millis(limit.window()), state == null,
        state == null ? 0 : state.tatMs(), state == null ? 0 : state.tatFrac(), Times.millis(now), cost);
    return new Decision(d[0] != 0, d[1], d[2], Duration.ofMillis(d[3]), Duration.ofMillis(d[4]), new State(d[5], d[6]));
  }
}
