package dev.vigil.enrichment;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validated settings the enrichment topology is built from.
 *
 * @param grace how long after a window's end out-of-order data is still folded in
 * @param emitDelay how long after a window's end it is first emitted (0..grace); series changed
 *     after that are emitted again, as revisions, at the end of the grace
 * @param dimensions attribute keys of metric points kept as series dimensions (the allow-list)
 * @param maxSeriesPerService distinct series one service may have in one window; more fold into its
 *     {@code overflow} series
 * @param cumulativeTtl how long the last value of a cumulative series is kept without updates
 * @param pairingTtl how long a span waits for its parent or child before it counts as unpaired
 * @param maxPendingSpans spans one task keeps waiting for pairing; more are refused and counted
 * @param relativeAccuracy relative accuracy of the quantile sketches, e.g. 0.01 for 1 %
 * @param inputLimits what a raw record must respect to be windowed
 */
public record EnrichmentSettings(
    Duration grace,
    Duration emitDelay,
    Set<String> dimensions,
    int maxSeriesPerService,
    Duration cumulativeTtl,
    Duration pairingTtl,
    int maxPendingSpans,
    double relativeAccuracy,
    InputLimits inputLimits) {
  /** Window length of every signal and edge: one minute. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  /** Default dimension allow-list of metric points. */
  public static final List<String> DEFAULT_DIMENSIONS =
      List.of(
          "http.route",
          "http.request.method",
          "http.response.status_code",
          "rpc.service",
          "rpc.method",
          "rpc.grpc.status_code",
          "messaging.destination.name",
          "db.system",
          "db.operation.name",
          "state",
          "direction");

  /** Default emit delay: 5 s after a window's end (or the grace, when that is shorter). */
  public static final Duration DEFAULT_EMIT_DELAY = Duration.ofSeconds(5);

  /**
   * Settings with the default {@link InputLimits} and the default emit delay ({@link
   * #DEFAULT_EMIT_DELAY}, or the grace when that is shorter).
   */
  public EnrichmentSettings(
      Duration grace,
      Set<String> dimensions,
      int maxSeriesPerService,
      Duration cumulativeTtl,
      Duration pairingTtl,
      int maxPendingSpans,
      double relativeAccuracy) {
    this(
        grace,
        grace.compareTo(DEFAULT_EMIT_DELAY) < 0 ? grace : DEFAULT_EMIT_DELAY,
        dimensions,
        maxSeriesPerService,
        cumulativeTtl,
        pairingTtl,
        maxPendingSpans,
        relativeAccuracy,
        InputLimits.defaults());
  }

  /** Checks the settings. */
  public EnrichmentSettings {
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(emitDelay, "emitDelay");
    Objects.requireNonNull(inputLimits, "inputLimits");
    Objects.requireNonNull(cumulativeTtl, "cumulativeTtl");
    Objects.requireNonNull(pairingTtl, "pairingTtl");
    dimensions = Set.copyOf(Objects.requireNonNull(dimensions, "dimensions"));
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
    if (emitDelay.isNegative() || emitDelay.compareTo(grace) > 0) {
      throw new IllegalArgumentException(
          "emitDelay must be in [0, grace " + grace + "], got " + emitDelay);
    }
    if (maxSeriesPerService < 1) {
      throw new IllegalArgumentException(
          "maxSeriesPerService must be >= 1, got " + maxSeriesPerService);
    }
    if (cumulativeTtl.compareTo(WINDOW) < 0) {
      throw new IllegalArgumentException("cumulativeTtl must be >= 1 minute, got " + cumulativeTtl);
    }
    if (pairingTtl.isNegative() || pairingTtl.isZero()) {
      throw new IllegalArgumentException("pairingTtl must be positive, got " + pairingTtl);
    }
    if (maxPendingSpans < 1) {
      throw new IllegalArgumentException("maxPendingSpans must be >= 1, got " + maxPendingSpans);
    }
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new IllegalArgumentException(
          "relativeAccuracy must be in (0, 1), got " + relativeAccuracy);
    }
  }

  /**
   * The defaults: 30 s grace, first emission 5 s after a window's end, 2,000 series per service, 1
   * % sketch accuracy.
   */
  public static EnrichmentSettings defaults() {
    return new EnrichmentSettings(
        Duration.ofSeconds(30),
        Set.copyOf(DEFAULT_DIMENSIONS),
        2_000,
        Duration.ofMinutes(15),
        Duration.ofSeconds(30),
        100_000,
        0.01);
  }

  /** A copy with another grace (and the same emit delay, which must not exceed it). */
  public EnrichmentSettings withGrace(Duration newGrace) {
    return new EnrichmentSettings(
        newGrace,
        emitDelay,
        dimensions,
        maxSeriesPerService,
        cumulativeTtl,
        pairingTtl,
        maxPendingSpans,
        relativeAccuracy,
        inputLimits);
  }

  /** A copy with another emit delay (0..grace). */
  public EnrichmentSettings withEmitDelay(Duration newEmitDelay) {
    return new EnrichmentSettings(
        grace,
        newEmitDelay,
        dimensions,
        maxSeriesPerService,
        cumulativeTtl,
        pairingTtl,
        maxPendingSpans,
        relativeAccuracy,
        inputLimits);
  }

  /** A copy with other input limits. */
  public EnrichmentSettings withInputLimits(InputLimits limits) {
    return new EnrichmentSettings(
        grace,
        emitDelay,
        dimensions,
        maxSeriesPerService,
        cumulativeTtl,
        pairingTtl,
        maxPendingSpans,
        relativeAccuracy,
        limits);
  }

  /** A copy with another cap on series per service and window. */
  public EnrichmentSettings withMaxSeriesPerService(int max) {
    return new EnrichmentSettings(
        grace,
        emitDelay,
        dimensions,
        max,
        cumulativeTtl,
        pairingTtl,
        maxPendingSpans,
        relativeAccuracy,
        inputLimits);
  }
}
