package cloud.finfusion.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A newly made key. {@link #reveal()} gives its text, to show its owner once; {@code toString()}
 * never does. {@link #close()} wipes this object's copy of the key.
 */
public final class ApiKey implements AutoCloseable {
  private final String id;
  private final String type;
  private final String environment;
  private final byte[] text;
  private boolean wiped;

  // Made by the native library (jni_natives.cc), which passes the key as bytes.
  ApiKey(String id, String type, String environment, byte[] text) {
    this.id = id;
    this.type = type;
    this.environment = environment;
    this.text = text;
  }

  /** The public key id ({@code "prod_7kNsV0dGlOW9eHuP"}): safe to log and store. */
  public String id() {
    return id;
  }

  /** The key type's wire name: {@code "production"}. */
  public String type() {
    return type;
  }

  /** {@code "sandbox"} or {@code "production"}. */
  public String environment() {
    return environment;
  }

  /** The full key text. Show it to its owner once; never log it. */
  public synchronized String reveal() {
    if (wiped) throw new IllegalStateException("the key was wiped by close()");
    return new String(text, StandardCharsets.UTF_8);
  }

  /** Wipes this object's copy of the key (a String from {@link #reveal()} is not affected). */
  @Override
  public synchronized void close() {
    Arrays.fill(text, (byte) 0);
    wiped = true;
  }

  @Override
  public String toString() {
    return "ApiKey[id=" + id + ", type=" + type + "]";
  }
}
