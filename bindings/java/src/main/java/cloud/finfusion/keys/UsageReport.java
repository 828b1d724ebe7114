package cloud.finfusion.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code getUsage}: requests, outcomes, errors, anomalies and latency percentiles of
 * a key over a timeframe. Metrics that were not asked for are null.
 */
public record UsageReport(
    String keyId,
    Timeframe timeframe,
    @CoreJson.OmitIfEmpty Long requests,
    @CoreJson.OmitIfEmpty Map<String, Long> outcomes,
    @CoreJson.OmitIfEmpty Long errors,
    @CoreJson.OmitIfEmpty Double errorRate,
    @CoreJson.OmitIfEmpty List<Anomaly> anomalies,
    @CoreJson.OmitIfEmpty Latency latency) {

  /** The instants covered: {@code start} included, {@code end} excluded. */
  public record Timeframe(Instant start, Instant end) {}

  /** A usage or error spike against the key's own baseline. */
  public record Anomaly(String kind, Instant at, double observed, double baseline) {}

  /** Latency percentiles in milliseconds (null when no request reported a latency). */
  public record Latency(long count, Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs) {}

  /** The core's canonical JSON of this report. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
