package dev.vigil.sinks.common;

import java.time.Duration;

/** Waits between retries; tests pass one that records the delays instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  /** The real one. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /** Waits {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
