package cloud.finfusion.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The key lifecycle's pure checks, starting with the seed's create request. */
public final class Lifecycle {
  private Lifecycle() {}

  /**
   * A validated create request (canonical: scopes sorted, expiration as an instant, empty
   * optional fields left out).
   */
  public record CreateRequest(
      String name,
      String type,
      List<String> permissions,
      Instant expiresAt,
      @CoreJson.OmitIfEmpty String service,
      @CoreJson.OmitIfEmpty String parentKeyId,
      @CoreJson.OmitIfEmpty String owner,
      @CoreJson.OmitIfEmpty String purpose) {
    /** The canonical JSON; parsing it again at the same instant gives the same request. */
    public String toJson() {
      return CoreJson.write(this);
    }
  }

  /**
   * Checks the seed's create request ({@code {"name", "type", "permissions", "expiration"}})
   * at {@code now} under {@code table}. FinFusionException invalid_request naming the field.
   */
  public static CreateRequest parseCreateRequest(String requestJson, Instant now, TypeTable table) {
    Objects.requireNonNull(requestJson, "request");
    long at = Times.millis(now);
    return CoreJson.read(CreateRequest.class,
        Objects.requireNonNull(table, "table").call(t -> Native.parseCreateRequest(requestJson, at, t)));
  }

  /** The same, with the request as a map. */
  public static CreateRequest parseCreateRequest(Map<String, ?> request, Instant now, TypeTable table) {
    return parseCreateRequest(Json.write(Objects.requireNonNull(request, "request")), now, table);
  }
}
