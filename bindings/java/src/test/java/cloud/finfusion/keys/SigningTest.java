package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigningTest {
  static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
  static final byte[] BODY = "{\"amount\":1000}".getBytes(StandardCharsets.UTF_8);
  static final String URL = "https://api.example.com/v1/payments";

  static Signing.Request signed(SigningKey key, SignOptions options) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Content-Type", "application/json")));
    Signing.signRequest(new Signing.Request("POST", URL, headers, BODY), key, options)
        .forEach((n, v) -> headers.add(Map.entry(n, v)));
    return new Signing.Request("POST", URL, headers, BODY);
  }

  @Test
  void signedRequestsVerifyAndTamperingIsCaught() {
    for (String alg : Signing.ALGORITHMS) {
      try (SigningKey key = SigningKey.generate("key_1", alg); KeyRing ring = KeyRing.of(key)) {
        Signing.Request req = signed(key, SignOptions.builder().now(NOW).build());
        VerifyPolicy at = VerifyPolicy.builder().now(NOW.plusSeconds(5)).build();
        SignatureVerification v = Signing.verifyRequest(req, ring, at);
        assertTrue(v.valid(), v.message());
        assertEquals(alg, v.alg());
        assertTrue(v.covered().contains("\"content-digest\""));
        assertEquals("key_1", v.signer());

        Signing.Request otherBody = new Signing.Request("POST", URL, req.headers(), "{\"amount\":9000}".getBytes(StandardCharsets.UTF_8));
        assertEquals("signature_invalid", Signing.verifyRequest(otherBody, ring, at).code());
        Signing.Request otherUrl = new Signing.Request("POST", URL + "?to=mallory", req.headers(), BODY);
        assertEquals("signature_invalid", Signing.verifyRequest(otherUrl, ring, at).code());
        assertEquals("", Signing.verifyRequest(otherUrl, ring, at).signer());
        assertEquals("signature_expired",
            Signing.verifyRequest(req, ring, VerifyPolicy.builder().now(NOW.plus(Duration.ofHours(1))).build()).code());
        try (KeyRing empty = new KeyRing()) {
          assertEquals("not_found", Signing.verifyRequest(req, empty, at).code());
        }
      }
    }
  }

  @Test
  void noncesStopReplaysAndResponsesCoverTheirRequest() {
    try (SigningKey key = SigningKey.hmac("key_h", HexFormat.of().parseHex("d88d65cf2a1cf356e2f2c12a439ceb111639a9fa704060766447a59a54a3a663"));
        NonceCache nonces = new NonceCache(10)) {
      Signing.Request req = signed(key, SignOptions.builder().generateNonce().now(NOW).build());
      VerifyPolicy policy = VerifyPolicy.builder().requireNonce(true).nonces(nonces).now(NOW).build();
      assertTrue(Signing.verifyRequest(req, List.of(key.verifyingKey()), policy).valid());
      assertEquals("replayed", Signing.verifyRequest(req, List.of(key.verifyingKey()), policy).code());
      assertEquals(1, nonces.size());
      Signing.Request noNonce = signed(key, SignOptions.builder().now(NOW).build());
      assertEquals("signature_invalid", Signing.verifyRequest(noNonce, List.of(key.verifyingKey()), policy).code());

      Signing.Response resp = new Signing.Response(200, List.of(Map.entry("Content-Type", "application/json")), BODY, req);
      SignOptions covering = SignOptions.builder().components(List.of("@status", "content-digest", "@method;req")).now(NOW).build();
      List<Map.Entry<String, String>> headers = new ArrayList<>(resp.headers());
      Signing.signResponse(resp, key, covering).forEach((n, v) -> headers.add(Map.entry(n, v)));
      Signing.Response received = new Signing.Response(200, headers, BODY, req);
      assertTrue(Signing.verifyResponse(received, List.of(key.verifyingKey()), VerifyPolicy.builder().now(NOW).build()).valid());
      Signing.Response otherRequest = new Signing.Response(200, headers, BODY,
          new Signing.Request("GET", URL, req.headers(), BODY));
      assertFalse(Signing.verifyResponse(otherRequest, List.of(key.verifyingKey()), VerifyPolicy.builder().now(NOW).build()).valid());
    }
  }

  @Test
  void badOptionsAndKeysAreTypedErrors() {
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> SigningKey.generate("k", "rsa-pss-sha512")).code());
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> SigningKey.hmac("k", new byte[4])).code());
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> VerifyingKey.ed25519("k", new byte[31])).code());
    try (SigningKey key = SigningKey.generate("k", "hmac-sha256")) {
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> signed(key, SignOptions.builder().components(List.of("x-missing-header")).now(NOW).build())).code());
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> signed(key, SignOptions.builder().label("Not A Label").now(NOW).build())).code());
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> signed(key, SignOptions.builder().digest("md5").now(NOW).build())).code());
      assertFalse(key.toString().contains(HexFormat.of().formatHex(key.revealSecret())));
      byte[] sig = key.sign(BODY);
      try (VerifyingKey vk = key.verifyingKey()) {
        assertTrue(vk.verify(BODY, sig));
        sig[0] ^= 1;
        assertFalse(vk.verify(BODY, sig));
      }
    }
    String digest = Signing.contentDigest(BODY);
    assertTrue(Signing.verifyContentDigest(digest, BODY));
    assertFalse(Signing.verifyContentDigest(digest, new byte[0]));
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> Signing.verifyContentDigest("nonsense", BODY)).code());
    assertTrue(Signing.contentDigest(BODY, "sha-512").startsWith("sha-512=:"));
  }
}
