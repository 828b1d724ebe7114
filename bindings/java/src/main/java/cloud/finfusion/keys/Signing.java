package cloud.finfusion.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 9421 HTTP Message Signatures ({@code hmac-sha256}, {@code ed25519}), RFC 9530
 * Content-Digest and replay protection with nonces.
 *
 * <pre>{@code
 * Signing.Request req = new Signing.Request("POST", url, List.of(Map.entry("Content-Type", "application/json")), body);
 * Map<String, String> added = Signing.signRequest(req, key, SignOptions.builder().generateNonce().build());
 * SignatureVerification v = Signing.verifyRequest(received, ring, VerifyPolicy.builder().nonces(cache).build());
 * if (!v.valid()) reject(v.code());
 * }</pre>
 *
 * <p>Headers are (name, value) pairs in order; a name may repeat. A null body means no body.
 * Verification never throws for a bad signature: read {@code valid()} and {@code code()}.
 */
public final class Signing {
  /** The signature algorithms. */
  public static final List<String> ALGORITHMS = List.of("hmac-sha256", "ed25519");
  /** The Content-Digest algorithms. */
  public static final List<String> DIGEST_ALGORITHMS = List.of("sha-256", "sha-512");

  private Signing() {}

  /** A request: method, absolute target URI, header lines and body (null: none). */
  public record Request(String method, String url, List<Map.Entry<String, String>> headers, byte[] body) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(url, "url");
      headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** The same with headers from a map (one line each). */
    public Request(String method, String url, Map<String, String> headers, byte[] body) {
      this(method, url, new ArrayList<>(Objects.requireNonNull(headers, "headers").entrySet()), body);
    }
  }

  /** A response: status, header lines, body (null: none), and the request it answers (for {@code ;req}), or null. */
  public record Response(int status, List<Map.Entry<String, String>> headers, byte[] body, Request request) {
    public Response {
      headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    }
  }

  /**
   * Signs a request; returns the headers to add, in order (Content-Digest when the body has
   * none yet, Signature-Input, Signature). FinFusionException invalid_request for bad options
   * or a covered component the request lacks.
   */
  public static Map<String, String> signRequest(Request request, SigningKey key, SignOptions options) {
    return sign(message(request), null, key, options);
  }

  /** Signs a response ({@code @status} first by default). */
  public static Map<String, String> signResponse(Response response, SigningKey key, SignOptions options) {
    Objects.requireNonNull(response, "response");
    return sign(message(response), response.request() == null ? null : message(response.request()), key, options);
  }

  /** Verifies a request's signature (the policy's label, or the first whose keyid the ring holds). */
  public static SignatureVerification verifyRequest(Request request, KeyRing keys, VerifyPolicy policy) {
    return verify(message(request), null, keys, policy);
  }

  /** The same with the trusted keys as a list. */
  public static SignatureVerification verifyRequest(Request request, Collection<VerifyingKey> keys, VerifyPolicy policy) {
    try (KeyRing ring = KeyRing.of(Objects.requireNonNull(keys, "keys").toArray())) {
      return verifyRequest(request, ring, policy);
    }
  }

  /** Verifies a response's signature. */
  public static SignatureVerification verifyResponse(Response response, KeyRing keys, VerifyPolicy policy) {
    Objects.requireNonNull(response, "response");
    return verify(message(response), response.request() == null ? null : message(response.request()), keys, policy);
  }

  public static SignatureVerification verifyResponse(Response response, Collection<VerifyingKey> keys,
      VerifyPolicy policy) {
    try (KeyRing ring = KeyRing.of(Objects.requireNonNull(keys, "keys").toArray())) {
      return verifyResponse(response, ring, policy);
    }
  }

  /** The Content-Digest value for a body: {@code sha-256=:<base64>:}. */
  public static String contentDigest(byte[] body, String algorithm) {
    return Native.contentDigest(body == null ? new byte[0] : body, Objects.requireNonNull(algorithm, "algorithm"));
  }

  public static String contentDigest(byte[] body) {
    return contentDigest(body, "sha-256");
  }

  /**
   * True when every sha-256 / sha-512 digest in the field matches the body; false when one
   * does not. FinFusionException invalid_request for a malformed field or one with neither.
   */
  public static boolean verifyContentDigest(String field, byte[] body) {
    return Native.verifyContentDigest(Objects.requireNonNull(field, "field"), body == null ? new byte[0] : body);
  }

  private static Map<String, String> sign(Object[] message, Object[] request, SigningKey key, SignOptions options) {
    Objects.requireNonNull(key, "key");
    SignOptions o = options == null ? SignOptions.DEFAULTS : options;
    String[] components = o.components() == null ? null : Args.strings(o.components(), "components");
    Duration expiresIn = o.expiresIn();
    long now = Times.millis(o.now() == null ? Instant.now() : o.now());
    Object[] out = key.call(k -> Native.signingSign(message, request, k, o.label(), components, expiresIn != null,
        expiresIn == null ? 0 : expiresIn.toSeconds(), o.nonce(), o.generateNonce(), o.tag(), o.includeAlg(),
        o.digest(), now));
    String[] flat = (String[]) out[0];
    Map<String, String> added = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.length; i += 2) added.put(flat[i], flat[i + 1]);
    return Collections.unmodifiableMap(added);
  }

  private static SignatureVerification verify(Object[] message, Object[] request, KeyRing keys, VerifyPolicy policy) {
    Objects.requireNonNull(keys, "keys");
    VerifyPolicy p = policy == null ? VerifyPolicy.DEFAULTS : policy;
    String[] required = Args.strings(p.requiredComponents(), "requiredComponents");
    long now = Times.millis(p.now() == null ? Instant.now() : p.now());
    long tolerance = p.tolerance().toSeconds();
    NonceCache nonces = p.nonces();
    String[] out = keys.call(ring -> nonces == null
        ? Native.signingVerify(message, request, ring, tolerance, p.requireNonce(), required, p.label(),
            p.requireContentDigest(), 0, now)
        : nonces.call(n -> Native.signingVerify(message, request, ring, tolerance, p.requireNonce(), required,
            p.label(), p.requireContentDigest(), n, now)));
    Map<String, Object> fields = new LinkedHashMap<>(Json.object(Json.parse(out[0])));
    fields.put("message", out[1]);
    fields.put("signatureBase", out[2]);
    return CoreJson.readFields(SignatureVerification.class, fields);
  }

  private static Object[] message(Request r) {
    Objects.requireNonNull(r, "request");
    return new Object[] {r.method(), r.url(), 0, flat(r.headers()), r.body()};
  }

  private static Object[] message(Response r) {
    return new Object[] {"", "", r.status(), flat(r.headers()), r.body()};
  }

  static String[] flat(List<Map.Entry<String, String>> headers) {
    String[] out = new String[headers.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> h : headers) {
      out[i++] = Objects.requireNonNull(h.getKey(), "header name");
      out[i++] = Objects.requireNonNull(h.getValue(), "header value");
    }
    return out;
  }
}
