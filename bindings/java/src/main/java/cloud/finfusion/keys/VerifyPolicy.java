package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a verifier demands: clock tolerance for {@code created} (300 s), a nonce, components
 * that must be covered, the label to check (empty: the first whose keyid is trusted), a
 * Content-Digest over any body (true), the nonce cache for replay protection (null: none),
 * and the verification instant (null: now).
 */
public record VerifyPolicy(Duration tolerance, boolean requireNonce, List<String> requiredComponents, String label,
    boolean requireContentDigest, NonceCache nonces, Instant now) {
  /** The defaults. */
  public static final VerifyPolicy DEFAULTS = builder().build();

  public VerifyPolicy {
    Objects.requireNonNull(tolerance, "tolerance");
    requiredComponents = List.copyOf(Objects.requireNonNull(requiredComponents, "requiredComponents"));
    Objects.requireNonNull(label, "label");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a policy from the defaults. */
  public static final class Builder {
    private Duration tolerance = Duration.ofSeconds(300);
    private boolean requireNonce;
    private List<String> requiredComponents = List.of();
    private String label = "";
    private boolean requireContentDigest = true;
    private NonceCache nonces;
    private Instant now;

    private Builder() {}

    public Builder tolerance(Duration tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    public Builder requireNonce(boolean requireNonce) {
      this.requireNonce = requireNonce;
      return this;
    }

    public Builder requiredComponents(List<String> components) {
      this.requiredComponents = components;
      return this;
    }

    public Builder label(String label) {
      this.label = label;
      return this;
    }

    public Builder requireContentDigest(boolean require) {
      this.requireContentDigest = require;
      return this;
    }

    /** Remembers nonces here, so that a replayed request is {@code replayed}. */
    public Builder nonces(NonceCache nonces) {
      this.nonces = nonces;
      return this;
    }

    public Builder now(Instant now) {
      this.now = now;
      return this;
    }

    public VerifyPolicy build() {
      return new VerifyPolicy(tolerance, requireNonce, requiredComponents, label, requireContentDigest, nonces, now);
    }
  }
}
