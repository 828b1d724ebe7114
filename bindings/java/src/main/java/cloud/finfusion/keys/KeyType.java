package cloud.finfusion.keys;

import java.util.Locale;

/** The seed's key types: {@code dev_}, {@code prod_} and {@code rest_} keys. */
public enum KeyType {
  DEVELOPMENT,
  PRODUCTION,
  RESTRICTED;

  /** The name every binding uses: {@code "production"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The key prefix: {@code "prod_"}. */
  public String prefix() {
    return Keys.typeInfo(wireName()).prefix();
  }

  /** The environment keys of this type belong to. */
  public Environment environment() {
    return Environment.of(Keys.typeInfo(wireName()).environment());
  }

  /** The type for a wire name; FinFusionException invalid_request for another name. */
  public static KeyType of(String wireName) {
    for (KeyType t : values()) {
      if (t.wireName().equals(wireName)) return t;
    }
    Keys.typeInfo(wireName);  // the core's error for the name
    throw new IllegalStateException("the core knows a type this enum lacks");
  }
}
