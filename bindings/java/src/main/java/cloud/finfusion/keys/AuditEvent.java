package cloud.finfusion.keys;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the hash-chained audit log. {@code writer} names the chain it belongs to (each
 * PostgreSQL store instance writes its own); it is empty for a single-writer log.
 */
public record AuditEvent(
    long seq,
    Instant at,
    String type,
    String keyId,
    String actor,
    String outcome,
    Map<String, Object> details,
    @CoreJson.OmitIfEmpty String writer,
    String prevHash,
    String hash) {
  /** The core's canonical JSON of this event. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
