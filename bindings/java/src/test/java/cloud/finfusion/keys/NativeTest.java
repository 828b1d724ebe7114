package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JNI layer itself: checked JNI use, no leaked local references, handles, nulls. */
class NativeTest {
  @Test
  void theWorkoutRunsCleanUnderCheckJni() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path library = TestSupport.repo().resolve("build/release/bindings/java/libfinfusion_jni.so");
    String nativeDir = System.getProperty("finfusion.native.dir");
    if (nativeDir != null) library = Path.of(nativeDir).resolve("libfinfusion_jni.so");
    Process p = new ProcessBuilder(java.toString(), "-Xcheck:jni", "-Xmx256m",
        "-D" + NativeLibrary.PROPERTY + "=" + library, "-cp", System.getProperty("java.class.path"),
        JniWorkout.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("workout done", out.strip(), "the JVM's JNI checks reported something");
  }

  @Test
  void nullsAreNullPointerExceptionsNamingTheArgument() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Keys.parse(null));
    assertEquals("key", e.getMessage());
    assertThrows(NullPointerException.class, () -> Native.keyParse(null), "the library checks too");
    assertThrows(NullPointerException.class, () -> Native.scopeParse(new String[] {"a", null}));
    assertThrows(NullPointerException.class, () -> Native.hasherCreate(new String[] {"p"}, new byte[][] {null}, "p", "hs256"));
    assertThrows(IllegalArgumentException.class, () -> Native.hasherCreate(new String[] {"p"}, new byte[0][], "p", "hs256"));
    assertThrows(NullPointerException.class, () -> new Registry.Created(null, null).key().id());
  }

  @Test
  void exceptionsCarryTheCoresCodeAndNoSecret() {
    try (ApiKey key = Keys.generate(KeyType.PRODUCTION); Hasher h = new Hasher(Map.of("p", Hashing.generatePepper()), "p")) {
      String text = key.reveal();
      String secretPart = text.substring(key.id().length() + 1, key.id().length() + 20);
      List<Runnable> failing = List.of(
          () -> Keys.parse(text + "x"),
          () -> Keys.mask(text.substring(0, 30) + "!" + text.substring(31)),
          () -> h.hash(text + text),
          () -> Hashing.parseStored(text),
          () -> Times.parseDuration(text),
          () -> Scopes.parse(List.of(text)),
          () -> WebhookSecret.parse(text));
      for (int i = 0; i < failing.size(); i++) {
        FinFusionException ex = assertThrows(FinFusionException.class, failing.get(i)::run, "call " + i);
        assertTrue(ErrorCode.CODES.contains(ex.code()));
        assertTrue(!ex.getMessage().contains(secretPart) && !ex.toString().contains(secretPart), ex.getMessage());
      }
    }
  }

  @Test
  void closedHandlesAreRefusedAndCloseIsIdempotent() {
    SigningKey key = SigningKey.generate("k", "ed25519");
    VerifyingKey vk = key.verifyingKey();
    key.close();
    key.close();
    assertThrows(IllegalStateException.class, key::keyId);
    assertEquals("SigningKey[closed]", key.toString());
    assertEquals("k", vk.keyId(), "a verifying key outlives the key it came from");
    try (KeyRing ring = new KeyRing()) {
      ring.add(vk);
      vk.close();
      assertEquals(1, ring.size());
      assertTrue(ring.contains("k"));
      assertThrows(IllegalStateException.class, () -> ring.add(vk));
    }
  }
}
