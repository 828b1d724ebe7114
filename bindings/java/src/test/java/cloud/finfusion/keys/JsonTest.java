package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  private static final String SECRET = "prod_SECRETSECRET";

  /** Every rejection must say where, and must never repeat the input (it may hold a key). */
  private static IllegalArgumentException rejected(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("offset"), e.getMessage());
    return e;
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < keysAndValues.length; k += 2) {
      m.put((String) keysAndValues[k], keysAndValues[k + 1]);
    }
    return m;
  }

  // ---------------------------------------------------------------- parse: shapes and round trips

  @Test
  void parsesNestedValuesIntoJavaTypes() {
    Object v = Json.parse(" {\"a\":[1,2.5,\"x\",true,false,null,{}],\"b\":{\"c\":[]}} \r\n\t");
    Map<String, Object> m = Json.object(v);
    assertInstanceOf(LinkedHashMap.class, m);
    List<Object> a = Json.array(m.get("a"));
    assertInstanceOf(ArrayList.class, m.get("a"));
    assertEquals(Arrays.asList(1L, 2.5, "x", true, false, null, Map.of()), a);
    assertEquals(Map.of("c", List.of()), m.get("b"));
  }

  @Test
  void keepsKeyOrder() {
    Map<String, Object> m = Json.object(Json.parse("{\"z\":1,\"a\":2,\"m\":3,\"b\":4}"));
    assertEquals(List.of("z", "a", "m", "b"), new ArrayList<>(m.keySet()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"a\":[1,-2,3.25,-0.5,1.0E-7,true,false,null],\"b\":{\"c\":{\"d\":[[],{}]}},\"e\":\"\"}",
    "[]", "{}", "0", "-0.0", "\"\"", "null", "true", "[[[[\"deep\"]]]]",
    "{\"k\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE00\",\"n\":9223372036854775807}",
  })
  void compactTextRoundTripsExactly(String text) {
    assertEquals(text, Json.write(Json.parse(text)));
  }

  @Test
  void valueRoundTripsThroughTextAgain() {
    Map<String, Object> v = map("list", new ArrayList<>(List.of(1L, 2.0, "three")),
        "nested", map("x", null, "y", List.of(map("z", false))));
    assertEquals(v, Json.parse(Json.write(v)));
  }

  @Test
  void literalsAndNullAtTopLevel() {
    assertEquals(Boolean.TRUE, Json.parse("true"));
    assertEquals(Boolean.FALSE, Json.parse("false"));
    assertNull(Json.parse(" null "));
    assertEquals("s", Json.parse("\"s\""));
  }

  // ---------------------------------------------------------------- strings

  @Test
  void decodesEveryEscape() {
    assertEquals("\" \\ / \b \f \n \r \t A \u00e9 \u2028",
        Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00E9 \\u2028\""));
    assertEquals("ab\ncd", Json.parse("\"ab\\ncd\""));
    assertEquals("\u0000", Json.parse("\"\\u0000\""));
  }

  @Test
  void surrogatePairsAndEmoji() {
    String emoji = new String(Character.toChars(0x1F600));
    assertEquals(emoji, Json.parse("\"\\ud83d\\ude00\""));
    assertEquals(emoji, Json.parse("\"\\uD83D\\uDE00\""));
    assertEquals(emoji, Json.parse("\"" + emoji + "\""));
    assertEquals(4, ((String) Json.parse("\"" + emoji + "\"")).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    // Written as is (not escaped) and read back identically.
    assertEquals("\"" + emoji + "\"", Json.write(emoji));
    assertEquals(emoji, Json.parse(Json.write(emoji)));
  }

  @Test
  void loneEscapedSurrogatesAreKeptAndWrittenBackEscaped() {
    assertEquals("\uD800", Json.parse("\"\\uD800\""));
    assertEquals("x\uDC00y", Json.parse("\"x\\udc00y\""));
    assertEquals("\uDE00\uD83D", Json.parse("\"\\uDE00\\uD83D\""));
    assertEquals("\"\\ud800\"", Json.write("\uD800"));
    assertEquals("\"x\\udc00y\"", Json.write("x\uDC00y"));
    assertEquals("\"\\ude00\\ud83d\"", Json.write("\uDE00\uD83D"));
    assertEquals("\"a\\ud83d\"", Json.write("a\uD83D"));
    assertEquals("\uDE00\uD83D", Json.parse(Json.write("\uDE00\uD83D")));
  }

  // ---------------------------------------------------------------- numbers

  @Test
  void integersAreLongAndOtherNumbersDouble() {
    assertEquals(1L, Json.parse("1"));
    assertEquals(-1L, Json.parse("-1"));
    assertEquals(0L, Json.parse("-0"));
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    assertEquals(1.0, Json.parse("1.0"));
    assertEquals(100.0, Json.parse("1e2"));
    assertEquals(100.0, Json.parse("1E+2"));
    assertEquals(0.01, Json.parse("1e-2"));
    assertEquals(-0.0, Json.parse("-0.0"));
    assertEquals(123.456e-7, Json.parse("123.456e-7"));
  }

  @Test
  void integersBeyondLongBecomeDouble() {
    assertEquals(9223372036854775808.0, Json.parse("9223372036854775808"));
    assertEquals(-9223372036854775809.0, Json.parse("-9223372036854775809"));
    Object big = Json.parse("1" + "0".repeat(100));
    assertInstanceOf(Double.class, big);
    assertEquals(1e100, big);
  }

  @Test
  void doublesRoundTrip() {
    double[] values = {0.1, -0.1, 1.0 / 3, 2.0, -2.0, 1e7, 123456789012345.0, 1e15, 1e20, 1e-7,
      Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_NORMAL, 0.0, -0.0, 4.35, 9007199254740993.0};
    for (double d : values) {
      Object back = Json.parse(Json.write(d));
      assertInstanceOf(Double.class, back, () -> "for " + d);
      assertEquals(d, (double) (Double) back, () -> "for " + d);
      assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back));
    }
  }

  // ---------------------------------------------------------------- rejections

  @ParameterizedTest
  @ValueSource(strings = {
    "", "   ", " \n\t\r ",
    "{\"k\":\"prod_SECRETSECRET\",}",
    "[\"prod_SECRETSECRET\",]",
    "[\"prod_SECRETSECRET\"] x",
    "\"prod_SECRETSECRET\" \"prod_SECRETSECRET\"",
    "{\"k\":\"prod_SECRETSECRET\"}}",
    "\"prod_SECRETSECRET",
    "\"prod_SECRETSECRET\\",
    "[\"prod_SECRETSECRET\"",
    "{\"k\":\"prod_SECRETSECRET\"",
    "{\"k\" \"prod_SECRETSECRET\"}",
    "{\"k\":\"prod_SECRETSECRET\" \"j\":1}",
    "[\"prod_SECRETSECRET\" 1]",
    "{'k':\"prod_SECRETSECRET\"}",
    "{k:\"prod_SECRETSECRET\"}",
    "{1:\"prod_SECRETSECRET\"}",
    "['prod_SECRETSECRET']",
    "[prod_SECRETSECRET]",
    "]", "}", ",", ":", "[,1]", "[1,,2]", "{,}",
    "[\"prod_SECRETSECRET\"]// prod_SECRETSECRET",
    "/* prod_SECRETSECRET */ 1",
  })
  void rejectsMalformedStructure(String text) {
    rejected(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "\"prod_SECRETSECRET\n\"", "\"prod_SECRETSECRET\t\"", "\"prod_SECRETSECRET\r\"",
    "\"prod_SECRETSECRET\u0000\"", "\"prod_SECRETSECRET\u001f\"", "\"\u0001prod_SECRETSECRET\"",
    "\"prod\\nSECRET\tSECRET\"",
  })
  void rejectsRawControlCharactersInStrings(String text) {
    rejected(text);
  }

  @Test
  void acceptsDelAndOtherNonControlCharactersRaw() {
    assertEquals("\u007f\u0080\u00a0", Json.parse("\"\u007f\u0080\u00a0\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "\"prod_SECRETSECRET\\x\"", "\"prod_SECRETSECRET\\'\"", "\"prod_SECRETSECRET\\a\"",
    "\"prod_SECRETSECRET\\U0041\"", "\"prod_SECRETSECRET\\u12\"", "\"prod_SECRETSECRET\\u12G4\"",
    "\"prod_SECRETSECRET\\u", "\"prod_SECRETSECRET\\u00", "\"\\u\uFF11\uFF12\uFF13\uFF14 prod_SECRETSECRET\"",
    "\"prod_SECRETSECRET\\0\"",
  })
  void rejectsBadEscapes(String text) {
    rejected(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "01", "00", "-01", "012.5", "+1", ".5", "-.5", "1.", "1.e5", "-", "--1", "1e", "1e+", "1E-",
    "1e5.5", "NaN", "-NaN", "Infinity", "-Infinity", "0x10", "1_000", "\uFF11", "1e400", "-1e400",
  })
  void rejectsBadNumbers(String number) {
    rejected(number);
    rejected("{\"key\":\"prod_SECRETSECRET\",\"n\":" + number + "}");
    rejected("[\"prod_SECRETSECRET\"," + number + "]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tru", "nul", "fals", "True", "NULL", "falsey", "truefalse", "nil", "undefined"})
  void rejectsBadLiterals(String literal) {
    rejected(literal);
    rejected("{\"key\":\"prod_SECRETSECRET\",\"v\":" + literal + "}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u00a0", "\f", "\u000b", "\u2028", "\uFEFF", "\u3000"})
  void rejectsNonJsonWhitespace(String space) {
    rejected(space + "[\"prod_SECRETSECRET\"]");
    rejected("[\"prod_SECRETSECRET\"]" + space);
    rejected("[" + space + "\"prod_SECRETSECRET\"]");
  }

  @Test
  void errorMessagesGiveTheOffset() {
    assertTrue(rejected("[1,2,]").getMessage().contains("offset 5"));
    assertTrue(rejected("{\"a\" 1}").getMessage().contains("offset 5"));
    assertTrue(rejected("{\"a\" 1}").getMessage().contains("':'"));
    assertTrue(rejected("[1] 2").getMessage().contains("end of input"));
    assertTrue(rejected("01").getMessage().contains("offset 0"));
    assertTrue(rejected("\"ab\ncd\"").getMessage().contains("offset 3"));
  }

  @Test
  void rejectsDuplicateKeys() {
    IllegalArgumentException e = rejected("{\"prod_SECRETSECRET\":1,\"prod_SECRETSECRET\":2}");
    assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
    assertTrue(e.getMessage().contains("offset 23"), e.getMessage());
    rejected("{\"a\":null,\"a\":null}");
    rejected("{\"a\":{\"b\":1,\"b\":1}}");
    // The same key in different objects is fine; escapes are compared after decoding.
    assertEquals(2, Json.array(Json.parse("[{\"a\":1},{\"a\":2}]")).size());
    rejected("{\"a\":1,\"\\u0061\":2}");
  }

  // ---------------------------------------------------------------- nesting

  @Test
  void nestingOf512IsAcceptedAnd513Rejected() {
    Object v = Json.parse("[".repeat(512) + "]".repeat(512));
    int depth = 0;
    while (v instanceof List<?> l && !l.isEmpty()) {
      v = l.get(0);
      depth++;
    }
    assertEquals(511, depth);
    Json.parse("{\"a\":".repeat(511) + "[]" + "}".repeat(511));

    IllegalArgumentException e = rejected("[".repeat(513) + "]".repeat(513));
    assertTrue(e.getMessage().contains("512"), e.getMessage());
    assertTrue(e.getMessage().contains("offset 512"), e.getMessage());
    rejected("{\"a\":".repeat(512) + "[]" + "}".repeat(512));
  }

  @Test
  void veryDeepInputIsRejectedWithoutStackOverflow() {
    rejected("[".repeat(100_000));
    rejected("[".repeat(100_000) + "]".repeat(100_000));
    rejected("{\"prod_SECRETSECRET\":".repeat(100_000));
    rejected("[{\"a\":".repeat(50_000));
  }

  @Test
  void parsesAConformanceSizedDocument() {
    StringBuilder sb = new StringBuilder("[");
    for (int k = 0; k < 20_000; k++) {
      sb.append(k == 0 ? "" : ",").append("{\"id\":").append(k)
          .append(",\"key\":\"prod_abcdefghij\u00e9\\n\",\"score\":").append(k * 0.5).append('}');
    }
    String text = sb.append(']').toString();
    assertTrue(text.length() > 1_000_000);
    List<Object> list = Json.array(Json.parse(text));
    assertEquals(20_000, list.size());
    assertEquals(19_999L, Json.integer(Json.object(list.get(19_999)), "id"));
    // Compared as a boolean: a failure message of two 1 MB strings helps nobody.
    assertTrue(text.equals(Json.write(list)));
  }

  // ---------------------------------------------------------------- write

  @Test
  void writesCompactMapsListsAndArraysInOrder() {
    Map<String, Object> m = map("b", 1, "a", List.of("x", 'y'), "c", new Object[] {null, true, new String[] {"s"}},
        "d", map(), "e", new ArrayList<>());
    assertEquals("{\"b\":1,\"a\":[\"x\",\"y\"],\"c\":[null,true,[\"s\"]],\"d\":{},\"e\":[]}", Json.write(m));
    assertEquals("[1,2,3]", Json.write(new java.util.TreeSet<>(List.of(3, 1, 2))));
    assertEquals("null", Json.write(null));
    assertEquals("false", Json.write(false));
    assertEquals("\"\"", Json.write(""));
  }

  @Test
  void writesNumbers() {
    assertEquals("[1,-2,3,4,-9223372036854775808,123456789012345678901234567890]",
        Json.write(List.of((byte) 1, (short) -2, 3, 4L, Long.MIN_VALUE,
            new BigInteger("123456789012345678901234567890"))));
    assertEquals("2.0", Json.write(2.0));
    assertEquals("-2.0", Json.write(-2.0));
    assertEquals("10000000.0", Json.write(1e7));
    assertEquals("0.0", Json.write(0.0));
    assertEquals("-0.0", Json.write(-0.0));
    assertEquals("0.5", Json.write(0.5));
    assertEquals("0.1", Json.write(0.1f));
    assertEquals("2.0", Json.write(2.0f));
    assertEquals("1.5", Json.write(new BigDecimal("1.5")));
    assertEquals(Float.MAX_VALUE, ((Double) Json.parse(Json.write(Float.MAX_VALUE))).floatValue());
    assertEquals(1e-7f, ((Double) Json.parse(Json.write(1e-7f))).floatValue());
    for (Object n : List.of(1e15, 1e20, -1e300, 1e-7, new BigDecimal("1E+3"),
        new BigDecimal("-1.25E-10"), new BigDecimal("0E-10"))) {
      String text = Json.write(n);
      assertInstanceOf(Double.class, Json.parse(text), text);
      assertEquals(((Number) n).doubleValue(), (Double) Json.parse(text), text);
    }
  }

  @Test
  void rejectsNonFiniteNumbers() {
    for (Object n : List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)) {
      assertThrows(IllegalArgumentException.class, () -> Json.write(n));
      assertThrows(IllegalArgumentException.class, () -> Json.write(List.of("a", n)));
    }
  }

  @Test
  void writesEscapes() {
    assertEquals("\"\\\" \\\\ / \\n \\r \\t \\b \\f \\u0000 \\u001f \\u2028 \\u2029 \u007f \u00e9 <>&'\"",
        Json.write("\" \\ / \n \r \t \b \f \u0000 \u001f \u2028 \u2029 \u007f \u00e9 <>&'"));
    assertEquals("\"\\u2028\"", Json.write('\u2028'));
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    all.append("\u2027\u2028\u2029\u202a\uD7FF\uE000\uFFFF");
    String s = all.toString();
    assertEquals(s, Json.parse(Json.write(s)));
    assertEquals(map(s, s), Json.parse(Json.write(map(s, s))));
  }

  @Test
  void rejectsUnsupportedTypesNamingOnlyTheClass() {
    Instant secretTime = Instant.ofEpochSecond(1_234_567_890L);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(secretTime));
    assertTrue(e.getMessage().contains("java.time.Instant"), e.getMessage());
    assertFalse(e.getMessage().contains("2009"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(new Object())));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new java.util.concurrent.atomic.AtomicLong()));
  }

  @Test
  void rejectsNonStringKeys() {
    Map<Object, Object> m = new HashMap<>();
    m.put(42, SECRET);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(m));
    assertFalse(e.getMessage().contains("42"), e.getMessage());
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
  }

  @Test
  void rejectsCyclesAndExcessiveNestingWhenWriting() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
    Map<String, Object> self = new LinkedHashMap<>();
    self.put("self", self);
    assertThrows(IllegalArgumentException.class, () -> Json.write(self));

    Object ok = List.of();
    for (int k = 1; k < 512; k++) {
      ok = List.of(ok);
    }
    assertEquals("[".repeat(512) + "]".repeat(512), Json.write(ok));
    Object tooDeep = List.of(ok);
    assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeep));
  }

  // ---------------------------------------------------------------- accessors

  @Test
  void accessorsReadTypedFields() {
    Map<String, Object> m = Json.object(Json.parse(
        "{\"s\":\"v\",\"n\":-7,\"b\":true,\"l\":[\"x\",\"y\"],\"z\":null,\"e\":[],\"o\":{\"k\":1}}"));
    assertEquals("v", Json.string(m, "s"));
    assertEquals("v", Json.stringOr(m, "s", "fb"));
    assertEquals("fb", Json.stringOr(m, "missing", "fb"));
    assertEquals("fb", Json.stringOr(m, "z", "fb"));
    assertNull(Json.stringOr(m, "z", null));
    assertEquals(-7L, Json.integer(m, "n"));
    assertTrue(Json.bool(m, "b"));
    assertEquals(List.of("x", "y"), Json.strings(m, "l"));
    assertEquals(List.of(), Json.strings(m, "missing"));
    assertEquals(List.of(), Json.strings(m, "e"));
    assertEquals(1L, Json.object(m.get("o")).get("k"));
    assertEquals(2, Json.array(m.get("l")).size());
  }

  @Test
  void accessorListsAreUnmodifiable() {
    Map<String, Object> m = Json.object(Json.parse("{\"l\":[\"x\"]}"));
    assertThrows(UnsupportedOperationException.class, () -> Json.strings(m, "l").add("y"));
    assertThrows(UnsupportedOperationException.class, () -> Json.strings(m, "missing").add("y"));
    assertThrows(UnsupportedOperationException.class, () -> Json.array(m.get("l")).add("y"));
  }

  @Test
  void accessorsRejectWrongShapesNamingTheFieldNotTheValue() {
    Map<String, Object> m = Json.object(Json.parse("{\"s\":\"prod_SECRETSECRET\",\"n\":1.5,\"big\":1e30,"
        + "\"b\":\"true\",\"l\":[\"prod_SECRETSECRET\",1],\"ls\":\"prod_SECRETSECRET\",\"z\":null,"
        + "\"i\":\"12\"}"));
    assertWrongShape(() -> Json.string(m, "n"), "n");
    assertWrongShape(() -> Json.string(m, "missing"), "missing");
    assertWrongShape(() -> Json.string(m, "z"), "z");
    assertWrongShape(() -> Json.stringOr(m, "n", "fb"), "n");
    assertWrongShape(() -> Json.integer(m, "n"), "n");
    assertWrongShape(() -> Json.integer(m, "big"), "big");
    assertWrongShape(() -> Json.integer(m, "s"), "s");
    assertWrongShape(() -> Json.integer(m, "i"), "i");
    assertWrongShape(() -> Json.integer(m, "missing"), "missing");
    assertWrongShape(() -> Json.bool(m, "b"), "b");
    assertWrongShape(() -> Json.bool(m, "z"), "z");
    assertWrongShape(() -> Json.bool(m, "missing"), "missing");
    assertWrongShape(() -> Json.strings(m, "l"), "l");
    assertWrongShape(() -> Json.strings(m, "ls"), "ls");
    assertWrongShape(() -> Json.strings(m, "s"), "s");

    for (Object wrong : Arrays.asList(null, SECRET, 1L, List.of(SECRET))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.object(wrong));
      assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }
    for (Object wrong : Arrays.asList(null, SECRET, 1L, Map.of(SECRET, SECRET))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.array(wrong));
      assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }
  }

  private static void assertWrongShape(org.junit.jupiter.api.function.Executable call, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    assertFalse(e.getMessage().contains("1.5"), e.getMessage());
  }
}
