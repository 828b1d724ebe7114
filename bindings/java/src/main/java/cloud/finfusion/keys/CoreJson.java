package cloud.finfusion.keys;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one mapping between the core's canonical JSON and the binding's result records, in both
 * directions: a record's components are the JSON object's fields, by name and in order.
 * Reading is what every call returning a record does; writing ({@code toJson()}) gives the
 * core's text back, so that the conformance vectors check that the typed Java view keeps
 * every field.
 *
 * <p>Component types: String, boolean, long, int, double, Long and Double (null for JSON null),
 * Instant (the core's UTC text, or null), List of String / of records / of maps, Map of String
 * to Object or to Long, and nested records. A field the core leaves out reads as "", 0,
 * false, null or empty; components marked {@link OmitIfEmpty} are left out again when written.
 */
final class CoreJson {
  /** A field the core writes only when it has a value (null or "" is left out). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  @interface OmitIfEmpty {}

  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final class Shape {
    final RecordComponent[] components;
    final Constructor<?> constructor;
    final boolean[] omit;

    Shape(Class<?> type) {
      components = type.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      omit = new boolean[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        omit[i] = components[i].isAnnotationPresent(OmitIfEmpty.class);
      }
      try {
        constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  private CoreJson() {}

  // The core's instants are always "YYYY-MM-DDTHH:MM:SS.mmmZ"; reading that shape directly
  // is many times faster than Instant.parse, which stays the answer for anything else.
  static Instant instant(String text) {
    if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2), milli = digits(text, 20, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || milli < 0) {
      return Instant.parse(text);
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochMilli(((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + milli);
  }

  private static int digits(String text, int from, int count) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  static String instantText(Instant at) {
    return INSTANT.format(at);
  }

  static <R extends Record> R read(Class<R> type, String json) {
    return readFields(type, Json.object(Json.parse(json)));
  }

  static <R extends Record> R readFields(Class<R> type, Map<String, Object> fields) {
    Shape shape = SHAPES.computeIfAbsent(type, Shape::new);
    Object[] values = new Object[shape.components.length];
    for (int i = 0; i < values.length; i++) {
      RecordComponent c = shape.components[i];
      Object value = fields.get(c.getName());
      // A field the core leaves out stays out (null), so that writing gives the same text.
      values[i] = shape.omit[i] && value == null && !c.getType().isPrimitive() && c.getType() != String.class
          ? null : convert(c.getGenericType(), value, c.getName());
    }
    try {
      return type.cast(shape.constructor.newInstance(values));
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object convert(Type type, Object value, String field) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type item = p.getActualTypeArguments()[raw == Map.class ? 1 : 0];
      if (raw == List.class) {
        List<Object> out = new ArrayList<>();
        if (value != null) {
          for (Object v : Json.array(value)) out.add(convert(item, v, field));
        }
        return Collections.unmodifiableList(out);
      }
      if (raw == Map.class) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value != null) {
          for (Map.Entry<String, Object> e : Json.object(value).entrySet()) {
            out.put(e.getKey(), convert(item, e.getValue(), field));
          }
        }
        return Collections.unmodifiableMap(out);
      }
      throw new IllegalStateException("unsupported component type for " + field);
    }
    Class<?> c = (Class<?>) type;
    if (c == Object.class) return frozen(value);
    if (c == String.class) return value == null ? "" : (String) value;
    if (c == boolean.class) return value != null && (Boolean) value;
    if (c == long.class) return value == null ? 0L : ((Number) value).longValue();
    if (c == int.class) return value == null ? 0 : ((Number) value).intValue();
    if (c == double.class) return value == null ? 0.0 : ((Number) value).doubleValue();
    if (c == Long.class) return value == null ? null : ((Number) value).longValue();
    if (c == Double.class) return value == null ? null : ((Number) value).doubleValue();
    if (c == Instant.class) return value == null ? null : instant((String) value);
    if (c.isRecord()) return value == null ? null : readFields(c.asSubclass(Record.class), Json.object(value));
    throw new IllegalStateException("unsupported component type for " + field);
  }

  // Maps and lists inside a record (audit details, anomalies) are read-only like the record.
  @SuppressWarnings("unchecked")
  private static Object frozen(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), frozen(e.getValue()));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object v : l) out.add(frozen(v));
      return Collections.unmodifiableList(out);
    }
    return value;
  }

  /** The record as the core's JSON text. */
  static String write(Record record) {
    return Json.write(tree(record));
  }

  private static Object tree(Object value) {
    if (value instanceof Record r) {
      Shape shape = SHAPES.computeIfAbsent(r.getClass(), Shape::new);
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < shape.components.length; i++) {
        RecordComponent c = shape.components[i];
        Object v;
        try {
          v = c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException(e);
        }
        if (shape.omit[i] && (v == null || "".equals(v))) continue;
        out.put(c.getName(), tree(v));
      }
      return out;
    }
    if (value instanceof Instant at) return instantText(at);
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object v : l) out.add(tree(v));
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), tree(e.getValue()));
      return out;
    }
    return value;
  }
}
