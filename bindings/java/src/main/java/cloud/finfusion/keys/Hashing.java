package cloud.finfusion.keys;

import java.util.Objects;

/** Peppers and stored-hash text; {@link Hasher} does the hashing. */
public final class Hashing {
  /** The length of a pepper. */
  public static final int PEPPER_BYTES = Native.pepperBytes();

  private Hashing() {}

  /** A new pepper from the CSPRNG. Keep it in a secret store, never beside the hashes. */
  public static byte[] generatePepper() {
    return Native.randomSecret(PEPPER_BYTES);
  }

  /** The algorithm and pepper id a stored hash names. */
  public record StoredHash(String algorithm, String pepperId) {}

  /** The parts of a stored hash. FinFusionException invalid_request for other text. */
  public static StoredHash parseStored(String stored) {
    String[] parts = Native.hashParseStored(Objects.requireNonNull(stored, "stored"));
    return new StoredHash(parts[0], parts[1]);
  }
}
