package cloud.finfusion.keys;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Who presents a key, and for what: the scopes the request needs, the environment and
 * calling service, its rate-limit cost, the actor for the audit log, the request's measured
 * latency (for usage) and the key id that signed it (for types that require signed requests).
 *
 * <pre>{@code
 * VerifyContext.builder().required("payments:charge").environment("production").build()
 * }</pre>
 */
public record VerifyContext(List<String> required, String environment, String service, long cost, String actor,
    Double latencyMs, String signedBy) {
  /** Any environment, no scope, cost 1. */
  public static final VerifyContext ANY = builder().build();

  public VerifyContext {
    required = List.copyOf(Objects.requireNonNull(required, "required"));
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(signedBy, "signedBy");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a context; unset fields are empty (any), cost 1, no latency. */
  public static final class Builder {
    private List<String> required = List.of();
    private String environment = "";
    private String service = "";
    private long cost = 1;
    private String actor = "";
    private Double latencyMs;
    private String signedBy = "";

    private Builder() {}

    /** The scopes the request needs (all of them). */
    public Builder required(String... scopes) {
      this.required = Arrays.asList(scopes.clone());
      return this;
    }

    public Builder required(List<String> scopes) {
      this.required = List.copyOf(scopes);
      return this;
    }

    /** {@code "production"} or {@code "sandbox"}; empty for any. */
    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    /** The calling service (restricted keys must match theirs). */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** Rate-limit units this request uses (default 1). */
    public Builder cost(long cost) {
      this.cost = cost;
      return this;
    }

    /** The audit log's actor; empty for the key's own id. */
    public Builder actor(String actor) {
      this.actor = actor;
      return this;
    }

    /** The request's measured latency, for usage reports. */
    public Builder latencyMs(double latencyMs) {
      this.latencyMs = latencyMs;
      return this;
    }

    /** The signer of the request's verified RFC 9421 signature ({@link SignatureVerification#signer()}). */
    public Builder signedBy(String keyId) {
      this.signedBy = keyId;
      return this;
    }

    public VerifyContext build() {
      return new VerifyContext(required, environment, service, cost, actor, latencyMs, signedBy);
    }
  }
}
