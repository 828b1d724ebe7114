package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void generatesParsesAndMasksEveryType() {
    for (KeyType type : KeyType.values()) {
      try (ApiKey key = Keys.generate(type)) {
        String text = key.reveal();
        assertTrue(text.startsWith(type.prefix()));
        assertEquals("valid", Keys.checkFormat(text));
        ParsedKey p = Keys.parse(text);
        assertEquals(new ParsedKey(key.id(), type.wireName(), type.environment().wireName(), 1), p);
        assertEquals(p, Keys.parseId(key.id()));
        String masked = Keys.mask(text);
        assertTrue(masked.startsWith(key.id()));
        assertFalse(masked.contains(text.substring(key.id().length() + 1, key.id().length() + 13)));
        assertTrue(Pattern.compile(Keys.SCANNER_PATTERN).matcher("token=" + text + ";").find());
        assertTrue(text.length() <= Keys.MAX_LENGTH);
      }
    }
    assertEquals(List.of("development", "production", "restricted"), Keys.TYPES);
    assertEquals("sandbox", Keys.typeInfo("development").environment());
  }

  @Test
  void oneChangedCharacterIsCaughtOffline() {
    try (ApiKey key = Keys.generate(KeyType.PRODUCTION)) {
      String text = key.reveal();
      int i = text.length() - 10;
      char swapped = text.charAt(i) == 'A' ? 'B' : 'A';
      String edited = text.substring(0, i) + swapped + text.substring(i + 1);
      assertEquals("bad_checksum", Keys.checkFormat(edited));
      FinFusionException e = assertThrows(FinFusionException.class, () -> Keys.parse(edited));
      assertEquals("bad_checksum", e.code());
      assertEquals(ErrorCode.BAD_CHECKSUM, e.errorCode());
      assertFalse(e.getMessage().contains(edited.substring(20, 40)), "the message never echoes the key");
      assertEquals("unknown_prefix", Keys.checkFormat("live_" + text.substring(5)));
    }
  }

  @Test
  void hostileTextIsACodeNotACrash() {
    assertEquals("malformed_key", Keys.checkFormat(""));
    assertEquals("malformed_key", Keys.checkFormat("prod_\u0000abc"));
    assertEquals("malformed_key", Keys.checkFormat("prod_\ud800\udc00" + "a".repeat(60)));
    assertEquals("malformed_key", Keys.checkFormat("prod_\ud800" + "a".repeat(60)));  // a lone surrogate
    assertEquals("malformed_key", Keys.checkFormat("prod_" + "a".repeat(1 << 20)));
    assertThrows(NullPointerException.class, () -> Keys.checkFormat(null));
    assertThrows(NullPointerException.class, () -> Keys.generateFromEntropy("production", null));
    FinFusionException e = assertThrows(FinFusionException.class, () -> Keys.generate("staging"));
    assertEquals("invalid_request", e.code());
    assertEquals("invalid_request", assertThrows(FinFusionException.class, () -> KeyType.of("staging")).code());
    assertEquals(KeyType.RESTRICTED, KeyType.of("restricted"));
  }

  @Test
  void anApiKeyNeverShowsItselfAndWipesOnClose() {
    ApiKey key = Keys.generate(KeyType.DEVELOPMENT);
    String text = key.reveal();
    assertFalse(key.toString().contains(text.substring(key.id().length())));
    assertTrue(key.toString().contains(key.id()));
    key.close();
    assertThrows(IllegalStateException.class, key::reveal);
    try (ApiKey other = Keys.generate(KeyType.DEVELOPMENT)) {
      assertNotEquals(text, other.reveal());
    }
  }

  @Test
  void typeTablesTakeOverridesAndRefuseBadOnes() {
    try (TypeTable t = TypeTable.create(java.util.Map.of("production", java.util.Map.of("max_lifetime", "365d")))) {
      assertTrue(t.toJson().contains("\"max_lifetime\":\"365d\""));
    }
    FinFusionException e = assertThrows(FinFusionException.class, () -> TypeTable.create("{\"production\": {\"max_lifetime\": \"forever\"}}"));
    assertTrue(List.of("invalid_request", "invalid_duration").contains(e.code()));
    TypeTable closed = TypeTable.defaults();
    closed.close();
    closed.close();
    assertTrue(closed.isClosed());
    assertThrows(IllegalStateException.class, closed::toJson);
  }
}
