package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of verifying a presented key: {@code code} is {@code "valid"} or why not.
 * Fields that describe the key are empty when the key was not found or malformed.
 */
public record Decision(
    boolean valid,
    String code,
    String keyId,
    String type,
    String environment,
    List<String> permissions,
    Instant expiresAt,
    boolean inGrace,
    String replacedBy,
    Instant graceUntil,
    RateLimitInfo rateLimit) implements Verdict {

  /** The key's rate limit after this request. */
  public record RateLimitInfo(long limit, long remaining, long retryAfterMs) {
    /** How long to wait before retrying when rate limited (zero otherwise). */
    public Duration retryAfter() {
      return Duration.ofMillis(retryAfterMs);
    }
  }

  /** The core's canonical JSON of this decision. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
