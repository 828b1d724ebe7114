package cloud.finfusion.keys;

import java.util.AbstractList;
import java.util.List;

/** A canonical scope list: parsed, sorted, duplicates removed. Immutable. */
public final class ScopeSet extends AbstractList<String> {
  private final List<String> scopes;

  ScopeSet(String[] canonical) {
    this.scopes = List.of(canonical);
  }

  @Override
  public String get(int index) {
    return scopes.get(index);
  }

  @Override
  public int size() {
    return scopes.size();
  }

  String[] toArray0() {
    return scopes.toArray(new String[0]);
  }

  @Override
  public String toString() {
    return "ScopeSet" + scopes;
  }
}
