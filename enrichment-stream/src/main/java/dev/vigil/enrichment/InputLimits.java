package dev.vigil.enrichment;

import java.time.Duration;
import java.util.Objects;

/**
 * What a raw OTLP record must respect to be windowed; a record that does not goes to the DLQ with
 * the reason and counts in {@code vigil_enrichment_rejected_total{source,reason}}.
 *
 * @param maxStringBytes longest string the app keeps (service, metric and span names, metric point
 *     attributes, the span attributes it reads, severity text), in UTF-8 bytes: these end up in
 *     keys, window state and output records, and one of 300 KB would make those exceed Kafka's 1
 *     MiB record limit
 * @param maxPast how far an event time may lie before the record's Kafka timestamp
 * @param maxFuture how far an event time may lie after the record's Kafka timestamp: a time ahead
 *     of it moves the watermark (every on-time record then counts as late) and makes windows whose
 *     timestamps the broker refuses ({@code message.timestamp.after.max.ms}, 1 h by default)
 */
public record InputLimits(int maxStringBytes, Duration maxPast, Duration maxFuture) {
  /** Checks the limits. */
  public InputLimits {
    Objects.requireNonNull(maxPast, "maxPast");
    Objects.requireNonNull(maxFuture, "maxFuture");
    if (maxStringBytes < 64) {
      throw new IllegalArgumentException("maxStringBytes must be >= 64, got " + maxStringBytes);
    }
    if (maxPast.isNegative() || maxFuture.isNegative()) {
      throw new IllegalArgumentException(
          "maxPast and maxFuture must not be negative, got " + maxPast + " and " + maxFuture);
    }
  }

  /**
   * 1,024 bytes; 7 days back (the retention of the signal topics); 55 minutes ahead, under the
   * broker's default {@code message.timestamp.after.max.ms} of 1 h with room for the window's
   * minute (time-compressed simulations run ahead of the wall clock, so it is not tighter).
   */
  public static InputLimits defaults() {
    return new InputLimits(1024, Duration.ofDays(7), Duration.ofMinutes(55));
  }
}
