package cloud.finfusion.keys;

/**
 * The JNI entry points (bindings/java/src/main/cpp/jni_natives.cc), one per core call. Handles
 * are owned by {@link NativeHandle} subclasses; records cross as the core's canonical JSON.
 * Arguments are checked for null here in Java before they reach the library.
 */
final class Native {
  static {
    NativeLibrary.load();
  }

  private Native() {}

  static native String[] codes();
  static native String version();

  static native ApiKey keyGenerate(String type);
  static native ApiKey keyGenerateFromEntropy(String type, byte[] entropy);
  static native String keyCheckFormat(String key);
  static native String[] keyParse(String key);
  static native String[] keyParseId(String id);
  static native String keyMask(String key);
  static native String[] keyTypeInfo(String type);
  static native String[] keyTypes();
  static native String keyScannerPattern();
  static native int keyMaxLength();
  static native long typeTableCreate(String overridesJson);
  static native String typeTableJson(long table);
  static native void typeTableFree(long table);

  static native String[] scopeParse(String[] scopes);
  static native boolean scopeAllows(String[] granted, String required);
  static native boolean scopeAllowsAll(String[] granted, String[] required);
  static native boolean scopeIsSubset(String[] child, String[] parent);

  static native long hasherCreate(String[] ids, byte[][] peppers, String current, String algorithm);
  static native String hasherHash(long hasher, String key);
  static native boolean hasherVerify(long hasher, String key, String stored);
  static native boolean hasherNeedsRehash(long hasher, String stored);
  static native String hasherCurrent(long hasher);
  static native String hasherAlgorithm(long hasher);
  static native void hasherFree(long hasher);
  static native String[] hashParseStored(String stored);
  static native byte[] randomSecret(int size);
  static native int pepperBytes();

  static native long timeParseDuration(String text);
  static native String timeFormatDuration(long ms);
  static native long timeParseTimestamp(String text);
  static native long timeParseUntil(String text);
  static native String timeFormatTimestamp(long ms);

  static native String parseCreateRequest(String request, long nowMs, long table);
  static native long[] ratelimitCheck(long requests, long windowMs, boolean fresh, long tatMs, long tatFrac, long nowMs,
      long cost);
  static native String[] clientConfigure(String apiKey, String environment, String optionsJson);

  static native long registryNew(long hasher, long table, byte[] seed, String store);
  static native void registryFree(long registry);
  static native Object[] registryCreate(long registry, String request, long nowMs, String actor);
  // The decision's texts joined by U+0001 (code, key id, type, environment, replaced by, then
  // each scope); its numbers written into `numbers` (seven).
  // `context` as Registry.verify packs it (environment, service, actor, signedBy, then each
  // required scope, each after its length and a ':').
  static native String registryVerify(long registry, String key, String context, long cost, double latencyMs,
      long nowMs, long[] numbers);
  static native String registryGetUsage(long registry, String query);
  static native String registryStatus(long registry, String id, long nowMs);
  static native Object[] registryRotate(long registry, String id, long graceMs, String[] notifyEmails, boolean force,
      long nowMs, String actor);
  static native Object[] registryRotateDue(long registry, long graceMs, String[] notifyEmails, long nowMs, String actor);
  static native String registryRevoke(long registry, String id, String reason, long nowMs, String actor);
  static native String registryGet(long registry, String id);
  static native String[] registryList(long registry);
  static native String[] registryLogs(long registry, String keyId, String[] types, long limit);
  static native Object[] registryEmergencyRevoke(long registry, String id, String reason, boolean replace, long nowMs,
      String actor);
  static native String registryPolicyReport(long registry, long nowMs);
  static native String registryVerifyChain(long registry);
  static native void registryFlush(long registry);
  static native String registryExport(long registry, byte[] key, long nowMs);
  static native void registryImport(long registry, String text, byte[] key);
  static native void registrySetMasterKeys(long registry, String[] ids, byte[][] keys, String current);
  static native long registryIssueSigningSecret(long registry, String id, String algorithm, long nowMs, String actor);
  static native long registrySigningKey(long registry, String id);
  static native long registryIssueWebhookSecret(long registry, String endpoint, long nowMs, String actor);
  static native long registryWebhookSecret(long registry, String endpoint);
  static native long registryReencryptSecrets(long registry, long nowMs, String actor);
  static native void registrySetAlertRecipients(long registry, String[] recipients);
  static native long registryQueueWarnings(long registry, long nowMs);
  static native String[] registryClaimNotifications(long registry, String worker, long limit, long leaseMs, long nowMs);
  static native String registrySettleNotification(long registry, String id, String worker, boolean delivered,
      String error, long nowMs);
  static native String[] registryNotifications(long registry, String id, String status, long limit);

  static native long verifyingKeyHmac(String keyId, byte[] secret);
  static native long verifyingKeyEd25519(String keyId, byte[] publicKey);
  static native String verifyingKeyId(long key);
  static native String verifyingKeyAlgorithm(long key);
  static native boolean verifyingKeyVerify(long key, byte[] message, byte[] signature);
  static native void verifyingKeyFree(long key);
  static native long signingKeyHmac(String keyId, byte[] secret);
  static native long signingKeyEd25519(String keyId, byte[] seed);
  static native long signingKeyGenerate(String keyId, String algorithm);
  static native String signingKeyId(long key);
  static native String signingKeyAlgorithm(long key);
  static native byte[] signingKeyPublic(long key);
  static native byte[] signingKeySecret(long key);
  static native long signingKeyVerifying(long key);
  static native byte[] signingKeySign(long key, byte[] message);
  static native void signingKeyFree(long key);
  static native long keyRingNew();
  static native void keyRingAdd(long ring, long key);
  static native int keyRingSize(long ring);
  static native boolean keyRingContains(long ring, String keyId);
  static native void keyRingFree(long ring);
  static native long nonceCacheNew(long maxEntries);
  static native long nonceCacheSize(long cache);
  static native long nonceCacheMax(long cache);
  static native void nonceCacheFree(long cache);
  static native Object[] signingSign(Object[] message, Object[] request, long key, String label, String[] components,
      boolean hasExpires, long expiresIn, String nonce, boolean generateNonce, String tag, boolean includeAlg,
      String digest, long nowMs);
  static native String[] signingVerify(Object[] message, Object[] request, long ring, long tolerance,
      boolean requireNonce, String[] requiredComponents, String label, boolean requireContentDigest, long nonces,
      long nowMs);
  static native String contentDigest(byte[] body, String algorithm);
  static native boolean verifyContentDigest(String field, byte[] body);

  static native long webhookSecretParse(String text);
  static native long webhookSecretFromBytes(byte[] raw);
  static native long webhookSecretGenerate();
  static native String webhookSecretReveal(long secret);
  static native void webhookSecretFree(long secret);
  static native String webhookSign(long secret, String msgId, long timestamp, byte[] payload);
  static native String[] webhookHeaders(long[] secrets, String msgId, long timestamp, byte[] payload);
  static native String[] webhookVerify(long[] secrets, String msgId, String timestamp, String signature,
      byte[] payload, long nowMs, long tolerance);
}
