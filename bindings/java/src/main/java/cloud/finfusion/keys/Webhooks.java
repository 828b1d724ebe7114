package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Webhook signatures compatible with Standard Webhooks ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}).
 *
 * <pre>{@code
 * Map<String, String> headers = Webhooks.sign(List.of(secret), "msg_2KWPBgLl...", payload, Instant.now());
 * WebhookVerification v = Webhooks.verify(List.of(secret), receivedHeaders, payload, Instant.now(), Webhooks.DEFAULT_TOLERANCE);
 * }</pre>
 *
 * A receiver rotating its secret passes both; a sender may sign with several. Verification
 * never throws for a bad signature.
 */
public final class Webhooks {
  /** How far a timestamp may be from now, either way. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

  private Webhooks() {}

  /** The {@code v1,<base64>} signature entry. */
  public static String signature(WebhookSecret secret, String msgId, Instant timestamp, byte[] payload) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(msgId, "msgId");
    Objects.requireNonNull(payload, "payload");
    long seconds = Times.millis(timestamp) / 1000;
    return secret.call(s -> Native.webhookSign(s, msgId, seconds, payload));
  }

  /** The headers to send: webhook-id, webhook-timestamp and webhook-signature (one entry per secret). */
  public static Map<String, String> sign(Collection<WebhookSecret> secrets, String msgId, byte[] payload,
      Instant timestamp) {
    Objects.requireNonNull(msgId, "msgId");
    Objects.requireNonNull(payload, "payload");
    long seconds = Times.millis(timestamp) / 1000;
    String[] flat = withHandles(List.copyOf(Objects.requireNonNull(secrets, "secrets")), 0, new long[secrets.size()],
        hs -> Native.webhookHeaders(hs, msgId, seconds, payload));
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.length; i += 2) out.put(flat[i], flat[i + 1]);
    return Collections.unmodifiableMap(out);
  }

  /**
   * Checks a received webhook's headers (names in any case) and raw payload. A missing header
   * is invalid_request, an old or future timestamp signature_expired, no matching signature
   * signature_invalid.
   */
  public static WebhookVerification verify(Collection<WebhookSecret> secrets, Map<String, String> headers,
      byte[] payload, Instant now, Duration tolerance) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(payload, "payload");
    long at = Times.millis(now);
    long seconds = Objects.requireNonNull(tolerance, "tolerance").toSeconds();
    String id = header(headers, "webhook-id");
    String timestamp = header(headers, "webhook-timestamp");
    String signature = header(headers, "webhook-signature");
    String[] v = withHandles(List.copyOf(Objects.requireNonNull(secrets, "secrets")), 0, new long[secrets.size()],
        hs -> Native.webhookVerify(hs, id, timestamp, signature, payload, at, seconds));
    return new WebhookVerification(Boolean.parseBoolean(v[0]), v[1], v[2], v[3], Long.parseLong(v[4]));
  }

  private static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
        return e.getValue() == null ? "" : e.getValue();
      }
    }
    return "";
  }

  // Holds every secret's lock while the core uses their handles.
  private static <T> T withHandles(List<WebhookSecret> secrets, int i, long[] handles,
      java.util.function.Function<long[], T> use) {
    if (i == secrets.size()) return use.apply(handles);
    return Objects.requireNonNull(secrets.get(i), "secret").call(h -> {
      handles[i] = h;
      return withHandles(secrets, i + 1, handles, use);
    });
  }
}
