package cloud.finfusion.keys;

import java.util.Collection;
import java.util.Objects;

/**
 * Permissions ("scopes"): {@code payments}, {@code payments:charge}, {@code payments:*}, {@code *}.
 *
 * <pre>{@code
 * ScopeSet granted = Scopes.parse(List.of("payments", "kyc:read"));
 * Scopes.allows(granted, "payments:charge");   // true
 * }</pre>
 */
public final class Scopes {
  private Scopes() {}

  /** The canonical set. FinFusionException invalid_scope naming the bad entry. */
  public static ScopeSet parse(Collection<String> scopes) {
    return new ScopeSet(Native.scopeParse(Args.strings(scopes, "scopes")));
  }

  /** Whether {@code granted} allows {@code required} (one scope). */
  public static boolean allows(Collection<String> granted, String required) {
    return Native.scopeAllows(Args.strings(granted, "granted"), Objects.requireNonNull(required, "required"));
  }

  /** Whether {@code granted} allows every scope in {@code required}. */
  public static boolean allowsAll(Collection<String> granted, Collection<String> required) {
    return Native.scopeAllowsAll(Args.strings(granted, "granted"), Args.strings(required, "required"));
  }

  /** Whether every scope {@code child} holds is allowed by {@code parent} (restricted keys). */
  public static boolean isSubset(Collection<String> child, Collection<String> parent) {
    return Native.scopeIsSubset(Args.strings(child, "child"), Args.strings(parent, "parent"));
  }
}
