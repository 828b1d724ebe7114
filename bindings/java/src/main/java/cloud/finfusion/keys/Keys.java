package cloud.finfusion.keys;

import java.util.List;
import java.util.Objects;

/**
 * The key format: make, check, parse and mask keys like
 * {@code prod_7kNsV0dGlOW9eHuP_2XAnIvQ3gBoJwZ4hCpSxa5iLqTbEjMzU7cFsN0V8lGt1DOiCE} (typed prefix,
 * public id, 256-bit secret, checksum).
 *
 * <pre>{@code
 * try (ApiKey key = Keys.generate(KeyType.PRODUCTION)) { showOnce(key.reveal()); }
 * if (!Keys.checkFormat(presented).equals("valid")) reject();   // offline, no lookup
 * }</pre>
 */
public final class Keys {
  /** A regular expression that finds keys in text (for secret scanners). */
  public static final String SCANNER_PATTERN = Native.keyScannerPattern();
  /** The type names, in the core's order. */
  public static final List<String> TYPES = List.of(Native.keyTypes());
  /** The longest key text any type allows. */
  public static final int MAX_LENGTH = Native.keyMaxLength();

  private Keys() {}

  /** A new key from the CSPRNG. FinFusionException invalid_request for an unknown type. */
  public static ApiKey generate(KeyType type) {
    return generate(type.wireName());
  }

  /** The same, by type name. */
  public static ApiKey generate(String type) {
    return Native.keyGenerate(Objects.requireNonNull(type, "type"));
  }

  /**
   * A key drawn from the given entropy (the conformance vectors use this; production code
   * uses {@link #generate}).
   */
  public static ApiKey generateFromEntropy(String type, byte[] entropy) {
    return Native.keyGenerateFromEntropy(Objects.requireNonNull(type, "type"), Objects.requireNonNull(entropy, "entropy"));
  }

  /**
   * {@code "valid"} for a well-formed key, else the code that says why not
   * ({@code malformed_key}, {@code bad_checksum}, {@code unknown_prefix}). Never throws for
   * text; offline.
   */
  public static String checkFormat(String key) {
    return Native.keyCheckFormat(Objects.requireNonNull(key, "key"));
  }

  /** What the key says about itself. FinFusionException with the format code otherwise. */
  public static ParsedKey parse(String key) {
    return ParsedKey.of(Native.keyParse(Objects.requireNonNull(key, "key")));
  }

  /** What a key id ({@code prod_7kNsV0dGlOW9eHuP}) says about itself. */
  public static ParsedKey parseId(String id) {
    return ParsedKey.of(Native.keyParseId(Objects.requireNonNull(id, "id")));
  }

  /** The key with its secret hidden, for logs and dashboards: {@code prod_7kNs..._********}. */
  public static String mask(String key) {
    return Native.keyMask(Objects.requireNonNull(key, "key"));
  }

  /** A type's prefix and environment. */
  public record TypeInfo(String prefix, String environment) {}

  /** The prefix and environment of a type name; FinFusionException invalid_request otherwise. */
  public static TypeInfo typeInfo(String type) {
    String[] info = Native.keyTypeInfo(Objects.requireNonNull(type, "type"));
    return new TypeInfo(info[0], info[1]);
  }
}
