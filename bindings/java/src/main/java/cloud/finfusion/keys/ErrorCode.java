package cloud.finfusion.keys;

import java.util.List;

/**
 * The closed list of codes (DESIGN.md): format errors, verification outcomes and state
 * errors. {@link #wire()} is the string every binding uses; the Java suite checks that this
 * list is the core's, in the core's order.
 */
public enum ErrorCode {
  VALID,
  MALFORMED_KEY,
  BAD_CHECKSUM,
  UNKNOWN_PREFIX,
  INVALID_SCOPE,
  INVALID_DURATION,
  INVALID_TIMESTAMP,
  INVALID_REQUEST,
  NOT_FOUND,
  EXPIRED,
  REVOKED,
  DISABLED,
  ENVIRONMENT_MISMATCH,
  INSUFFICIENT_SCOPE,
  RATE_LIMITED,
  SIGNATURE_INVALID,
  SIGNATURE_EXPIRED,
  REPLAYED,
  CONFLICT,
  PRECONDITION_FAILED,
  STORAGE_UNAVAILABLE,
  INTERNAL;

  /** Every code's wire string, in the core's order. */
  public static final List<String> CODES = List.of(Native.codes());

  /** The wire string: {@code "malformed_key"}. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The constant for a wire string; IllegalArgumentException for another string. */
  public static ErrorCode of(String wire) {
    for (ErrorCode c : values()) {
      if (c.wire().equals(wire)) return c;
    }
    throw new IllegalArgumentException("not a FinFusion code");
  }
}
