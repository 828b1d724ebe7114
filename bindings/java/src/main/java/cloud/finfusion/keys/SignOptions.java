package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How to sign: label ({@code sig1}), covered components (null: {@code @method},
 * {@code @target-uri}, {@code content-digest} with a body, {@code content-type} and
 * {@code authorization} when present), expiry, nonce, tag, whether to write {@code alg}, the
 * Content-Digest algorithm, and the signing instant (null: now).
 */
public record SignOptions(String label, List<String> components, Duration expiresIn, String nonce,
    boolean generateNonce, String tag, boolean includeAlg, String digest, Instant now) {
  /** The defaults. */
  public static final SignOptions DEFAULTS = builder().build();

  public SignOptions {
    Objects.requireNonNull(label, "label");
    components = components == null ? null : List.copyOf(components);
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds options from the defaults. */
  public static final class Builder {
    private String label = "sig1";
    private List<String> components;
    private Duration expiresIn;
    private String nonce = "";
    private boolean generateNonce;
    private String tag = "";
    private boolean includeAlg = true;
    private String digest = "sha-256";
    private Instant now;

    private Builder() {}

    public Builder label(String label) {
      this.label = label;
      return this;
    }

    /** Component identifiers, as in Signature-Input ({@code "@query-param";name="a"}) or bare. */
    public Builder components(List<String> components) {
      this.components = components;
      return this;
    }

    /** {@code expires = created + expiresIn} (whole seconds, positive). */
    public Builder expiresIn(Duration expiresIn) {
      this.expiresIn = expiresIn;
      return this;
    }

    /** A nonce of the caller's. */
    public Builder nonce(String nonce) {
      this.nonce = nonce;
      return this;
    }

    /** A fresh 128-bit nonce from the CSPRNG. */
    public Builder generateNonce() {
      this.generateNonce = true;
      return this;
    }

    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    public Builder includeAlg(boolean includeAlg) {
      this.includeAlg = includeAlg;
      return this;
    }

    /** {@code "sha-256"} or {@code "sha-512"}, for the Content-Digest this adds. */
    public Builder digest(String digest) {
      this.digest = digest;
      return this;
    }

    public Builder now(Instant now) {
      this.now = now;
      return this;
    }

    public SignOptions build() {
      return new SignOptions(label, components, expiresIn, nonce, generateNonce, tag, includeAlg, digest, now);
    }
  }
}
