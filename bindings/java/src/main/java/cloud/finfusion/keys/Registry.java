package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keys, their lifecycle and the audit log, over a store: {@code memory:} (this process only),
 * {@code sqlite:PATH} (a file several processes share) or {@code postgresql://...} (the
 * registry a fleet of Python, Node and Java services shares).
 *
 * <pre>{@code
 * try (Registry reg = Registry.builder(hasher).store("sqlite:keys.db").open()) {
 *   Registry.Created c = reg.create(Map.of("name", "Production API Key", "type", "production",
 *       "permissions", List.of("payments"), "expiration", "2026-12-31"), Instant.now(), "admin:alice");
 *   showOnce(c.key().reveal());
 *   Decision d = reg.verify(presented, VerifyContext.builder().required("payments:charge").build(), Instant.now());
 *   if (!d.valid()) reject(d.code());              // "revoked", "expired", ...
 * }
 * }</pre>
 *
 * <p>Every call takes {@code now}: the core reads no clock. Verification returns a
 * {@link Decision}; bad arguments, missing keys, conflicts and storage failures throw
 * {@link FinFusionException}. Calls from several threads are serialised; {@link #close()}
 * writes out held-back verifications and closes the store.
 */
public final class Registry extends NativeHandle {
  /** The audit event types. */
  public static final List<String> EVENT_TYPES = List.of("key.created", "key.rotated", "key.revoked", "key.expired",
      "key.accessed", "key.verification_failed", "key.rate_limited", "key.anomaly", "secret.issued",
      "secret.reencrypted");

  /** The kinds of notification the outbox holds. */
  public static final List<String> NOTIFICATION_KINDS = List.of("key.rotated", "key.expiring", "key.rotation_due",
      "key.anomaly", "key.rate_limit");
  /** Deliveries tried before a notification is {@code "failed"} (the waits double from 30 s to an hour). */
  public static final int MAX_DELIVERY_ATTEMPTS = 12;

  private static final String SYSTEM = "system";

  private final String scheme;

  private Registry(long handle, String scheme) {
    super(handle, Native::registryFree, true);
    this.scheme = scheme;
  }

  /** A registry over {@code hasher}'s peppers, configured by the builder. */
  public static Builder builder(Hasher hasher) {
    return new Builder(hasher);
  }

  /** Opens a registry: the store, the policy table and (for tests only) a deterministic seed. */
  public static final class Builder {
    private final Hasher hasher;
    private TypeTable table;
    private String store = "memory:";
    private byte[] seed;

    private Builder(Hasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /** The key-type policy table (the defaults when not set). */
    public Builder table(TypeTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** {@code memory:} (the default), {@code sqlite:PATH} or a {@code postgresql://} URI. */
    public Builder store(String store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Makes key generation deterministic: for tests and conformance vectors only, never production. */
    public Builder seed(byte[] seed) {
      this.seed = Objects.requireNonNull(seed, "seed").clone();
      return this;
    }

    /**
     * Opens the store. FinFusionException storage_unavailable when it cannot be opened,
     * precondition_failed when its schema is newer than this build's.
     */
    public Registry open() {
      String scheme = store.contains(":") ? store.substring(0, store.indexOf(':')) : "?";
      if (table != null) return new Registry(table.call(t -> hasher.call(h -> Native.registryNew(h, t, seed, store))), scheme);
      try (TypeTable defaults = TypeTable.defaults()) {
        return new Registry(defaults.call(t -> hasher.call(h -> Native.registryNew(h, t, seed, store))), scheme);
      }
    }
  }

  /** A new key, shown once in {@code key}, and its record. */
  public record Created(ApiKey key, KeyRecord record) {}

  /** A rotation's new key (shown once), the record it replaced and its own record. */
  public record Rotated(ApiKey key, KeyRecord previous, KeyRecord current) {
    /** The new key's id (the seed's {@code newKey.id}). */
    public String id() {
      return current.id();
    }
  }

  /** A fresh key that continues a chain an emergency revocation stopped. */
  public record Replacement(String previousId, ApiKey key, KeyRecord record) {}

  /** Every key an emergency revocation stopped, and their replacements. */
  public record EmergencyRevocation(List<KeyRecord> revoked, List<Replacement> replacements) {}

  /** Creates a key from the seed's request body (a JSON object). */
  public Created create(String requestJson, Instant now, String actor) {
    Objects.requireNonNull(requestJson, "request");
    Objects.requireNonNull(actor, "actor");
    long at = Times.millis(now);
    Object[] out = call(r -> Native.registryCreate(r, requestJson, at, actor));
    return new Created((ApiKey) out[0], record((String) out[1]));
  }

  /** The same, with the body as a map: {@code Map.of("name", ..., "type", "production", ...)}. */
  public Created create(Map<String, ?> request, Instant now, String actor) {
    return create(Json.write(Objects.requireNonNull(request, "request")), now, actor);
  }

  public Created create(Map<String, ?> request, Instant now) {
    return create(request, now, SYSTEM);
  }

  /** Verifies a presented key for any environment and no particular scope. */
  public Decision verify(String key, Instant now) {
    return verify(key, VerifyContext.ANY, now);
  }

  /** Verifies a presented key for the request {@code context} describes. */
  public Decision verify(String key, VerifyContext context, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(context, "context");
    long at = Times.millis(now);
    String packed = packed(context);
    double latency = context.latencyMs() == null ? -1.0 : context.latencyMs();
    // The hot path's fields come as one text and an array of numbers, not JSON (jni_natives.cc:
    // each object JNI makes costs more than Java making it); the vectors check that the
    // Decision's toJson() is still the core's text.
    long[] n = new long[7];
    String texts = call(r -> Native.registryVerify(r, key, packed, context.cost(), latency, at, n));
    Texts t = lastTexts;
    if (!t.packed.equals(texts)) {
      t = new Texts(texts);
      lastTexts = t;
    }
    return new Decision(n[0] != 0, t.code, t.keyId, t.type, t.environment, t.permissions, instantOrNull(n[1]),
        n[2] != 0, t.replacedBy, instantOrNull(n[3]), new Decision.RateLimitInfo(n[4], n[5], n[6]));
  }

  /** A decision's texts, split once and kept while the next verification's repeat them. */
  private static final class Texts {
    final String packed;
    final String code, keyId, type, environment, replacedBy;
    final List<String> permissions;

    Texts(String packed) {
      this.packed = packed;
      String[] parts = packed.split("\u0001", -1);
      code = parts[0];
      keyId = parts[1];
      type = parts[2];
      environment = parts[3];
      replacedBy = parts[4];
      permissions = List.of(Arrays.copyOfRange(parts, 5, parts.length));
    }
  }

  private volatile Texts lastTexts = new Texts("\u0001\u0001\u0001\u0001");

  /**
   * The context's texts in one string, as the native side reads them (jni_natives.cc): each
   * after its length and a ':', so that any text, separators included, reads back whole.
   * Packed once for the context a registry last saw.
   */
  private String packed(VerifyContext context) {
    PackedContext p = lastContext;
    if (p.context != context) {
      StringBuilder b = new StringBuilder();
      for (String text : List.of(context.environment(), context.service(), context.actor(), context.signedBy())) {
        b.append(text.length()).append(':').append(text);
      }
      for (String scope : context.required()) b.append(scope.length()).append(':').append(scope);
      p = new PackedContext(context, b.toString());
      lastContext = p;
    }
    return p.packed;
  }

  private record PackedContext(VerifyContext context, String packed) {}

  private volatile PackedContext lastContext = new PackedContext(null, "");

  private static Instant instantOrNull(long ms) {
    return ms == Long.MIN_VALUE ? null : Instant.ofEpochMilli(ms);
  }

  /**
   * The seed's {@code getUsage}: requests, errors and latency percentiles of a key over a
   * timeframe; {@code start} and {@code end} are dates ({@code end} covers that whole day) or
   * RFC 3339 instants. {@code metrics} null for all of requests, errors and latency.
   */
  public UsageReport getUsage(String keyId, String start, String end, Collection<String> metrics) {
    Map<String, Object> timeframe = new LinkedHashMap<>();
    timeframe.put("start", Objects.requireNonNull(start, "start"));
    timeframe.put("end", Objects.requireNonNull(end, "end"));
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("keyId", Objects.requireNonNull(keyId, "keyId"));
    query.put("timeframe", timeframe);
    if (metrics != null) query.put("metrics", new ArrayList<>(metrics));
    String text = Json.write(query);
    return CoreJson.read(UsageReport.class, call(r -> Native.registryGetUsage(r, text)));
  }

  /** The same over instants. */
  public UsageReport getUsage(String keyId, Instant start, Instant end, Collection<String> metrics) {
    return getUsage(keyId, CoreJson.instantText(Objects.requireNonNull(start, "start")),
        CoreJson.instantText(Objects.requireNonNull(end, "end")), metrics);
  }

  /** A key's state by id at {@code now}. FinFusionException not_found for an unknown id. */
  public KeyState status(String keyId, Instant now) {
    Objects.requireNonNull(keyId, "keyId");
    long at = Times.millis(now);
    return CoreJson.read(KeyState.class, call(r -> Native.registryStatus(r, keyId, at)));
  }

  /**
   * A successor for the key; the old one keeps working until {@code now + grace} (capped at
   * its expiry); a zero grace is an emergency rotation. FinFusionException conflict when the
   * key was already rotated (unless {@code force}), not_found, invalid_request.
   */
  public Rotated rotate(String keyId, Duration grace, Collection<String> notifyEmails, boolean force, Instant now,
      String actor) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(actor, "actor");
    long graceMs = Times.millis(grace);
    String[] emails = Args.strings(Objects.requireNonNull(notifyEmails, "notifyEmails"), "notifyEmails");
    long at = Times.millis(now);
    return rotated(call(r -> Native.registryRotate(r, keyId, graceMs, emails, force, at, actor)));
  }

  /** The same with a grace period as text ({@code "48h"}). */
  public Rotated rotate(String keyId, String grace, Collection<String> notifyEmails, boolean force, Instant now,
      String actor) {
    return rotate(keyId, Times.parseDuration(Objects.requireNonNull(grace, "grace")), notifyEmails, force, now, actor);
  }

  /**
   * The seed's automated rotation: rotates every key whose rotation is due or overdue (see
   * {@link #policyReport}) with {@code grace}, and returns the rotations made. Keys another
   * instance rotated meanwhile are skipped, so several hosts may run it at once.
   */
  public List<Rotated> rotateDue(Duration grace, Collection<String> notifyEmails, Instant now, String actor) {
    Objects.requireNonNull(actor, "actor");
    long graceMs = Times.millis(grace);
    String[] emails = Args.strings(Objects.requireNonNull(notifyEmails, "notifyEmails"), "notifyEmails");
    long at = Times.millis(now);
    List<Rotated> out = new ArrayList<>();
    for (Object item : call(r -> Native.registryRotateDue(r, graceMs, emails, at, actor))) out.add(rotated((Object[]) item));
    return List.copyOf(out);
  }

  /** Revokes a key at once. */
  public KeyRecord revoke(String keyId, String reason, Instant now, String actor) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    long at = Times.millis(now);
    return record(call(r -> Native.registryRevoke(r, keyId, reason, at, actor)));
  }

  /**
   * The seed's emergency procedure: revokes a compromised key, its rotation chain and every
   * restricted key derived from them; with {@code replace}, issues fresh keys for the chains
   * that were still usable.
   */
  public EmergencyRevocation emergencyRevoke(String keyId, String reason, boolean replace, Instant now, String actor) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    long at = Times.millis(now);
    Object[] out = call(r -> Native.registryEmergencyRevoke(r, keyId, reason, replace, at, actor));
    List<KeyRecord> revoked = new ArrayList<>();
    for (String text : (String[]) out[0]) revoked.add(record(text));
    List<Replacement> replacements = new ArrayList<>();
    for (Object item : (Object[]) out[1]) {
      Object[] rep = (Object[]) item;
      replacements.add(new Replacement((String) rep[0], (ApiKey) rep[1], record((String) rep[2])));
    }
    return new EmergencyRevocation(List.copyOf(revoked), List.copyOf(replacements));
  }

  /** The rotation-policy inventory of every key at {@code now}. */
  public PolicyReport policyReport(Instant now) {
    long at = Times.millis(now);
    return CoreJson.read(PolicyReport.class, call(r -> Native.registryPolicyReport(r, at)));
  }

  /** A key's record. FinFusionException not_found. */
  public KeyRecord get(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    return record(call(r -> Native.registryGet(r, keyId)));
  }

  /** Every key's record. */
  public List<KeyRecord> list() {
    List<KeyRecord> out = new ArrayList<>();
    for (String text : call(Native::registryList)) out.add(record(text));
    return List.copyOf(out);
  }

  /**
   * The newest {@code limit} audit events (oldest first), of one key ({@code keyId} null for
   * all) and of the given types (empty for all): the seed's {@code getLogs}.
   */
  public List<AuditEvent> logs(String keyId, int limit, Collection<String> eventTypes) {
    String id = keyId == null ? "" : keyId;
    String[] types = Args.strings(Objects.requireNonNull(eventTypes, "eventTypes"), "eventTypes");
    List<AuditEvent> out = new ArrayList<>();
    for (String text : call(r -> Native.registryLogs(r, id, types, limit))) out.add(CoreJson.read(AuditEvent.class, text));
    return List.copyOf(out);
  }

  /**
   * Who gets every key's warnings and alerts, besides its owner when the owner is an email
   * address (at most 20).
   */
  public void setAlertRecipients(Collection<String> recipients) {
    String[] to = Args.strings(Objects.requireNonNull(recipients, "recipients"), "recipients");
    call(r -> {
      Native.registrySetAlertRecipients(r, to);
      return null;
    });
  }

  /**
   * Queues the expiry and rotation-due warnings due at {@code now} (once per key and date);
   * returns how many were new. Run it from a timer; several instances may.
   */
  public long queueWarnings(Instant now) {
    long at = Times.millis(now);
    return call(r -> Native.registryQueueWarnings(r, at));
  }

  /**
   * Takes up to {@code limit} due notifications for {@code worker} (a mailer's name) for
   * {@code lease}: no other worker gets them meanwhile. Settle each after sending.
   */
  public List<Notification> claimNotifications(String worker, int limit, Duration lease, Instant now) {
    Objects.requireNonNull(worker, "worker");
    long leaseMs = Times.millis(lease);
    long at = Times.millis(now);
    return notifications(call(r -> Native.registryClaimNotifications(r, worker, limit, leaseMs, at)));
  }

  /**
   * Records a delivery's outcome: sent, or failed with {@code error} (tried again after a
   * backoff, until {@link #MAX_DELIVERY_ATTEMPTS}). FinFusionException conflict when {@code
   * worker} no longer holds it.
   */
  public Notification settleNotification(String id, String worker, boolean delivered, String error, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(error, "error");
    long at = Times.millis(now);
    return CoreJson.read(Notification.class,
        call(r -> Native.registrySettleNotification(r, id, worker, delivered, error, at)));
  }

  /**
   * The outbox, newest first: {@code status} null for all ({@code "pending"}, {@code "sent"},
   * {@code "failed"}).
   */
  public List<Notification> notifications(String status, int limit) {
    String wanted = status == null ? "" : status;
    return notifications(call(r -> Native.registryNotifications(r, "", wanted, limit)));
  }

  /** Checks every writer's hash chain in the audit log. */
  public ChainReport verifyChain() {
    return CoreJson.read(ChainReport.class, call(Native::registryVerifyChain));
  }

  /** Writes out the verifications a persistent store holds back (close() does too). */
  public void flush() {
    call(r -> {
      Native.registryFlush(r);
      return null;
    });
  }

  /**
   * The whole registry (records with stored hashes, audit log, usage, sealed secrets)
   * encrypted with XChaCha20-Poly1305 under {@code key} (32 bytes): {@code "ffx1.<base64url>"}.
   */
  public String exportEncrypted(byte[] key, Instant now) {
    Objects.requireNonNull(key, "key");
    long at = Times.millis(now);
    return call(r -> Native.registryExport(r, key, at));
  }

  /**
   * Loads an export into this registry, which must be empty (precondition_failed otherwise).
   * A wrong key or altered text is invalid_request; nothing is half-loaded.
   */
  public void importEncrypted(String text, byte[] key) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(key, "key");
    call(r -> {
      Native.registryImport(r, text, key);
      return null;
    });
  }

  /**
   * The master keys (id to 32 bytes) that seal the secrets this registry keeps; {@code current}
   * seals, every one listed opens.
   */
  public void setMasterKeys(Map<String, byte[]> keys, String current) {
    NamedSecrets named = NamedSecrets.of(keys, "master key");
    Objects.requireNonNull(current, "current");
    call(r -> {
      Native.registrySetMasterKeys(r, named.ids(), named.values(), current);
      return null;
    });
  }

  /**
   * A new request-signing secret for the key ({@code "hmac-sha256"} or {@code "ed25519"}),
   * replacing any it had, stored sealed under the current master key.
   */
  public SigningKey issueSigningSecret(String keyId, String algorithm, Instant now, String actor) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(actor, "actor");
    long at = Times.millis(now);
    return new SigningKey(call(r -> Native.registryIssueSigningSecret(r, keyId, algorithm, at, actor)));
  }

  /** The key's request-signing secret, opened. FinFusionException not_found when it has none. */
  public SigningKey signingKey(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    return new SigningKey(call(r -> Native.registrySigningKey(r, keyId)));
  }

  /** A new webhook signing secret for the endpoint, replacing any it had, kept sealed. */
  public WebhookSecret issueWebhookSecret(String endpointId, Instant now, String actor) {
    Objects.requireNonNull(endpointId, "endpointId");
    Objects.requireNonNull(actor, "actor");
    long at = Times.millis(now);
    return new WebhookSecret(call(r -> Native.registryIssueWebhookSecret(r, endpointId, at, actor)));
  }

  public WebhookSecret webhookSecret(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId");
    return new WebhookSecret(call(r -> Native.registryWebhookSecret(r, endpointId)));
  }

  /** Re-seals under the current master key every secret sealed under another; how many. */
  public long reencryptSecrets(Instant now, String actor) {
    Objects.requireNonNull(actor, "actor");
    long at = Times.millis(now);
    return call(r -> Native.registryReencryptSecrets(r, at, actor));
  }

  @Override
  public String toString() {
    return "Registry[store=" + scheme + ":]";
  }

  private static Rotated rotated(Object[] rot) {
    return new Rotated((ApiKey) rot[0], record((String) rot[1]), record((String) rot[2]));
  }

  private static List<Notification> notifications(String[] texts) {
    List<Notification> out = new ArrayList<>();
    for (String text : texts) out.add(CoreJson.read(Notification.class, text));
    return List.copyOf(out);
  }

  private static KeyRecord record(String json) {
    return CoreJson.read(KeyRecord.class, json);
  }
}
