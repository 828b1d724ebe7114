package cloud.finfusion.keys;

/**
 * A failure reported by the FinFusion core, with the stable code every binding uses for it
 * ({@code "malformed_key"}, {@code "not_found"}, {@code "conflict"}, ...; see {@link ErrorCode}).
 *
 * <p>A verification that fails is not an exception: it is a result whose {@code valid()} is
 * false. Exceptions are for bad arguments, missing records, conflicts and storage failures.
 * Messages come from the core and never contain a key or other secret.
 */
public final class FinFusionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  FinFusionException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The stable code, the same string in C++, Python, Node and Java. */
  public String code() {
    return code;
  }

  /** The code as an enum constant. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }

  @Override
  public String toString() {
    return "FinFusionException[" + code + "]: " + getMessage();
  }
}
