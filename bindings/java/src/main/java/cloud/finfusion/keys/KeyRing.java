package cloud.finfusion.keys;

import java.util.Objects;

/** The verifying keys a service trusts, found by keyid. Thread-safe. */
public final class KeyRing extends NativeHandle {
  public KeyRing() {
    super(Native.keyRingNew(), Native::keyRingFree, false);
  }

  /** A ring of the given keys (a SigningKey contributes its verifying key). */
  public static KeyRing of(Object... keys) {
    KeyRing ring = new KeyRing();
    for (Object k : keys) {
      if (k instanceof VerifyingKey v) {
        ring.add(v);
      } else if (k instanceof SigningKey s) {
        try (VerifyingKey v = s.verifyingKey()) {
          ring.add(v);
        }
      } else {
        ring.close();
        throw new IllegalArgumentException("keys must be VerifyingKey or SigningKey");
      }
    }
    return ring;
  }

  /** Adds a copy of {@code key}. */
  public void add(VerifyingKey key) {
    Objects.requireNonNull(key, "key");
    callExclusive(r -> key.call(k -> {
      Native.keyRingAdd(r, k);
      return null;
    }));
  }

  public int size() {
    return call(Native::keyRingSize);
  }

  public boolean contains(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    return call(r -> Native.keyRingContains(r, keyId));
  }

  @Override
  public String toString() {
    return isClosed() ? "KeyRing[closed]" : "KeyRing[" + size() + " keys]";
  }
}
