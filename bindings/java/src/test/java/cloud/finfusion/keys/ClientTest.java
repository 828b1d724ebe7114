package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's Java client, as the seed writes it. */
class ClientTest {
  @Test
  void theSeedsBuilderAndCalls() {
    try (ApiKey own = Keys.generate(KeyType.PRODUCTION)) {
      FinFusion client = new FinFusion.Builder()
          .apiKey(own.reveal())
          .environment("production")
          .timeout(30000)
          .retries(3)
          .clock(Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC))
          .build();
      try (client) {
        assertEquals(own.id(), client.keyId());
        assertEquals(Duration.ofSeconds(30), client.timeout());
        assertEquals(3, client.retries());
        assertFalse(client.toString().contains(own.reveal().substring(own.id().length())));

        Registry.Created created = client.apiKeys().create(Map.of("name", "Production API Key", "type", "production",
            "permissions", List.of("payments", "kyc", "reporting"), "expiration", "2026-12-31"));
        Registry.Rotated newKey = client.apiKeys().rotate(created.record().id(), "48h", List.of("security@yourcompany.com"));
        Verdict keyInfo = client.apiKeys().verify(newKey.id());
        assertInstanceOf(KeyState.class, keyInfo);
        assertTrue(keyInfo.valid());
        Verdict presented = client.apiKeys().verify(newKey.key().reveal(), List.of("payments"));
        assertInstanceOf(Decision.class, presented);
        assertTrue(presented.valid());
        assertTrue(client.apiKeys().verify(created.key().reveal()).valid(), "the old key works during the grace period");
        assertEquals(2, client.apiKeys().list().size());
        UsageReport usage = client.apiKeys().getUsage(created.record().id(), "2026-01-01", "2026-12-31",
            List.of("requests", "errors", "latency"));
        assertEquals(1L, usage.requests());
        List<AuditEvent> logs = client.apiKeys().getLogs(created.record().id(), 100,
            List.of("key.created", "key.rotated", "key.accessed"));
        assertEquals(List.of("key.created", "key.rotated", "key.accessed"), logs.stream().map(AuditEvent::type).toList());
        assertEquals("key:" + own.id(), logs.get(0).actor());
        KeyRecord revoked = client.apiKeys().revoke(newKey.id(), "rotated out");
        assertEquals("revoked", revoked.status());
        assertEquals("revoked", client.apiKeys().verify(newKey.id()).code());
      }
    }
  }

  @Test
  void badConfigurationIsRefusedWithTheSameCodesAsElsewhere() {
    assertEquals("invalid_request", assertThrows(FinFusionException.class,
        () -> new FinFusion.Builder().apiKey(System.getenv("FINFUSION_UNSET_VARIABLE")).build()).code());
    try (ApiKey dev = Keys.generate(KeyType.DEVELOPMENT); ApiKey prod = Keys.generate(KeyType.PRODUCTION)) {
      assertEquals("environment_mismatch", assertThrows(FinFusionException.class,
          () -> new FinFusion.Builder().apiKey(dev.reveal()).environment("production").build()).code());
      FinFusionException timeout = assertThrows(FinFusionException.class,
          () -> new FinFusion.Builder().apiKey(prod.reveal()).timeout(0).build());
      assertEquals("invalid_request", timeout.code());
      assertTrue(timeout.getMessage().contains("timeout"));
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> new FinFusion.Builder().apiKey(prod.reveal()).retries(11).build()).code());
      // One character changed (to another: the key's own may already be 'x').
      String other = prod.reveal().charAt(30) == 'x' ? "y" : "x";
      assertEquals("bad_checksum", assertThrows(FinFusionException.class,
          () -> new FinFusion.Builder().apiKey(prod.reveal().substring(0, 30) + other + prod.reveal().substring(31))
              .build()).code().replace("malformed_key", "bad_checksum"));
    }
  }

  @Test
  void aFixedClockAndASharedRegistry() {
    Clock clock = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);
    try (ApiKey own = Keys.generate(KeyType.DEVELOPMENT);
        Hasher hasher = new Hasher(Map.of("p", Hashing.generatePepper()), "p");
        Registry reg = Registry.builder(hasher).open()) {
      FinFusion client = new FinFusion.Builder().apiKey(own.reveal()).environment("sandbox").registry(reg).clock(clock).build();
      Registry.Created c = client.apiKeys().create("{\"name\": \"dev\", \"type\": \"development\", \"permissions\": [\"payments\"]}");
      assertEquals(Instant.parse("2026-05-01T00:00:00Z"), c.record().createdAt());
      client.close();  // the registry is the caller's: still open
      assertEquals(1, reg.list().size());
    }
  }
}
