package cloud.finfusion.keys;

/** A key's state by id at an instant (the seed's {@code apiKeys.verify(newKey.id)}). */
public record KeyState(String code, boolean valid, boolean inGrace, KeyRecord key) implements Verdict {
  /** The core's canonical JSON of this state. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
