package cloud.finfusion.keys;

import java.util.Map;
import java.util.Objects;

/** Secrets by id (peppers, master keys) as the two parallel arrays the native calls take. */
record NamedSecrets(String[] ids, byte[][] values) {
  static NamedSecrets of(Map<String, byte[]> secrets, String what) {
    Objects.requireNonNull(secrets, what);
    String[] ids = new String[secrets.size()];
    byte[][] values = new byte[secrets.size()][];
    int i = 0;
    for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
      ids[i] = Objects.requireNonNull(e.getKey(), what + " id");
      values[i++] = Objects.requireNonNull(e.getValue(), what);
    }
    return new NamedSecrets(ids, values);
  }
}
