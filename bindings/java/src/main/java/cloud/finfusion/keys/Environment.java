package cloud.finfusion.keys;

import java.util.Locale;

/** Where a key works: development keys in the sandbox, production and restricted keys in production. */
public enum Environment {
  SANDBOX,
  PRODUCTION;

  /** The name every binding uses: {@code "sandbox"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The environment for a wire name; IllegalArgumentException for another name. */
  public static Environment of(String wireName) {
    for (Environment e : values()) {
      if (e.wireName().equals(wireName)) return e;
    }
    throw new IllegalArgumentException("not an environment name");
  }
}
