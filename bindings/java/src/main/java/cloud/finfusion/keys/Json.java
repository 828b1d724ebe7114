package cloud.finfusion.keys;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small strict JSON (RFC 8259) reader and compact writer for the binding's own use: reading the
 * canonical JSON the C++ core returns, writing the request bodies sent to it, and reading the
 * conformance vectors in tests.
 *
 * <p>It exists because the package deliberately has no runtime dependencies, so a JSON library
 * cannot be pulled in. The documents handled may carry secrets (API keys, signing material), so no
 * error message ever quotes the input: messages give only an offset, a field name or a type.
 */
final class Json {

  /** Far deeper than any document the core produces; beyond it the input is hostile or a cycle. */
  static final int MAX_DEPTH = 512;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  // ---------------------------------------------------------------- reading

  /**
   * Parses one JSON text. Objects become {@link LinkedHashMap} (document order), arrays {@link
   * ArrayList}, integers that fit {@code long} become {@link Long}, every other number {@link
   * Double}, and JSON null becomes Java {@code null}.
   *
   * @throws IllegalArgumentException if the text is not exactly one valid JSON value
   */
  static Object parse(String text) {
    Objects.requireNonNull(text, "text");
    return new Parser(text).document();
  }

  private static final class Parser {
    private final String s;
    private final int n;
    private int i;

    Parser(String s) {
      this.s = s;
      this.n = s.length();
    }

    /**
     * Reads the whole text. Containers are tracked on an explicit stack rather than by
     * recursion, so depth costs heap, not thread stack: the parse cannot overflow the stack
     * whatever thread (however small its stack) calls it.
     */
    Object document() {
      Frame[] open = new Frame[MAX_DEPTH];
      int depth = 0;
      skipWhitespace();
      while (true) {
        // Here i is at the start of a value.
        Object value;
        if (i >= n) {
          throw expected("a value");
        }
        char c = s.charAt(i);
        if (c == '{' || c == '[') {
          if (depth == MAX_DEPTH) {
            throw error(i, "nesting deeper than " + MAX_DEPTH);
          }
          i++;
          skipWhitespace();
          if (c == '{') {
            Map<String, Object> map = new LinkedHashMap<>();
            if (i < n && s.charAt(i) == '}') {
              i++;
              value = map;
            } else {
              Frame f = new Frame(map, null);
              f.key = key(map);
              open[depth++] = f;
              continue;
            }
          } else {
            List<Object> list = new ArrayList<>();
            if (i < n && s.charAt(i) == ']') {
              i++;
              value = list;
            } else {
              open[depth++] = new Frame(null, list);
              continue;
            }
          }
        } else {
          value = scalar(c);
        }
        // Hand the finished value to its container; each container that closes here is
        // itself a finished value for the one around it.
        while (true) {
          skipWhitespace();
          if (depth == 0) {
            if (i != n) {
              throw expected("end of input");
            }
            return value;
          }
          Frame top = open[depth - 1];
          char next = i < n ? s.charAt(i) : 0;
          if (top.list != null) {
            top.list.add(value);
            if (next == ']') {
              value = top.list;
            } else if (next != ',') {
              throw expected("',' or ']'");
            }
          } else {
            top.map.put(top.key, value);
            if (next == '}') {
              value = top.map;
            } else if (next != ',') {
              throw expected("',' or '}'");
            }
          }
          i++;
          if (next == ',') {
            skipWhitespace();
            if (top.map != null) {
              top.key = key(top.map);
            }
            break;
          }
          open[--depth] = null;
        }
      }
    }

    /** One open container: exactly one of map and list is set. */
    private static final class Frame {
      final Map<String, Object> map;
      final List<Object> list;
      String key;

      Frame(Map<String, Object> map, List<Object> list) {
        this.map = map;
        this.list = list;
      }
    }

    /** Reads {@code "key" :} and leaves i at the start of the member's value. */
    private String key(Map<String, Object> map) {
      if (i >= n || s.charAt(i) != '"') {
        throw expected("a string key");
      }
      int keyAt = i;
      String key = string();
      // Checked before the value is read so the offset points at the repeated key.
      if (map.containsKey(key)) {
        throw error(keyAt, "duplicate object key");
      }
      skipWhitespace();
      if (i >= n || s.charAt(i) != ':') {
        throw expected("':'");
      }
      i++;
      skipWhitespace();
      return key;
    }

