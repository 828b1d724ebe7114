package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ScopesHashingTimeTest {
  @Test
  void scopesAreCanonicalAndChecked() {
    ScopeSet s = Scopes.parse(List.of("kyc:read", "payments", "payments", "kyc:read"));
    assertEquals(List.of("kyc:read", "payments"), s);
    assertTrue(Scopes.allows(s, "payments:charge"));
    assertFalse(Scopes.allows(s, "kyc:write"));
    assertTrue(Scopes.allowsAll(s, List.of("payments:refund", "kyc:read")));
    assertTrue(Scopes.isSubset(List.of("payments:charge"), s));
    assertFalse(Scopes.isSubset(List.of("*"), s));
    assertEquals("invalid_scope", assertThrows(FinFusionException.class, () -> Scopes.parse(List.of("Pay ments"))).code());
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(NullPointerException.class, () -> Scopes.parse(withNull));
  }

  @Test
  void hashesVerifyAndAskForRehashAfterAPepperRotation() {
    byte[] old = Hashing.generatePepper();
    byte[] fresh = Hashing.generatePepper();
    assertEquals(Hashing.PEPPER_BYTES, old.length);
    try (ApiKey key = Keys.generate(KeyType.PRODUCTION);
        Hasher before = new Hasher(Map.of("2026a", old), "2026a");
        Hasher after = new Hasher(Map.of("2026a", old, "2026b", fresh), "2026b")) {
      String stored = before.hash(key.reveal());
      assertTrue(stored.startsWith("ffk$1$hs256$2026a$"));
      assertEquals(new Hashing.StoredHash("hs256", "2026a"), Hashing.parseStored(stored));
      assertTrue(after.verify(key.reveal(), stored));
      assertTrue(after.needsRehash(stored));
      assertFalse(after.needsRehash(after.hash(key.reveal())));
      assertFalse(after.verify(Keys.generate(KeyType.PRODUCTION).reveal(), stored));
      assertEquals("Hasher[current=2026b]", after.toString());
      assertEquals("hs256", after.algorithm());
      try (Hasher blake = new Hasher(Map.of("2026a", old), "2026a", "b2b256")) {
        String b = blake.hash(key.reveal());
        assertTrue(after.verify(key.reveal(), b));
        assertTrue(after.needsRehash(b));
      }
    }
  }

  @Test
  void badPeppersAreRefused() {
    assertEquals("invalid_request", assertThrows(FinFusionException.class,
        () -> new Hasher(Map.of("p", new byte[3]), "p")).code());
    assertEquals("invalid_request", assertThrows(FinFusionException.class,
        () -> new Hasher(Map.of("p", new byte[32]), "q")).code());
    assertEquals("invalid_request", assertThrows(FinFusionException.class,
        () -> new Hasher(Map.of("p", new byte[32]), "p", "md5")).code());
    Map<String, byte[]> nullPepper = new LinkedHashMap<>();
    nullPepper.put("p", null);
    assertThrows(NullPointerException.class, () -> new Hasher(nullPepper, "p"));
  }

  @Test
  void oneHasherServesManyThreads() throws Exception {
    try (Hasher h = new Hasher(Map.of("p", Hashing.generatePepper()), "p"); ApiKey key = Keys.generate(KeyType.PRODUCTION)) {
      String text = key.reveal();
      String stored = h.hash(text);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          for (int i = 0; i < 5000; i++) {
            if (!h.verify(text, stored) || !h.hash(text).equals(stored)) return false;
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) assertTrue(f.get());
      pool.shutdown();
    }
  }

  @Test
  void timesReadAndWriteTheCoresText() {
    assertEquals(Duration.ofHours(48), Times.parseDuration("48h"));
    assertEquals("1h30m", Times.formatDuration(Duration.ofMinutes(90)));
    assertEquals(Instant.parse("2026-12-31T00:00:00Z"), Times.parseTimestamp("2026-12-31"));
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"), Times.parseUntil("2026-12-31"));
    assertEquals("2026-01-01T00:00:00.000Z", Times.formatTimestamp(Instant.parse("2026-01-01T00:00:00Z")));
    assertEquals("invalid_duration", assertThrows(FinFusionException.class, () -> Times.parseDuration("2 days")).code());
    assertEquals("invalid_timestamp", assertThrows(FinFusionException.class, () -> Times.parseTimestamp("2026-02-30")).code());
  }

  @Test
  void rateLimitsAllowABurstThenSayWhenToRetry() {
    RateLimits.RateLimit limit = new RateLimits.RateLimit(2, Duration.ofSeconds(1));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    RateLimits.Decision a = RateLimits.check(limit, null, t, 1);
    RateLimits.Decision b = RateLimits.check(limit, a.state(), t, 1);
    RateLimits.Decision c = RateLimits.check(limit, b.state(), t, 1);
    assertTrue(a.allowed() && b.allowed());
    assertFalse(c.allowed());
    assertTrue(c.retryAfter().toMillis() > 0);
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> RateLimits.check(limit, null, t, -1)).code());
  }
}
