package cloud.finfusion.keys;

/**
 * What {@code apiKeys().verify(...)} answers: a {@link Decision} for a presented key, a
 * {@link KeyState} for a key id (the seed's {@code verify(newKey.id)}).
 */
public sealed interface Verdict permits Decision, KeyState {
  /** Whether the key may be used. */
  boolean valid();

  /** {@code "valid"}, or why not ({@code "revoked"}, {@code "expired"}, ...). */
  String code();
}
