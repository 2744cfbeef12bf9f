package dev.vigil.sinks.common;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt {@code n} (0-based) waits a random time between half and
 * all of {@code min(max, initial * 2^n)}, so tasks that failed together do not retry together. A
 * server's {@code Retry-After} wins over the computed delay, up to {@link #RETRY_AFTER_CAP}.
 *
 * @param maxRetries retries after the first attempt; 0 disables retrying
 * @param initialBackoff delay before the first retry (before jitter)
 * @param maxBackoff ceiling of the computed delay
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
  /** The longest {@code Retry-After} honoured; a longer one is cut to this: {@value} seconds. */
  public static final long RETRY_AFTER_CAP_SECONDS = 60;

  /** {@link #RETRY_AFTER_CAP_SECONDS} as a duration. */
  public static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(RETRY_AFTER_CAP_SECONDS);

  /** Checks the bounds. */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + ", " + maxBackoff);
    }
  }

  /**
   * The delay before retry {@code attempt} (0 = the first retry).
   *
   * @param retryAfter what the server asked for, if it did
   */
  public Duration delay(int attempt, Optional<Duration> retryAfter, RandomGenerator random) {
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get();
      return asked.compareTo(RETRY_AFTER_CAP) > 0 ? RETRY_AFTER_CAP : asked;
    }
    long ceiling = initialBackoff.toMillis() << Math.min(attempt, 30);
    if (ceiling <= 0 || ceiling > maxBackoff.toMillis()) {
      ceiling = maxBackoff.toMillis();
    }
    long half = ceiling / 2;
    return Duration.ofMillis(
        half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
  }
}
