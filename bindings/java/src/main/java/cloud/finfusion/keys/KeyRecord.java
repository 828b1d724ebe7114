package cloud.finfusion.keys;

import java.time.Instant;
import java.util.List;

/**
 * What the registry keeps about a key: metadata, never the key or its hash. Instants that
 * have not happened are null ({@code revokedAt} of a key never revoked).
 */
public record KeyRecord(
    String id,
    String name,
    String type,
    String environment,
    List<String> permissions,
    String service,
    String parentKeyId,
    String owner,
    String purpose,
    Instant createdAt,
    Instant expiresAt,
    String status,
    Instant revokedAt,
    String revokeReason,
    long version,
    String replaces,
    String replacedBy,
    Instant graceUntil,
    Instant lastUsedAt) {
  /** The core's canonical JSON of this record. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
