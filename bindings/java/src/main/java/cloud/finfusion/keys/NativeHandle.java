package cloud.finfusion.keys;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * A core object owned through a {@code long} handle: freed exactly once, by {@link #close()}
 * or, for one never closed, by a {@link Cleaner} after it becomes unreachable.
 *
 * <p>Calls run under a read lock and {@code close()} under the write lock, so an object is
 * never freed while a call is using it; a call after {@code close()} is an
 * IllegalStateException. Objects the core does not make thread-safe (a Registry, a KeyRing
 * being added to) pass {@code exclusive}, and their calls take the write lock instead.
 */
abstract class NativeHandle implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  // The state the Cleaner frees: it must not refer back to the NativeHandle.
  private static final class State implements Runnable {
    private long handle;
    private final LongConsumer free;

    State(long handle, LongConsumer free) {
      this.handle = handle;
      this.free = free;
    }

    @Override
    public synchronized void run() {
      if (handle != 0) {
        free.accept(handle);
        handle = 0;
      }
    }
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final boolean exclusive;
  private final State state;
  private final Cleaner.Cleanable cleanable;

  NativeHandle(long handle, LongConsumer free, boolean exclusive) {
    if (handle == 0) throw new IllegalStateException("the core returned no object");
    this.exclusive = exclusive;
    this.state = new State(handle, free);
    this.cleanable = CLEANER.register(this, state);
  }

  /** Runs {@code call} with the live handle, under this object's lock. */
  final <T> T call(LongFunction<T> call) {
    return call(call, exclusive);
  }

  /** The same, under the write lock whatever the object's mode (for mutations). */
  final <T> T callExclusive(LongFunction<T> call) {
    return call(call, true);
  }

  private <T> T call(LongFunction<T> call, boolean write) {
    Lock l = write ? lock.writeLock() : lock.readLock();
    l.lock();
    try {
      long h = state.handle;
      if (h == 0) throw new IllegalStateException(getClass().getSimpleName() + " is closed");
      return call.apply(h);
    } finally {
      l.unlock();
      Reference.reachabilityFence(this);
    }
  }

  /** Whether {@link #close()} has run. */
  public final boolean isClosed() {
    lock.readLock().lock();
    try {
      return state.handle == 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Frees the native object (wiping any secret it holds). Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      cleanable.clean();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
