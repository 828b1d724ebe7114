package cloud.finfusion.keys;

import java.util.Objects;

/**
 * A key that signs RFC 9421 messages: an HMAC-SHA256 secret or an Ed25519 private key.
 * Immutable and thread-safe; {@link #close()} wipes it. {@code toString()} never shows it.
 */
public final class SigningKey extends NativeHandle {
  SigningKey(long handle) {
    super(handle, Native::signingKeyFree, false);
  }

  /** An HMAC-SHA256 key (at least 32 bytes of secret). */
  public static SigningKey hmac(String keyId, byte[] secret) {
    return new SigningKey(Native.signingKeyHmac(Objects.requireNonNull(keyId, "keyId"),
        Objects.requireNonNull(secret, "secret")));
  }

  /** An Ed25519 key from its 32-byte seed. */
  public static SigningKey ed25519(String keyId, byte[] seed) {
    return new SigningKey(Native.signingKeyEd25519(Objects.requireNonNull(keyId, "keyId"),
        Objects.requireNonNull(seed, "seed")));
  }

  /** A new key from the CSPRNG: {@code "hmac-sha256"} or {@code "ed25519"}. */
  public static SigningKey generate(String keyId, String algorithm) {
    return new SigningKey(Native.signingKeyGenerate(Objects.requireNonNull(keyId, "keyId"),
        Objects.requireNonNull(algorithm, "algorithm")));
  }

  public String keyId() {
    return call(Native::signingKeyId);
  }

  public String algorithm() {
    return call(Native::signingKeyAlgorithm);
  }

  /** The Ed25519 public key (empty for HMAC). */
  public byte[] publicKey() {
    return call(Native::signingKeyPublic);
  }

  /** The HMAC secret or Ed25519 seed, for storage: keep it encrypted and out of logs. */
  public byte[] revealSecret() {
    return call(Native::signingKeySecret);
  }

  /** The key that verifies this key's signatures (the same secret for HMAC). */
  public VerifyingKey verifyingKey() {
    return new VerifyingKey(call(Native::signingKeyVerifying));
  }

  /** A raw signature of {@code message}. */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    return call(k -> Native.signingKeySign(k, message));
  }

  @Override
  public String toString() {
    return isClosed() ? "SigningKey[closed]" : "SigningKey[keyId=" + keyId() + ", algorithm=" + algorithm() + "]";
  }
}
