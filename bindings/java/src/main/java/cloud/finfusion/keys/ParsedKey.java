package cloud.finfusion.keys;

/** What a well-formed key (or key id) says about itself. */
public record ParsedKey(String id, String type, String environment, int formatVersion) {
  static ParsedKey of(String[] parts) {
    return new ParsedKey(parts[0], parts[1], parts[2], Integer.parseInt(parts[3]));
  }
}
