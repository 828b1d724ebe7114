package cloud.finfusion.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the Java suites share: the repository's files, hex, and JSON comparison. */
final class TestSupport {
  private TestSupport() {}

  /** The repository root (Maven passes it as finfusion.repo). */
  static Path repo() {
    String repo = System.getProperty("finfusion.repo");
    if (repo == null) throw new IllegalStateException("run the tests through Maven (finfusion.repo is not set)");
    return Path.of(repo).toAbsolutePath().normalize();
  }

  static Object readJson(Path path) {
    try {
      return Json.parse(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }

  /**
   * Bytes as Python's {@code decode("utf-8", "surrogateescape")} makes them: each byte that
   * is not part of a valid UTF-8 sequence becomes the lone surrogate U+DC00+byte, which the
   * binding passes on as bytes the core refuses, as Python's does.
   */
  static String surrogateEscape(byte[] b) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      int need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      int cp = -1;
      if (need == 1) {
        cp = c;
      } else if (need > 1 && i + need <= b.length) {
        int v = c & (0x7F >> need);
        boolean ok = true;
        for (int k = 1; k < need; k++) {
          int cc = b[i + k] & 0xFF;
          if ((cc & 0xC0) != 0x80) ok = false;
          v = (v << 6) | (cc & 0x3F);
        }
        int min = need == 2 ? 0x80 : need == 3 ? 0x800 : 0x10000;
        if (ok && v >= min && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) cp = v;
      }
      if (cp < 0) {
        out.append((char) (0xDC00 + c));
        i += 1;
      } else {
        out.appendCodePoint(cp);
        i += need;
      }
    }
    return out.toString();
  }

  /** JSON values equal as JSON: numbers by value (1 == 1.0), maps by key, lists in order. */
  static boolean sameJson(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) return false;
      for (Object k : x.keySet()) {
        if (!sameJson(x.get(k), y.get(k))) return false;
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) {
        if (!sameJson(x.get(i), y.get(i))) return false;
      }
      return true;
    }
    return a == null ? b == null : a.equals(b);
  }

  /** A JSON tree of what Java computed (records as their JSON, maps and lists recursively). */
  static Object tree(Object value) {
    return Json.parse(Json.write(plain(value)));
  }

  private static Object plain(Object value) {
    if (value instanceof Record r) {
      try {
        return Json.parse((String) r.getClass().getMethod("toJson").invoke(r));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), plain(e.getValue()));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object v : l) out.add(plain(v));
      return out;
    }
    return value;
  }
}
