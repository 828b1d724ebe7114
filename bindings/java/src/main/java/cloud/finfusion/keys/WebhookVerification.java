package cloud.finfusion.keys;

/**
 * The outcome of verifying a webhook: {@code valid} and {@code code} ({@code valid},
 * {@code invalid_request}, {@code signature_expired}, {@code signature_invalid}), why in
 * {@code message}, and the message id and timestamp (seconds) it carried.
 */
public record WebhookVerification(boolean valid, String code, String message, String msgId, long timestamp) {}
