package cloud.finfusion.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The seed's client:
 *
 * <pre>{@code
 * FinFusion client = new FinFusion.Builder()
 *     .apiKey(System.getenv("FINFUSION_API_KEY"))
 *     .environment("production")
 *     .timeout(30000)
 *     .retries(3)
 *     .build();
 * Registry.Rotated newKey = client.apiKeys().rotate("prod_...", "48h", List.of("security@yourcompany.com"));
 * client.apiKeys().verify(newKey.id()).valid();
 * }</pre>
 *
 * <p>The arguments are checked by the core, with the same rules as in every other language: a
 * key whose prefix contradicts the environment is environment_mismatch, a missing key
 * invalid_request. {@code toString()} shows the client's key id, never its key. The registry
 * is an in-memory one unless {@link Builder#registry} gives one; {@link #close()} closes the
 * registry only when the client made it.
 */
public final class FinFusion implements AutoCloseable {
  /** The library's version (the repository's VERSION, the same in every binding). */
  public static final String VERSION = Native.version();

  private final String keyId;
  private final String type;
  private final String environment;
  private final Duration timeout;
  private final int retries;
  private final Registry registry;
  private final boolean ownsRegistry;
  private final Clock clock;
  private final ApiKeys apiKeys = new ApiKeys();

  private FinFusion(Builder b, String[] config) {
    this.keyId = config[0];
    this.type = config[1];
    this.environment = config[2];
    this.timeout = Duration.ofMillis(Long.parseLong(config[3]));
    this.retries = Integer.parseInt(config[4]);
    this.clock = b.clock;
    if (b.registry != null) {
      this.registry = b.registry;
      this.ownsRegistry = false;
    } else {
      try (Hasher hasher = new Hasher(Map.of("local", Hashing.generatePepper()), "local")) {
        this.registry = Registry.builder(hasher).open();
      }
      this.ownsRegistry = true;
    }
  }

  /** Builds a client; {@code apiKey} is required, the rest have the seed's defaults. */
  public static final class Builder {
    private String apiKey;
    private String environment = "production";
    private Map<String, Object> options = new LinkedHashMap<>();
    private Registry registry;
    private Clock clock = Clock.systemUTC();

    public Builder() {}

    /** This client's own key (from the environment, never from source code). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** {@code "production"} or {@code "sandbox"}. */
    public Builder environment(String environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Milliseconds, 1 to 600000 (default 30000). */
    public Builder timeout(long timeoutMs) {
      options.put("timeout", timeoutMs);
      return this;
    }

    public Builder timeout(Duration timeout) {
      return timeout(Objects.requireNonNull(timeout, "timeout").toMillis());
    }

    /** 0 to 10 (default 3). */
    public Builder retries(int retries) {
      options.put("retries", (long) retries);
      return this;
    }

    /** The registry the client manages keys in (default: a new in-memory one). */
    public Builder registry(Registry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Where "now" comes from (tests pass a fixed clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Checks the configuration. FinFusionException invalid_request (missing key, bad option),
     * the key's format code, environment_mismatch.
     */
    public FinFusion build() {
      String[] config = Native.clientConfigure(apiKey == null ? "" : apiKey, environment, Json.write(options));
      return new FinFusion(this, config);
    }
  }

  /** The client's own key id: its identity in the audit log. */
  public String keyId() {
    return keyId;
  }

  public String type() {
    return type;
  }

  public String environment() {
    return environment;
  }

  public Duration timeout() {
    return timeout;
  }

  public int retries() {
    return retries;
  }

  /** The seed's {@code apiKeys}. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  @Override
  public void close() {
    if (ownsRegistry) registry.close();
  }

  @Override
  public String toString() {
    return "FinFusion[keyId=" + keyId + ", environment=" + environment + "]";
  }

  /** The seed's key operations, acting as this client ({@code key:<its id>} in the audit log). */
  public final class ApiKeys {
    private ApiKeys() {}

    private Instant now() {
      return clock.instant();
    }

    private String actor() {
      return "key:" + keyId;
    }

    /** {@code create(Map.of("name", ..., "type", "production", "permissions", List.of(...), "expiration", "2026-12-31"))}. */
    public Registry.Created create(Map<String, ?> request) {
      return registry.create(request, now(), actor());
    }

    /** The same with the request as JSON text. */
    public Registry.Created create(String requestJson) {
      return registry.create(requestJson, now(), actor());
    }

    /** A successor for {@code currentKey} (a key id); both work for {@code gracePeriod} ({@code "48h"}). */
    public Registry.Rotated rotate(String currentKey, String gracePeriod, Collection<String> notifyEmails) {
      return registry.rotate(currentKey, gracePeriod, notifyEmails, false, now(), actor());
    }

    public Registry.Rotated rotate(String currentKey, Duration gracePeriod, Collection<String> notifyEmails) {
      return registry.rotate(currentKey, gracePeriod, notifyEmails, false, now(), actor());
    }

    /**
     * A key id gives its state (the seed's {@code verify(newKey.id)}); a full key is verified
     * for this client's environment.
     */
    public Verdict verify(String keyOrId) {
      return verify(keyOrId, List.of());
    }

    /** The same, requiring {@code required} scopes of a full key. */
    public Verdict verify(String keyOrId, List<String> required) {
      Objects.requireNonNull(keyOrId, "keyOrId");
      if (Keys.checkFormat(keyOrId).equals("valid")) {
        VerifyContext context = VerifyContext.builder().required(required).environment(environment).actor(actor()).build();
        return registry.verify(keyOrId, context, now());
      }
      return registry.status(keyOrId, now());
    }

    public KeyRecord revoke(String keyId, String reason) {
      return registry.revoke(keyId, reason, now(), actor());
    }

    public List<KeyRecord> list() {
      return registry.list();
    }

    /** {@code getUsage(keyId, "2024-01-01", "2024-01-31", List.of("requests", "errors", "latency"))}. */
    public UsageReport getUsage(String keyId, String start, String end, Collection<String> metrics) {
      return registry.getUsage(keyId, start, end, metrics);
    }

    /** {@code getLogs(keyId, 100, List.of("key.created", "key.rotated", "key.accessed"))}. */
    public List<AuditEvent> getLogs(String keyId, int limit, Collection<String> eventTypes) {
      return registry.logs(keyId, limit, eventTypes);
    }
  }
}
