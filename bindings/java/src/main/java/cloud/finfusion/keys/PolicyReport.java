package cloud.finfusion.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rotation-policy inventory of every key at an instant: state, age, last use, next
 * rotation and whether it is {@code ok}, {@code due_soon}, {@code due}, {@code overdue} or
 * {@code inactive}; {@code summary} counts keys by rotation state.
 */
public record PolicyReport(Instant at, List<Entry> keys, Map<String, Long> summary) {

  /** One key's line of the inventory. */
  public record Entry(
      String id,
      String name,
      String purpose,
      String owner,
      String type,
      String state,
      long ageDays,
      Instant lastUsedAt,
      Instant nextRotation,
      String rotation,
      Instant expiresAt,
      boolean expiresSoon) {}

  /** The core's canonical JSON of this report. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
