package dev.vigil.anomaly.internal;

import dev.vigil.anomaly.detector.Sense;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.util.List;
import java.util.function.Function;

/**
 * How a window of each signal type is scored: which value, in which transform, which direction is
 * bad, and the smallest spread assumed (in transformed units).
 *
 * <table>
 *   <caption>Scored value per signal type</caption>
 *   <tr><th>type</th><th>value</th><th>transform</th><th>bad</th><th>min spread</th></tr>
 *   <tr><td>LATENCY</td><td>p95 (else p99, p90, p50, mean); and the trimmed mean</td><td>log</td><td>up</td><td>2%</td></tr>
 *   <tr><td>ERRORS</td><td>errors / count</td><td>none</td><td>up</td><td>0.5 points</td></tr>
 *   <tr><td>LOG_ERRORS</td><td>count</td><td>Anscombe</td><td>up</td><td>0.5</td></tr>
 *   <tr><td>SATURATION</td><td>last (else mean, max)</td><td>none</td><td>up</td><td>0</td></tr>
 *   <tr><td>TRAFFIC</td><td>rate (else count)</td><td>log</td><td>down</td><td>2%</td></tr>
 *   <tr><td>BUSINESS</td><td>rate (else sum)</td><td>log</td><td>down</td><td>2%</td></tr>
 *   <tr><td>GAUGE</td><td>last (else mean)</td><td>none</td><td>both</td><td>0</td></tr>
 *   <tr><td>COUNTER</td><td>rate (else sum)</td><td>none</td><td>both</td><td>0</td></tr>
 *   <tr><td>OTHER</td><td>last (else p95, rate, mean)</td><td>none</td><td>both</td><td>0</td></tr>
 * </table>
 *
 * <p>A latency window with a quantile and a trimmed mean is scored on both, each with its own
 * baseline, and the higher score counts. The p95 of a service with ~50 calls a minute is its third
 * slowest call: noisy, so a fault that slows every call by a third moves it by little more than its
 * minute-to-minute spread, while the trimmed mean of the same calls moves by four or five of its
 * own (perf {@code LatencyStatistics}). The plain mean is not used: one 30 s timeout among 50 calls
 * multiplies it, while the trimmed mean leaves the slowest 5% out, as the p95 does.
 */
enum SignalProfile {
  LATENCY(Sense.UP, Transform.LOG, 0.02),
  ERRORS(Sense.UP, Transform.IDENTITY, 0.005),
  LOG_ERRORS(Sense.UP, Transform.ANSCOMBE, 0.5),
  SATURATION(Sense.UP, Transform.IDENTITY, 0),
  TRAFFIC(Sense.DOWN, Transform.LOG, 0.02),
  BUSINESS(Sense.DOWN, Transform.LOG, 0.02),
  GAUGE(Sense.BOTH, Transform.IDENTITY, 0),
  COUNTER(Sense.BOTH, Transform.IDENTITY, 0),
  OTHER(Sense.BOTH, Transform.IDENTITY, 0);

  final Sense sense;
  final Transform transform;
  final double minScale;

  SignalProfile(Sense sense, Transform transform, double minScale) {
    this.sense = sense;
    this.transform = transform;
    this.minScale = minScale;
  }

  static SignalProfile of(SignalType type) {
    return type == null ? OTHER : valueOf(type.name());
  }

  /** A latency window's values in order of preference, each with its name. */
  private static final List<Statistic> LATENCY_STATISTICS =
      List.of(
          new Statistic("p95", SignalWindow::getP95, 0.95),
          new Statistic("p99", SignalWindow::getP99, 0.99),
          new Statistic("p90", SignalWindow::getP90, 0.9),
          new Statistic("p50", SignalWindow::getP50, 0.5),
          new Statistic("mean", SignalProfile::mean, Double.NaN));

  /** A window's value, the name {@link #statistic} gives it, and the quantile it is (NaN: none). */
  private record Statistic(String name, Function<SignalWindow, Double> of, double quantile) {}

  /** Name of the trimmed mean as {@link #statistic} gives it. */
  static final String TRIMMED_MEAN = "trimmedMean";

  /** The value scored for a window, untransformed; {@code null} if the window has none. */
  Double value(SignalWindow w) {
    return switch (this) {
      case LATENCY -> first(latency(w).of().apply(w));
      case ERRORS -> w.getCount() > 0 ? (double) w.getErrors() / w.getCount() : null;
      case LOG_ERRORS -> (double) w.getCount();
      case SATURATION -> first(w.getLast(), mean(w), w.getMax());
      case TRAFFIC -> first(w.getRate(), (double) w.getCount());
      case BUSINESS, COUNTER -> first(w.getRate(), w.getSum());
      case GAUGE -> first(w.getLast(), mean(w));
      case OTHER -> first(w.getLast(), w.getP95(), w.getRate(), mean(w));
    };
  }

  /**
   * Which of the window's values {@link #value} is, for a type with a choice of them: {@code p95},
   * {@code p99}, {@code p90}, {@code p50} or {@code mean} for LATENCY; {@code null} otherwise.
   */
  String statistic(SignalWindow w) {
    return this == LATENCY ? latency(w).name() : null;
  }

  /** The first of {@link #LATENCY_STATISTICS} the window has; the mean when it has none. */
  private static Statistic latency(SignalWindow w) {
    for (Statistic s : LATENCY_STATISTICS) {
      if (finite(s.of().apply(w))) {
        return s;
      }
    }
    return LATENCY_STATISTICS.get(LATENCY_STATISTICS.size() - 1);
  }

  /**
   * Whether the window's quantile is one of its two slowest calls: its rank {@code q·(n−1)}, which
   * the enrichment's sketch answers with the value at index {@code floor(q·(n−1))}, reaches the
   * second slowest of the {@code n} calls, i.e. at most 21 calls for a p95 (11 for a p90, 101 for a
   * p99). Two timeouts then set it.
   */
  boolean quantileIsOfTheTwoSlowestCalls(SignalWindow w) {
    if (this != LATENCY) {
      return false;
    }
    double q = latency(w).quantile();
    long n = w.getCount();
    return !Double.isNaN(q) && q * (n - 1) >= n - 2;
  }

  /**
   * The second value scored for a window, untransformed: a latency window's trimmed mean, when its
   * first value is a quantile; {@code null} otherwise.
   */
  Double second(SignalWindow w) {
    if (this != LATENCY || !finite(w.getTrimmedMean()) || "mean".equals(statistic(w))) {
      return null;
    }
    return w.getTrimmedMean();
  }

  /**
   * Whether the window breaches the SLO the catalog set on its signal: latency above the SLO's
   * threshold, an error ratio above the error budget ({@code 1 - objective}), another signal past
   * its threshold on its bad side. {@code null} when the window carries no SLO that applies.
   */
  Boolean sloBreached(SignalWindow w, double value) {
    if (this == ERRORS) {
      Double objective = w.getSloObjective();
      return objective == null ? null : value > 1 - objective;
    }
    Double threshold = w.getSloThreshold();
    if (threshold == null) {
      return null;
    }
    return switch (sense) {
      case UP -> value > threshold;
      case DOWN -> value < threshold;
      case BOTH -> null;
    };
  }

  private static Double mean(SignalWindow w) {
    return w.getCount() > 0 ? w.getSum() / w.getCount() : null;
  }

  private static boolean finite(Double value) {
    return value != null && Double.isFinite(value);
  }

  private static Double first(Double... candidates) {
    for (Double c : candidates) {
      if (c != null && Double.isFinite(c)) {
        return c;
      }
    }
    return null;
  }
}
