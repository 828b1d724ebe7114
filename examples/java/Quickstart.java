// The seed's Java client over the FinFusion core, run straight from the jar (which carries
// the native library):
//
//   java -cp bindings/java/target/finfusion-keys-0.1.0.jar examples/java/Quickstart.java
//
// FINFUSION_API_KEY is the client's own key; without one, this example mints a development
// key for itself. Nothing secret is printed but the new key, once, masked.
import cloud.finfusion.keys.AuditEvent;
import cloud.finfusion.keys.FinFusion;
import cloud.finfusion.keys.FinFusionException;
import cloud.finfusion.keys.KeyType;
import cloud.finfusion.keys.Keys;
import cloud.finfusion.keys.Registry;
import cloud.finfusion.keys.UsageReport;
import cloud.finfusion.keys.Verdict;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

public final class Quickstart {
  public static void main(String[] args) {
    String apiKey = System.getenv("FINFUSION_API_KEY");
    String environment = "production";
    if (apiKey == null || apiKey.isEmpty()) {
      apiKey = Keys.generate(KeyType.DEVELOPMENT).reveal();
      environment = "sandbox";
    }
    try (FinFusion client = new FinFusion.Builder()
        .apiKey(apiKey)
        .environment(environment)
        .timeout(30000)
        .retries(3)
        .build()) {
      System.out.println("client " + client);

      String expiration = LocalDate.now(ZoneOffset.UTC).plusMonths(6).toString();
      Registry.Created created = client.apiKeys().create(Map.of("name", "Sandbox API Key", "type", "development",
          "permissions", List.of("payments", "kyc", "reporting"), "expiration", expiration));
      System.out.println("created " + created.record().id() + " shown once as " + Keys.mask(created.key().reveal()));

      Registry.Rotated newKey = client.apiKeys().rotate(created.record().id(), "48h", List.of("security@yourcompany.com"));
      Verdict keyInfo = client.apiKeys().verify(newKey.id());
      System.out.println("rotated to " + newKey.id() + ": " + keyInfo.code());
      System.out.println("old key during the grace period: " + client.apiKeys().verify(created.key().reveal()).code());

      String today = LocalDate.now(ZoneOffset.UTC).toString();
      UsageReport usage = client.apiKeys().getUsage(created.record().id(), today, today, List.of("requests", "errors", "latency"));
      System.out.println("usage " + usage.requests() + " requests, " + usage.errors() + " errors");
      for (AuditEvent e : client.apiKeys().getLogs(created.record().id(), 100, List.of("key.created", "key.rotated", "key.accessed"))) {
        System.out.println("log " + e.seq() + " " + e.type() + " by " + e.actor());
      }

      try {
        client.apiKeys().rotate(created.record().id(), "48h", List.of());
      } catch (FinFusionException e) {
        System.out.println("second rotation refused: " + e.code());
      }
    }
  }
}