    private Object scalar(char c) {
      switch (c) {
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || isDigit(c)) {
            return number();
          }
          throw expected("a value");
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, i)) {
        throw expected("'" + word + "'");
      }
      i += word.length();
      return value;
    }

    /** Called with {@code i} on the opening quote; leaves it after the closing one. */
    private String string() {
      int start = i + 1;
      // Most strings have no escapes: one scan and one substring, no builder.
      for (int j = start; j < n; j++) {
        char c = s.charAt(j);
        if (c == '"') {
          i = j + 1;
          return s.substring(start, j);
        }
        if (c == '\\' || c < 0x20) {
          return escapedString(start, j);
        }
      }
      throw error(n, "expected '\"' to close the string");
    }

    private String escapedString(int start, int firstSpecial) {
      StringBuilder out = new StringBuilder(firstSpecial - start + 16);
      int run = start;
      int j = firstSpecial;
      while (j < n) {
        char c = s.charAt(j);
        if (c == '"') {
          out.append(s, run, j);
          i = j + 1;
          return out.toString();
        }
        if (c < 0x20) {
          throw error(j, "expected an escape instead of a raw control character in a string");
        }
        if (c != '\\') {
          j++;
          continue;
        }
        out.append(s, run, j);
        if (j + 1 >= n) {
          throw error(j + 1, "expected an escape character");
        }
        char e = s.charAt(j + 1);
        switch (e) {
          case '"': out.append('"'); break;
          case '\\': out.append('\\'); break;
          case '/': out.append('/'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'u':
            // Surrogates, paired or not, are UTF-16 units already: append as they come.
            out.append(hex4(j + 2));
            j += 4;
            break;
          default:
            throw error(j + 1, "expected a valid escape character");
        }
        j += 2;
        run = j;
      }
      throw error(n, "expected '\"' to close the string");
    }

    private char hex4(int at) {
      int v = 0;
      for (int k = at; k < at + 4; k++) {
        int d = k < n ? hexValue(s.charAt(k)) : -1;
        if (d < 0) {
          throw error(Math.min(k, n), "expected four hex digits after \\u");
        }
        v = (v << 4) | d;
      }
      return (char) v;
    }

    /** ASCII hex only: Character.digit would also accept fullwidth and other digits. */
    private static int hexValue(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return -1;
    }

    private Object number() {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      if (i >= n || !isDigit(s.charAt(i))) {
        throw expected("a digit");
      }
      if (s.charAt(i) == '0') {
        i++;
        if (i < n && isDigit(s.charAt(i))) {
          throw error(i - 1, "expected no leading zero");
        }
      } else {
        skipDigits();
      }
      boolean integral = true;
      if (i < n && s.charAt(i) == '.') {
        i++;
        if (i >= n || !isDigit(s.charAt(i))) {
          throw expected("a digit after the decimal point");
        }
        skipDigits();
        integral = false;
      }
      if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (i >= n || !isDigit(s.charAt(i))) {
          throw expected("a digit in the exponent");
        }
        skipDigits();
        integral = false;
      }
      String literal = s.substring(start, i);
      if (integral && i - start <= 20) {
        // 19 digits and a sign is the longest that can fit; beyond that it is a Double.
        try {
          return Long.parseLong(literal);
        } catch (NumberFormatException tooBig) {
          // Falls through: integers beyond long are read as Double, like other numbers.
        }
      }
      double d = Double.parseDouble(literal);
      // A Double that overflowed to infinity could never be written back as JSON.
      if (Double.isInfinite(d)) {
        throw error(start, "number out of range");
      }
      return d;
    }

    private void skipDigits() {
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
      while (i < n) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        i++;
      }
    }

    private IllegalArgumentException expected(String what) {
      return error(i, "expected " + what);
    }

    private static IllegalArgumentException error(int offset, String what) {
      return new IllegalArgumentException("invalid JSON at offset " + offset + ": " + what);
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes a value as compact JSON (no spaces; non-ASCII kept as is). Supported: {@link Map} with
   * String keys (in iteration order), {@link Iterable}, {@code Object[]}, String, Character,
   * Boolean, null, Long/Integer/Short/Byte/BigInteger, and finite Float/Double/BigDecimal.
   *
   * @throws IllegalArgumentException for any other type, a non-String key, a non-finite number, or
   *     nesting deeper than {@link #MAX_DEPTH} (which also catches cycles)
   */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    // Like the parser, an explicit stack of open containers instead of recursion.
    Iterator<?>[] open = new Iterator<?>[MAX_DEPTH];
    boolean[] isObject = new boolean[MAX_DEPTH];
    boolean[] first = new boolean[MAX_DEPTH];
    int depth = 0;
    Object next = value;
    while (true) {
      Iterator<?> items = null;
      boolean object = false;
      if (next instanceof Map<?, ?> map) {
        items = map.entrySet().iterator();
        object = true;
      } else if (next instanceof Iterable<?> iterable) {
        items = iterable.iterator();
      } else if (next instanceof Object[] array) {
        items = Arrays.asList(array).iterator();
      } else {
        writeScalar(out, next);
      }
      if (items != null) {
        if (depth == MAX_DEPTH) {
          throw new IllegalArgumentException(
              "JSON nesting deeper than " + MAX_DEPTH + " (or a cycle) cannot be written");
        }
        out.append(object ? '{' : '[');
        open[depth] = items;
        isObject[depth] = object;
        first[depth] = true;
        depth++;
      }
      // Find the next value to write, closing every container that has run out.
      while (true) {
        if (depth == 0) {
          return out.toString();
        }
        int top = depth - 1;
        if (!open[top].hasNext()) {
          out.append(isObject[top] ? '}' : ']');
          open[top] = null;
          depth--;
          continue;
        }
        if (!first[top]) {
          out.append(',');
        }
        first[top] = false;
        Object item = open[top].next();
        if (isObject[top]) {
          Map.Entry<?, ?> e = (Map.Entry<?, ?>) item;
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("JSON object keys must be strings, not "
                + typeName(e.getKey()));
          }
          writeString(out, key);
          out.append(':');
          next = e.getValue();
        } else {
          next = item;
        }
        break;
      }
    }
  }

  private static void writeScalar(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String str) {
      writeString(out, str);
    } else if (v instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte || v instanceof BigInteger) {
      out.append(v);
    } else if (v instanceof Double d) {
      writeFloating(out, d, Double.toString(d));
    } else if (v instanceof Float f) {
      // Float.toString keeps the float's shortest form (0.1f stays "0.1").
      writeFloating(out, f, Float.toString(f));
    } else if (v instanceof BigDecimal bd) {
      // BigDecimal.toString is always a valid JSON number, e.g. "1E+3" or "-0.5".
      out.append(bd.toString());
    } else if (v instanceof Character c) {
      writeString(out, String.valueOf(c.charValue()));
    } else {
      throw new IllegalArgumentException("JSON cannot represent a " + typeName(v));
    }
  }

  private static void writeFloating(StringBuilder out, double d, String shortest) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("JSON cannot represent NaN or infinite numbers");
    }
    // toString switches to "1.0E7" from 10^7; whole numbers read better as "10000000.0".
    // Zero is left to toString so that -0.0 keeps its sign.
    if (d != 0 && d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d).append(".0");
    } else {
      out.append(shortest);
    }
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    int len = s.length();
    int run = 0;
    for (int k = 0; k < len; k++) {
      char c = s.charAt(k);
      // Fast exit for the common case; everything escaped is below 0x20, '"', '\\',
      // U+2028/U+2029 (line breaks to JavaScript) or a surrogate (all >= U+2028).
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x2028) {
        continue;
      }
      if (c > 0x2029 && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && k + 1 < len && Character.isLowSurrogate(s.charAt(k + 1))) {
        k++;
        continue;
      }
      out.append(s, run, k);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
          // Control characters, U+2028/U+2029 and lone surrogates: a lone surrogate
          // cannot be encoded as UTF-8, but its escape is valid JSON.
          out.append("\\u")
              .append(HEX[(c >> 12) & 0xF])
              .append(HEX[(c >> 8) & 0xF])
              .append(HEX[(c >> 4) & 0xF])
              .append(HEX[c & 0xF]);
      }
      run = k + 1;
    }
    out.append(s, run, len).append('"');
  }

  // ---------------------------------------------------------------- typed access

  /** The value as a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v) {
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw new IllegalArgumentException("expected a JSON object, found " + kind(v));
  }

  /** The value as a JSON array, unmodifiable. */
  @SuppressWarnings("unchecked")
  static List<Object> array(Object v) {
    if (v instanceof List) {
      return Collections.unmodifiableList((List<Object>) v);
    }
    throw new IllegalArgumentException("expected a JSON array, found " + kind(v));
  }

  /** A required string field. */
  static String string(Map<String, Object> m, String field) {
    Object v = required(m, field);
    if (v instanceof String str) {
      return str;
    }
    throw wrongType(field, "a string", v);
  }

  /** A string field that may be missing or null, in which case {@code fallback} is returned. */
  static String stringOr(Map<String, Object> m, String field, String fallback) {
    Object v = m.get(field);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String str) {
      return str;
    }
    throw wrongType(field, "a string", v);
  }

  /** A required integer field (a JSON integer that fits in a long). */
  static long integer(Map<String, Object> m, String field) {
    Object v = required(m, field);
    if (v instanceof Long l) {
      return l;
    }
    throw wrongType(field, "an integer", v);
  }

  /** A required boolean field. */
  static boolean bool(Map<String, Object> m, String field) {
    Object v = required(m, field);
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(field, "a boolean", v);
  }

  /**
   * An array-of-strings field, unmodifiable. Missing or null reads as empty, since the core
   * omits empty lists.
   */
  static List<String> strings(Map<String, Object> m, String field) {
    Object v = m.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw wrongType(field, "an array of strings", v);
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String str)) {
        throw new IllegalArgumentException(
            "JSON field '" + field + "' must be an array of strings, found an element that is "
                + kind(item));
      }
      out.add(str);
    }
    return Collections.unmodifiableList(out);
  }

  private static Object required(Map<String, Object> m, String field) {
    Object v = m.get(field);
    if (v == null && !m.containsKey(field)) {
      throw new IllegalArgumentException("JSON field '" + field + "' is missing");
    }
    return v;
  }

  private static IllegalArgumentException wrongType(String field, String wanted, Object found) {
    return new IllegalArgumentException(
        "JSON field '" + field + "' must be " + wanted + ", found " + kind(found));
  }

  /** The JSON kind of a parsed value, for messages that must not show the value itself. */
  private static String kind(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof Map) {
      return "an object";
    } else if (v instanceof List) {
      return "an array";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof Number) {
      return "a number";
    }
    return typeName(v);
  }

  private static String typeName(Object v) {
    return v == null ? "null" : v.getClass().getName();
  }
}
