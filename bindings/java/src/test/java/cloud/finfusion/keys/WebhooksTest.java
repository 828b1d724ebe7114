package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhooksTest {
  static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
  static final byte[] PAYLOAD = "{\"type\":\"key.rotated\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signVerifyAndRotateSecrets() {
    try (WebhookSecret old = WebhookSecret.generate(); WebhookSecret fresh = WebhookSecret.generate()) {
      Map<String, String> headers = Webhooks.sign(List.of(fresh, old), "msg_1", PAYLOAD, NOW);
      assertEquals(List.of("webhook-id", "webhook-timestamp", "webhook-signature"), List.copyOf(headers.keySet()));
      assertEquals(2, headers.get("webhook-signature").split(" ").length);
      WebhookVerification v = Webhooks.verify(List.of(old), headers, PAYLOAD, NOW.plusSeconds(10), Webhooks.DEFAULT_TOLERANCE);
      assertTrue(v.valid());
      assertEquals("msg_1", v.msgId());
      assertEquals(NOW.getEpochSecond(), v.timestamp());
      Map<String, String> upper = new LinkedHashMap<>();
      headers.forEach((k, val) -> upper.put(k.toUpperCase(), val));
      assertTrue(Webhooks.verify(List.of(fresh), upper, PAYLOAD, NOW, Webhooks.DEFAULT_TOLERANCE).valid());
      assertEquals(Webhooks.signature(fresh, "msg_1", NOW, PAYLOAD), headers.get("webhook-signature").split(" ")[0]);
      assertEquals("signature_expired",
          Webhooks.verify(List.of(old), headers, PAYLOAD, NOW.plus(Duration.ofMinutes(6)), Webhooks.DEFAULT_TOLERANCE).code());
      try (WebhookSecret other = WebhookSecret.generate()) {
        assertEquals("signature_invalid", Webhooks.verify(List.of(other), headers, PAYLOAD, NOW, Webhooks.DEFAULT_TOLERANCE).code());
      }
      assertEquals("invalid_request", Webhooks.verify(List.of(old), Map.of(), PAYLOAD, NOW, Webhooks.DEFAULT_TOLERANCE).code());
      assertFalse(old.toString().contains(old.reveal().substring(6)));
      try (WebhookSecret parsed = WebhookSecret.parse(old.reveal())) {
        assertEquals(old.reveal(), parsed.reveal());
      }
    }
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> WebhookSecret.parse("whsec_!!")).code());
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> WebhookSecret.fromBytes(new byte[8])).code());
  }
}
