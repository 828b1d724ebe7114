package cloud.finfusion.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Parity: the Java package exposes the binding surface of tests/surface.json (Python and
 * Node are checked against the same file), in Java's names: a module is a class
 * ({@code keys} is {@link Keys}), a function a static method in camelCase, a constant a static
 * field, a type a public class; and nothing public is missing from the file.
 */
class SurfaceTest {
  static final Map<String, Class<?>> MODULES = Map.of("keys", Keys.class, "scopes", Scopes.class, "hashing",
      Hashing.class, "time", Times.class, "lifecycle", Lifecycle.class, "ratelimit", RateLimits.class, "registry",
      Registry.class, "signing", Signing.class, "webhooks", Webhooks.class);

  static Map<String, Object> surface() {
    return Json.object(TestSupport.readJson(TestSupport.repo().resolve("tests/surface.json")));
  }

  static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        out.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return out.toString();
  }

  static boolean publicStatic(int modifiers) {
    return Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers);
  }

  static Class<?> type(String name) {
    try {
      return Class.forName("cloud.finfusion.keys." + name);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  @Test
  void modulesExposeTheSurface() {
    Map<String, Object> modules = Json.object(surface().get("modules"));
    assertEquals(MODULES.keySet(), modules.keySet());
    for (Map.Entry<String, Object> module : modules.entrySet()) {
      Class<?> cls = MODULES.get(module.getKey());
      for (Object n : Json.array(module.getValue())) {
        String name = (String) n;
        String where = module.getKey() + "." + name;
        if (name.equals(name.toUpperCase())) {
          Field f = Arrays.stream(cls.getFields()).filter(x -> x.getName().equals(name)).findFirst().orElse(null);
          assertTrue(f != null && publicStatic(f.getModifiers()), where + " as a static field of " + cls.getSimpleName());
        } else if (Character.isUpperCase(name.charAt(0))) {
          Class<?> t = type(name);
          assertTrue(t != null && Modifier.isPublic(t.getModifiers()), where + " as a public class");
        } else {
          String method = camel(name);
          assertTrue(Arrays.stream(cls.getMethods()).anyMatch(m -> m.getName().equals(method) && publicStatic(m.getModifiers())),
              where + " as " + cls.getSimpleName() + "." + method);
        }
      }
    }
  }

  @Test
  void everyPublicFunctionIsInTheSurface() {
    Map<String, Object> modules = Json.object(surface().get("modules"));
    Set<String> extras = Set.of("Registry.builder");  // Java's way to open a Registry
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Class<?>> module : MODULES.entrySet()) {
      Set<String> names = new HashSet<>();
      for (Object n : Json.array(modules.get(module.getKey()))) names.add(camel((String) n));
      for (Method m : module.getValue().getDeclaredMethods()) {
        String qualified = module.getValue().getSimpleName() + "." + m.getName();
        if (publicStatic(m.getModifiers()) && !names.contains(m.getName()) && !extras.contains(qualified)) {
          missing.add(qualified);
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void topLevelCodesAndVersion() throws Exception {
    Map<String, Object> s = surface();
    for (Object n : Json.array(s.get("top_level"))) {
      switch ((String) n) {
        case "FinFusion" -> assertTrue(Modifier.isPublic(FinFusion.class.getModifiers()));
        case "FinFusionError" -> assertTrue(RuntimeException.class.isAssignableFrom(FinFusionException.class));
        case "CODES" -> assertEquals(Json.array(s.get("codes")), ErrorCode.CODES);
        case "__version__" -> assertEquals(Files.readString(TestSupport.repo().resolve("VERSION")).strip(), FinFusion.VERSION);
        default -> fail("unknown top-level name " + n);
      }
    }
    List<String> wires = new ArrayList<>();
    for (ErrorCode c : ErrorCode.values()) wires.add(c.wire());
    assertEquals(ErrorCode.CODES, wires);
  }

  @Test
  void theClientHasTheSeedsCalls() {
    for (Object n : Json.array(surface().get("client"))) {
      String method = camel((String) n);
      assertTrue(Arrays.stream(FinFusion.ApiKeys.class.getMethods()).anyMatch(m -> m.getName().equals(method)),
          "apiKeys()." + method);
    }
  }

  @Test
  void theJarVersionIsTheRepositorysVersion() throws Exception {
    String pom = Files.readString(TestSupport.repo().resolve("bindings/java/pom.xml"));
    assertTrue(pom.contains("<version>" + FinFusion.VERSION + "</version>"), "pom.xml's version is VERSION");
  }
}
