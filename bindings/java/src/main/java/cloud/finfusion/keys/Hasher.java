package cloud.finfusion.keys;

import java.util.Map;
import java.util.Objects;

/**
 * Stored key hashes under server peppers: {@code ffk$1$hs256$<pepper id>$...}. Verification
 * compares in constant time; {@link #needsRehash} says when a stored hash was made under an
 * old pepper or algorithm. Immutable and thread-safe; {@link #close()} wipes the peppers.
 * {@code toString()} shows the current pepper id only.
 *
 * <pre>{@code
 * try (Hasher h = new Hasher(Map.of("2026a", pepper), "2026a")) { String stored = h.hash(key); }
 * }</pre>
 */
public final class Hasher extends NativeHandle {
  /** The default algorithm: HMAC-SHA256 (on the CPU's SHA extensions where it has them). */
  public static final String DEFAULT_ALGORITHM = "hs256";

  /** Peppers by id (each {@link Hashing#PEPPER_BYTES} bytes); {@code current} hashes new keys. */
  public Hasher(Map<String, byte[]> peppers, String current) {
    this(peppers, current, DEFAULT_ALGORITHM);
  }

  /** The same with an algorithm: {@code "hs256"} or {@code "b2b256"} (keyed BLAKE2b). */
  public Hasher(Map<String, byte[]> peppers, String current, String algorithm) {
    super(create(peppers, current, algorithm), Native::hasherFree, false);
  }

  private static long create(Map<String, byte[]> peppers, String current, String algorithm) {
    NamedSecrets named = NamedSecrets.of(peppers, "pepper");
    return Native.hasherCreate(named.ids(), named.values(), Objects.requireNonNull(current, "current"),
        Objects.requireNonNull(algorithm, "algorithm"));
  }

  /** The stored form of a key, under the current pepper. */
  public String hash(String key) {
    Objects.requireNonNull(key, "key");
    return call(h -> Native.hasherHash(h, key));
  }

  /** Whether {@code key} matches {@code stored} (constant time). */
  public boolean verify(String key, String stored) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(stored, "stored");
    return call(h -> Native.hasherVerify(h, key, stored));
  }

  /** Whether {@code stored} was made under another pepper or algorithm than the current ones. */
  public boolean needsRehash(String stored) {
    Objects.requireNonNull(stored, "stored");
    return call(h -> Native.hasherNeedsRehash(h, stored));
  }

  public String currentPepperId() {
    return call(Native::hasherCurrent);
  }

  public String algorithm() {
    return call(Native::hasherAlgorithm);
  }

  @Override
  public String toString() {
    return isClosed() ? "Hasher[closed]" : "Hasher[current=" + currentPepperId() + "]";
  }
}
