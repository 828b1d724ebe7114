package cloud.finfusion.keys;

import java.util.Objects;

/**
 * A key that verifies RFC 9421 signatures: an HMAC-SHA256 secret or an Ed25519 public key,
 * named by its {@code keyid}. Immutable and thread-safe; {@link #close()} wipes an HMAC
 * secret. {@code toString()} shows the key id and algorithm only.
 */
public final class VerifyingKey extends NativeHandle {
  VerifyingKey(long handle) {
    super(handle, Native::verifyingKeyFree, false);
  }

  public static VerifyingKey hmac(String keyId, byte[] secret) {
    return new VerifyingKey(Native.verifyingKeyHmac(Objects.requireNonNull(keyId, "keyId"),
        Objects.requireNonNull(secret, "secret")));
  }

  /** An Ed25519 public key (32 bytes); non-canonical and small-order keys are refused. */
  public static VerifyingKey ed25519(String keyId, byte[] publicKey) {
    return new VerifyingKey(Native.verifyingKeyEd25519(Objects.requireNonNull(keyId, "keyId"),
        Objects.requireNonNull(publicKey, "publicKey")));
  }

  public String keyId() {
    return call(Native::verifyingKeyId);
  }

  /** {@code "hmac-sha256"} or {@code "ed25519"}. */
  public String algorithm() {
    return call(Native::verifyingKeyAlgorithm);
  }

  /** Whether {@code signature} signs {@code message} under this key (constant time for HMAC). */
  public boolean verify(byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    return call(k -> Native.verifyingKeyVerify(k, message, signature));
  }

  @Override
  public String toString() {
    return isClosed() ? "VerifyingKey[closed]" : "VerifyingKey[keyId=" + keyId() + ", algorithm=" + algorithm() + "]";
  }
}
