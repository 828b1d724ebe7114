package cloud.finfusion.keys;

import java.util.List;

/**
 * The outcome of verifying an RFC 9421 signature: {@code valid} and {@code code}
 * ({@code valid}, {@code signature_invalid}, {@code signature_expired}, {@code replayed},
 * {@code not_found}, {@code invalid_request}, {@code rate_limited}), what the signature said
 * (label, keyid, alg, created and expires in seconds, nonce, tag, covered components), why in
 * {@code message}, and the signature base rebuilt from the message.
 */
public record SignatureVerification(
    boolean valid,
    String code,
    String label,
    String keyId,
    String alg,
    long created,
    Long expires,
    String nonce,
    String tag,
    List<String> covered,
    String message,
    String signatureBase) {
  /** The keyid that signed the message when valid, else "" (what {@link VerifyContext.Builder#signedBy} takes). */
  public String signer() {
    return valid ? keyId : "";
  }
}
