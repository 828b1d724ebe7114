package cloud.finfusion.keys;

import java.time.Instant;
import java.util.List;

/**
 * A message in the registry's outbox: a rotation notice, an expiry or rotation-due warning,
 * an anomaly or rate-limit alert. {@code status} is {@code "pending"}, {@code "sent"} or
 * {@code "failed"}; {@code leaseUntil} and {@code sentAt} are null until claimed and sent.
 * The text never holds a secret.
 */
public record Notification(
    String id,
    String kind,
    String keyId,
    List<String> recipients,
    String subject,
    String body,
    Instant createdAt,
    Instant dueAt,
    String status,
    long attempts,
    String claimedBy,
    Instant leaseUntil,
    String lastError,
    Instant sentAt) {
  /** The core's canonical JSON of this notification. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
