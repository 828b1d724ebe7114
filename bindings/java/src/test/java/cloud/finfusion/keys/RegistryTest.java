package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  static final Map<String, Object> SEED_REQUEST = Map.of("name", "Production API Key", "type", "production",
      "permissions", List.of("payments", "kyc", "reporting"), "expiration", "2026-12-31");

  Hasher hasher;

  @BeforeEach
  void pepper() {
    hasher = new Hasher(Map.of("2026a", Hashing.generatePepper()), "2026a");
  }

  @AfterEach
  void wipe() {
    hasher.close();
  }

  @Test
  void textsCrossTheNativeBoundaryIntact() {
    // ASCII is narrowed a byte each on the way in and widened from a stack buffer on the way
    // out; anything else goes through UTF-8 both ways, supplementary characters included.
    List<String> names = List.of("plain ascii", "caf\u00e9", "\u65e5\u672c\u8a9e", "\uD83D\uDE00 key",
        "\u00e9".repeat(64), "x".repeat(128));  // the name's limit is 128 bytes of UTF-8
    try (Registry reg = Registry.builder(hasher).open()) {
      for (String name : names) {
        Registry.Created c = reg.create(Map.of("name", name, "type", "production", "permissions", List.of("payments")), T0);
        assertEquals(name, c.record().name());
        assertEquals(name, reg.get(c.record().id()).name());
        Decision d = reg.verify(c.key().reveal(), VerifyContext.builder().required("payments").build(), T0);
        assertTrue(d.valid());
        assertEquals(c.record().id(), d.keyId());
        assertEquals(List.of("payments"), d.permissions());
      }
    }
  }

  @Test
  void contextsCrossTheNativeBoundaryWhole() {
    // The context crosses as one string of length-prefixed texts, read back per thread and
    // kept while it repeats: texts holding the separator or digits, non-ASCII, empty and
    // long ones must read back whole, and a changed context must not be the last one again.
    try (Registry reg = Registry.builder(hasher).open()) {
      Registry.Created c = reg.create(Map.of("name", "ctx", "type", "production", "permissions",
          List.of("payments", "kyc:read")), T0);
      String key = c.key().reveal();
      List<String> actors = List.of("", "4:abc", "a:b:c", "10:", "caf\u00e9 \uD83D\uDE00", "y".repeat(128), "4:abc");
      for (String actor : actors) {
        VerifyContext ctx = VerifyContext.builder().required("payments", "kyc:read").environment("production")
            .actor(actor).build();
        assertTrue(reg.verify(key, ctx, T0).valid(), actor);
        AuditEvent last = reg.logs(c.record().id(), 1, List.of("key.accessed")).get(0);
        assertEquals(actor.isEmpty() ? "key:" + c.record().id() : actor, last.actor());
      }
      VerifyContext scoped = VerifyContext.builder().required("payments").build();
      assertTrue(reg.verify(key, scoped, T0).valid());
      assertEquals("insufficient_scope",
          reg.verify(key, VerifyContext.builder().required("payments", "kyc:write").build(), T0).code());
      assertEquals("environment_mismatch", reg.verify(key, VerifyContext.builder().environment("sandbox").build(), T0).code());
      assertTrue(reg.verify(key, scoped, T0).valid(), "an earlier context again");
    }
  }

  @Test
  void theSeedsStory() {
    try (Registry reg = Registry.builder(hasher).open()) {
      Registry.Created c = reg.create(SEED_REQUEST, T0, "admin:alice");
      String key = c.key().reveal();
      assertEquals("production", c.record().type());
      assertEquals(List.of("kyc", "payments", "reporting"), c.record().permissions());
      assertEquals(Instant.parse("2027-01-01T00:00:00Z"), c.record().expiresAt());
      assertNull(c.record().revokedAt());

      Decision d = reg.verify(key, VerifyContext.builder().required("payments:charge").environment("production")
          .latencyMs(12.5).build(), T0.plusSeconds(60));
      assertTrue(d.valid());
      assertEquals("valid", d.code());
      assertEquals(99, d.rateLimit().remaining());
      assertEquals("insufficient_scope",
          reg.verify(key, VerifyContext.builder().required("admin").build(), T0.plusSeconds(61)).code());
      assertEquals("environment_mismatch",
          reg.verify(key, VerifyContext.builder().environment("sandbox").build(), T0.plusSeconds(62)).code());

      Registry.Rotated r = reg.rotate(c.record().id(), "48h", List.of("security@yourcompany.com"), false,
          T0.plusSeconds(3600), "admin:alice");
      assertEquals(r.current().id(), r.id());
      assertEquals(c.record().id(), r.current().replaces());
      Instant inGrace = T0.plus(Duration.ofHours(40));
      Decision old = reg.verify(key, inGrace);
      assertTrue(old.valid() && old.inGrace());
      assertTrue(reg.verify(r.key().reveal(), inGrace).valid());
      assertEquals("expired", reg.verify(key, T0.plus(Duration.ofHours(50))).code());
      KeyState state = reg.status(r.id(), inGrace);
      assertTrue(state.valid());
      assertEquals(r.id(), state.key().id());

      assertEquals("conflict", assertThrows(FinFusionException.class,
          () -> reg.rotate(c.record().id(), Duration.ofHours(1), List.of(), false, inGrace, "admin:bob")).code());

      KeyRecord revoked = reg.revoke(r.id(), "leaked in a ticket", T0.plus(Duration.ofHours(60)), "admin:alice");
      assertEquals("revoked", revoked.status());
      assertEquals("revoked", reg.verify(r.key().reveal(), T0.plus(Duration.ofHours(61))).code());

      UsageReport usage = reg.getUsage(c.record().id(), "2026-03-01", "2026-03-31", List.of("requests", "errors", "latency"));
      assertEquals(5L, usage.requests());
      assertEquals(Map.of("valid", 2L, "insufficient_scope", 1L, "environment_mismatch", 1L, "expired", 1L),
          usage.outcomes());
      assertEquals(1L, usage.latency().count());
      UsageReport onlyErrors = reg.getUsage(c.record().id(), "2026-03-01", "2026-03-31", List.of("errors"));
      assertNull(onlyErrors.requests());
      assertNull(onlyErrors.latency());

      List<AuditEvent> rotations = reg.logs(c.record().id(), 100, List.of("key.rotated"));
      assertEquals(1, rotations.size());
      assertEquals("admin:alice", rotations.get(0).actor());
      assertTrue(Json.write(rotations.get(0).details()).contains("security@yourcompany.com"));
      assertThrows(UnsupportedOperationException.class, () -> rotations.get(0).details().put("x", 1));
      List<AuditEvent> all = reg.logs(null, 1000, List.of());
      assertTrue(all.size() >= 8);
      ChainReport chain = reg.verifyChain();
      assertTrue(chain.ok());
      assertEquals(all.size(), chain.checked());

      PolicyReport policy = reg.policyReport(T0.plus(Duration.ofDays(100)));
      assertEquals(2, policy.keys().size());
      assertEquals(2, reg.list().size());
      assertEquals(revoked, reg.get(r.id()));
    }
  }

  @Test
  void automatedRotationRotatesWhatIsDueOnce() {
    try (Registry reg = Registry.builder(hasher).open()) {
      Registry.Created old = reg.create(Map.of("name", "old", "type", "production", "permissions", List.of("payments")), T0);
      Registry.Created young = reg.create(Map.of("name", "young", "type", "production", "permissions", List.of("payments")),
          T0.plus(Duration.ofDays(60)));
      Instant later = T0.plus(Duration.ofDays(95));
      List<Registry.Rotated> made = reg.rotateDue(Duration.ofHours(48), List.of("security@yourcompany.com"), later, "cron");
      assertEquals(List.of(old.record().id()), made.stream().map(r -> r.previous().id()).toList());
      assertEquals(later.plus(Duration.ofHours(48)), made.get(0).previous().graceUntil());
      assertTrue(reg.verify(made.get(0).key().reveal(), later).valid());
      assertEquals(List.of(), reg.rotateDue(Duration.ofHours(48), List.of(), later.plusSeconds(3600), "cron"));
      assertEquals("", reg.get(young.record().id()).replacedBy());
      assertEquals("invalid_duration", assertThrows(FinFusionException.class,
          () -> reg.rotateDue(Duration.ofMillis(-1), List.of(), later, "cron")).code());
    }
  }

  @Test
  void theOutboxQueuesClaimsAndSettles() {
    try (Registry reg = Registry.builder(hasher).open()) {
      assertEquals(List.of("key.rotated", "key.expiring", "key.rotation_due", "key.anomaly", "key.rate_limit"),
          Registry.NOTIFICATION_KINDS);
      reg.setAlertRecipients(List.of("security@example.com"));
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> reg.setAlertRecipients(List.of("nobody"))).code());
      Registry.Created c = reg.create(SEED_REQUEST, T0, "admin:alice");
      Registry.Rotated r = reg.rotate(c.record().id(), "48h", List.of("ops@example.com"), false, T0, "admin:bob");
      List<Notification> all = reg.notifications(null, 100);
      assertEquals(1, all.size());
      Notification notice = all.get(0);
      assertEquals("key.rotated", notice.kind());
      assertEquals(List.of("ops@example.com"), notice.recipients());
      assertTrue(notice.body().contains(r.current().id()));
      assertFalse(notice.body().contains(r.key().reveal()));
      assertNull(notice.leaseUntil());
      assertEquals(T0, notice.createdAt());

      List<Notification> claimed = reg.claimNotifications("mailer-1", 10, Duration.ofMinutes(5), T0);
      assertEquals(T0.plus(Duration.ofMinutes(5)), claimed.get(0).leaseUntil());
      assertEquals(List.of(), reg.claimNotifications("mailer-2", 10, Duration.ofMinutes(5), T0));
      assertEquals("conflict", assertThrows(FinFusionException.class,
          () -> reg.settleNotification(notice.id(), "mailer-2", true, "", T0)).code());
      Notification failed = reg.settleNotification(notice.id(), "mailer-1", false, "421 busy", T0);
      assertEquals(1, failed.attempts());
      assertEquals(T0.plusSeconds(30), failed.dueAt());
      reg.claimNotifications("mailer-1", 10, Duration.ofMinutes(5), T0.plusSeconds(30));
      Notification sent = reg.settleNotification(notice.id(), "mailer-1", true, "", T0.plusSeconds(31));
      assertEquals("sent", sent.status());
      assertEquals(T0.plusSeconds(31), sent.sentAt());
      assertEquals(sent.toJson(), reg.notifications("sent", 10).get(0).toJson());
      // Its rotation comes due 90 days on (May 30th): warned 14 days ahead, once.
      assertEquals(0L, reg.queueWarnings(Instant.parse("2026-05-01T00:00:00Z")));
      assertEquals(1L, reg.queueWarnings(Instant.parse("2026-05-20T00:00:00Z")));
      assertEquals(0L, reg.queueWarnings(Instant.parse("2026-05-21T00:00:00Z")));
      Notification due = reg.notifications("pending", 10).get(0);
      assertEquals("key.rotation_due", due.kind());
      assertEquals(List.of("security@example.com"), due.recipients());
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> reg.claimNotifications("", 10, Duration.ofMinutes(5), T0)).code());
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> reg.notifications("lost", 10)).code());
    }
  }

  @Test
  void refusalsAreTypedAndChangeNothing() {
    try (Registry reg = Registry.builder(hasher).open()) {
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> reg.create(Map.of("name", "x", "type", "production", "permissions", List.of(), "colour", "red"), T0)).code());
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> reg.create("{\"name\": ", T0, "system")).code());
      assertEquals("not_found", assertThrows(FinFusionException.class, () -> reg.get("prod_0000000000000000")).code());
      assertEquals("not_found", assertThrows(FinFusionException.class,
          () -> reg.revoke("prod_0000000000000000", "", T0, "system")).code());
      assertEquals("invalid_duration", assertThrows(FinFusionException.class,
          () -> reg.rotate("prod_0000000000000000", "soon", List.of(), false, T0, "system")).code());
      assertEquals(List.of(), reg.list());
      assertEquals("not_found", reg.verify("prod_aaaaaaaaaaaaaaaa_" + "a".repeat(40), T0).code().replace("malformed_key", "not_found"));
      assertThrows(NullPointerException.class, () -> reg.verify(null, T0));
      assertThrows(NullPointerException.class, () -> reg.create(SEED_REQUEST, null));
      assertEquals("Registry[store=memory:]", reg.toString());
    }
  }

  @Test
  void emergencyRevocationStopsTheChainAndReplacesIt() {
    try (Registry reg = Registry.builder(hasher).open()) {
      Registry.Created parent = reg.create(SEED_REQUEST, T0, "admin");
      Registry.Created child = reg.create(Map.of("name", "checkout", "type", "restricted", "permissions",
          List.of("payments:charge"), "service", "checkout", "parentKeyId", parent.record().id()), T0, "admin");
      Registry.EmergencyRevocation er = reg.emergencyRevoke(parent.record().id(), "compromised", true, T0.plusSeconds(5), "admin");
      assertEquals(2, er.revoked().size());
      assertFalse(er.replacements().isEmpty());
      assertEquals("revoked", reg.verify(child.key().reveal(), T0.plusSeconds(6)).code());
      assertTrue(reg.verify(er.replacements().get(0).key().reveal(), T0.plusSeconds(6)).valid());
    }
  }

  @Test
  void sqliteKeepsKeysAcrossOpensAndExportsMoveThem(@TempDir Path dir) {
    String store = "sqlite:" + dir.resolve("keys.db");
    String key;
    String id;
    try (Registry reg = Registry.builder(hasher).store(store).open()) {
      Registry.Created c = reg.create(SEED_REQUEST, T0);
      key = c.key().reveal();
      id = c.record().id();
      assertTrue(reg.verify(key, T0.plusSeconds(1)).valid());
      assertEquals("Registry[store=sqlite:]", reg.toString());
    }
    byte[] master = Hashing.generatePepper();
    String export;
    try (Registry reg = Registry.builder(hasher).store(store).open()) {
      assertTrue(reg.verify(key, T0.plusSeconds(2)).valid());
      assertEquals(2L, reg.getUsage(id, "2026-03-01", "2026-03-02", List.of("requests")).requests());
      export = reg.exportEncrypted(master, T0.plusSeconds(3));
      assertTrue(export.startsWith("ffx1."));
    }
    try (Registry copy = Registry.builder(hasher).open()) {
      assertEquals("invalid_request", assertThrows(FinFusionException.class,
          () -> copy.importEncrypted(export, Hashing.generatePepper())).code());
      assertEquals(List.of(), copy.list());
      copy.importEncrypted(export, master);
      assertTrue(copy.verify(key, T0.plusSeconds(4)).valid());
      assertEquals("precondition_failed", assertThrows(FinFusionException.class,
          () -> copy.importEncrypted(export, master)).code());
    }
    assertEquals("storage_unavailable", assertThrows(FinFusionException.class,
        () -> Registry.builder(hasher).store("sqlite:" + dir.resolve("missing/dir/keys.db")).open()).code());
  }

  @Test
  void sealedSecretsAreIssuedOpenedAndReencrypted() {
    try (Registry reg = Registry.builder(hasher).open()) {
      Registry.Created c = reg.create(SEED_REQUEST, T0);
      assertEquals("precondition_failed", assertThrows(FinFusionException.class,
          () -> reg.issueSigningSecret(c.record().id(), "hmac-sha256", T0, "admin")).code());
      byte[] m1 = Hashing.generatePepper();
      reg.setMasterKeys(Map.of("m1", m1), "m1");
      try (SigningKey issued = reg.issueSigningSecret(c.record().id(), "ed25519", T0, "admin");
          SigningKey opened = reg.signingKey(c.record().id());
          WebhookSecret hook = reg.issueWebhookSecret("orders", T0, "admin");
          WebhookSecret hookAgain = reg.webhookSecret("orders")) {
        assertEquals(c.record().id(), opened.keyId());
        assertTrue(java.util.Arrays.equals(issued.publicKey(), opened.publicKey()));
        assertEquals(hook.reveal(), hookAgain.reveal());
        assertFalse(issued.toString().contains(java.util.HexFormat.of().formatHex(issued.revealSecret())));
      }
      reg.setMasterKeys(Map.of("m1", m1, "m2", Hashing.generatePepper()), "m2");
      assertEquals(2L, reg.reencryptSecrets(T0.plusSeconds(1), "admin"));
      assertEquals(0L, reg.reencryptSecrets(T0.plusSeconds(2), "admin"));
      assertEquals("not_found", assertThrows(FinFusionException.class, () -> reg.webhookSecret("nobody")).code());
    }
  }

  @Test
  void manyThreadsShareOneRegistry() throws Exception {
    try (Registry reg = Registry.builder(hasher).open()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        keys.add(reg.create(Map.of("name", "k" + i, "type", "development", "permissions", List.of("payments")), T0)
            .key().reveal());
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> results = new ArrayList<>();
      // Each thread verifies its own two keys on its own clock, every 200 ms: under the 10/s limit.
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          int valid = 0;
          for (int i = 0; i < 2000; i++) {
            if (reg.verify(keys.get(2 * thread + i % 2), T0.plusMillis(200L * (i + 1))).valid()) valid++;
          }
          return valid;
        }));
      }
      int total = 0;
      for (Future<Integer> f : results) total += f.get();
      pool.shutdown();
      assertEquals(8000, total);
      assertTrue(reg.verifyChain().ok());
    }
  }

  @Test
  void closingWhileOthersCallIsSafe() throws Exception {
    Registry reg = Registry.builder(hasher).open();
    String key = reg.create(SEED_REQUEST, T0).key().reveal();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<String>> results = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      results.add(pool.submit(() -> {
        try {
          for (int i = 0; i < 100000; i++) reg.verify(key, T0.plusSeconds(1));
          return "finished";
        } catch (IllegalStateException closed) {
          return "closed";
        }
      }));
    }
    Thread.sleep(20);
    reg.close();
    for (Future<String> f : results) assertNotNull(f.get());
    pool.shutdown();
    assertThrows(IllegalStateException.class, () -> reg.verify(key, T0));
  }
}
