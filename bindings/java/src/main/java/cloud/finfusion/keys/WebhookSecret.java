package cloud.finfusion.keys;

import java.util.Objects;

/**
 * A Standard Webhooks signing secret ({@code whsec_...}). Immutable and thread-safe;
 * {@link #close()} wipes it; {@code toString()} never shows it.
 */
public final class WebhookSecret extends NativeHandle {
  WebhookSecret(long handle) {
    super(handle, Native::webhookSecretFree, false);
  }

  /** From {@code whsec_<base64>} (the prefix may be left out). FinFusionException invalid_request. */
  public static WebhookSecret parse(String text) {
    return new WebhookSecret(Native.webhookSecretParse(Objects.requireNonNull(text, "text")));
  }

  /** From raw bytes (24 to 64). */
  public static WebhookSecret fromBytes(byte[] raw) {
    return new WebhookSecret(Native.webhookSecretFromBytes(Objects.requireNonNull(raw, "raw")));
  }

  /** A new secret from the CSPRNG. */
  public static WebhookSecret generate() {
    return new WebhookSecret(Native.webhookSecretGenerate());
  }

  /** The {@code whsec_} text: show it to the endpoint's owner once. */
  public String reveal() {
    return call(Native::webhookSecretReveal);
  }

  @Override
  public String toString() {
    return "WebhookSecret[whsec_...]";
  }
}
