package cloud.finfusion.keys;

/** Nonces seen recently, for replay protection; bounded, thread-safe. */
public final class NonceCache extends NativeHandle {
  public NonceCache() {
    this(100_000);
  }

  /** Holds at most {@code maxEntries} live nonces (a full cache answers rate_limited). */
  public NonceCache(long maxEntries) {
    super(Native.nonceCacheNew(maxEntries), Native::nonceCacheFree, false);
  }

  public long size() {
    return call(Native::nonceCacheSize);
  }

  public long maxEntries() {
    return call(Native::nonceCacheMax);
  }

  @Override
  public String toString() {
    return isClosed() ? "NonceCache[closed]" : "NonceCache[" + size() + "/" + maxEntries() + "]";
  }
}
