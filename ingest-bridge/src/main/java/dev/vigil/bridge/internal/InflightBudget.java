package dev.vigil.bridge.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes of requests accepted but not yet acknowledged by Kafka. It never waits: a
 * request that does not fit is refused at once, so a slow or dead broker turns into fast 429s for
 * clients (who retry later) instead of a growing heap.
 */
public final class InflightBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param limit bytes that may be in flight at once
   */
  public InflightBudget(long limit) {
    this.limit = limit;
  }

  /**
   * Takes {@code bytes} from the budget if they fit. A single request larger than the whole budget
   * is let through when nothing else is in flight, so it cannot be refused forever.
   */
  public boolean tryAcquire(long bytes) {
    while (true) {
      long current = used.get();
      if (current > 0 && current + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  /** Returns bytes taken by {@link #tryAcquire}. */
  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes in flight now. */
  public long used() {
    return used.get();
  }
}
