package cloud.finfusion.keys;

import java.util.Collection;
import java.util.Objects;

/** Argument conversions the classes share before a native call. */
final class Args {
  private Args() {}

  /** A collection of strings as the String[] a native call takes; a null element is named. */
  static String[] strings(Collection<String> values, String what) {
    Objects.requireNonNull(values, what);
    if (values instanceof ScopeSet s) return s.toArray0();
    String[] out = values.toArray(new String[0]);
    for (String v : out) Objects.requireNonNull(v, what);
    return out;
  }
}
