// Key verification through the Java package beside what a Java team would write with the JDK
// alone (the "peer": a regex, java.util.zip.CRC32, javax.crypto.Mac HMAC-SHA256 and
// MessageDigest.isEqual over a map of records), as ns per operation in JSON on stdout, the
// same operations as bench_verify.py and bench_verify.mjs. bench/tables.py puts it beside
// native, Python and Node. Every operation is checked once before it is timed.
//
//   java -cp bindings/java/target/finfusion-keys-<version>.jar bench/BenchVerify.java
import cloud.finfusion.keys.Hasher;
import cloud.finfusion.keys.Keys;
import cloud.finfusion.keys.Registry;
import cloud.finfusion.keys.TypeTable;
import cloud.finfusion.keys.VerifyContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class BenchVerify {
  static final Instant NOW = Instant.ofEpochMilli(1748779200000L);
  static final byte[] PEPPER = new byte[32];
  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static final Pattern SHAPE = Pattern.compile("(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}([0-9A-Za-z]{6})");
  static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(PEPPER, "HmacSHA256"));
      return mac;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  });
  static volatile Object sink;

  static String peerCheckFormat(String key) {
    Matcher m = SHAPE.matcher(key);
    if (!m.matches()) return "malformed_key";
    CRC32 crc = new CRC32();
    crc.update(key.substring(0, key.length() - 6).getBytes(StandardCharsets.US_ASCII));
    long n = crc.getValue();
    char[] digits = new char[6];
    for (int i = 5; i >= 0; i--) {
      digits[i] = ALPHABET.charAt((int) (n % 62));
      n /= 62;
    }
    return new String(digits).equals(m.group(2)) ? "valid" : "bad_checksum";
  }

  static String peerHash(String key) {
    byte[] digest = MAC.get().doFinal(key.getBytes(StandardCharsets.UTF_8));
    return "ffk$1$hs256$p1$" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  record PeerRecord(String stored, String status, long expiresAt, List<String> scopes) {}

  static final Map<String, PeerRecord> PEER = new HashMap<>();

  static Map<String, Object> peerVerify(String key, List<String> required, long now) {
    String code = peerCheckFormat(key);
    if (!code.equals("valid")) return Map.of("valid", false, "code", code);
    PeerRecord r = PEER.get(key.substring(0, key.length() - 50));
    if (r == null || !MessageDigest.isEqual(peerHash(key).getBytes(StandardCharsets.US_ASCII),
        r.stored().getBytes(StandardCharsets.US_ASCII))) {
      return Map.of("valid", false, "code", "not_found");
    }
    if (!r.status().equals("active")) return Map.of("valid", false, "code", r.status());
    if (now >= r.expiresAt()) return Map.of("valid", false, "code", "expired");
    for (String need : required) {
      if (r.scopes().stream().noneMatch(s -> need.equals(s) || need.startsWith(s + ":"))) {
        return Map.of("valid", false, "code", "insufficient_scope");
      }
    }
    return Map.of("valid", true, "code", "valid");
  }

  /** Median of five timed batches after a warm-up, in ns per call. */
  static double perOp(Supplier<Object> fn) {
    long n = 64;
    while (true) {
      long start = System.nanoTime();
      for (long i = 0; i < n; i++) sink = fn.get();
      if (System.nanoTime() - start > 100_000_000L) break;
      n *= 2;
    }
    double[] runs = new double[5];
    for (int r = 0; r < 5; r++) {
      long start = System.nanoTime();
      for (long i = 0; i < n; i++) sink = fn.get();
      runs[r] = (System.nanoTime() - start) / (double) n;
    }
    Arrays.sort(runs);
    return runs[2];
  }

  public static void main(String[] args) {
    Arrays.fill(PEPPER, (byte) 7);
    try (Hasher hasher = new Hasher(Map.of("p1", PEPPER), "p1");
        TypeTable table = TypeTable.create("{\"production\": {\"rate_limit\": {\"requests\": 1000000000, \"window\": \"1s\"}}}");
        Registry reg = Registry.builder(hasher).table(table).open()) {
      String key = reg.create(Map.of("name", "bench", "type", "production", "permissions", List.of("payments")), NOW)
          .key().reveal();
      PEER.put(key.substring(0, key.length() - 50), new PeerRecord(peerHash(key), "active", NOW.toEpochMilli() + 86400000L,
          List.of("payments")));
      List<String> required = List.of("payments:charge");
      VerifyContext context = VerifyContext.builder().required(required).build();
      if (!Keys.checkFormat(key).equals("valid") || !peerCheckFormat(key).equals("valid")) throw new AssertionError("format");
      if (!hasher.hash(key).equals(peerHash(key))) throw new AssertionError("hash");
      if (!reg.verify(key, context, NOW).valid() || !(Boolean) peerVerify(key, required, NOW.toEpochMilli()).get("valid")) {
        throw new AssertionError("verify");
      }
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("check_format", perOp(() -> Keys.checkFormat(key)));
      out.put("check_format/peer", perOp(() -> peerCheckFormat(key)));
      out.put("hash", perOp(() -> hasher.hash(key)));
      out.put("hash/peer", perOp(() -> peerHash(key)));
      out.put("verify", perOp(() -> reg.verify(key, context, NOW)));
      out.put("verify/peer", perOp(() -> peerVerify(key, required, NOW.toEpochMilli())));
      StringBuilder json = new StringBuilder("{");
      out.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
          .append(String.format(java.util.Locale.ROOT, "%.1f", v)));
      System.out.println(json.append('}'));
    }
  }
}
