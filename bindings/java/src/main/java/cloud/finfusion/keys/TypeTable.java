package cloud.finfusion.keys;

import java.util.Map;
import java.util.Objects;

/**
 * The key-type policy table: lifetimes, rotation periods, rate limits and scope rules per
 * type, the built-in defaults with a deployment's overrides applied.
 *
 * <pre>{@code
 * TypeTable t = TypeTable.create("{\"production\": {\"max_lifetime\": \"365d\"}}");
 * }</pre>
 */
public final class TypeTable extends NativeHandle {
  private TypeTable(long handle) {
    super(handle, Native::typeTableFree, false);
  }

  /** The built-in policies. */
  public static TypeTable defaults() {
    return create("{}");
  }

  /**
   * The defaults with overrides (a JSON object keyed by type name). FinFusionException
   * invalid_request naming the field that is wrong.
   */
  public static TypeTable create(String overridesJson) {
    return new TypeTable(Native.typeTableCreate(Objects.requireNonNull(overridesJson, "overridesJson")));
  }

  /** The same, from a map (as a JSON object). */
  public static TypeTable create(Map<String, ?> overrides) {
    return create(Json.write(Objects.requireNonNull(overrides, "overrides")));
  }

  /** The whole table as JSON. */
  public String toJson() {
    return call(Native::typeTableJson);
  }
}
