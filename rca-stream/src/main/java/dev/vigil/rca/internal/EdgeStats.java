package dev.vigil.rca.internal;

import dev.vigil.schemas.EdgeWindow;

/**
 * One edge of the live service graph: its latest window, its own recent baseline and the worst
 * degradation its callers saw lately. Immutable; {@link #next} returns the updated edge.
 *
 * <p>The baseline is an exponentially weighted mean of the edge's windows. Windows that look
 * healthy move it fast ({@value #ALPHA_HEALTHY}); degraded ones barely ({@value #ALPHA_DEGRADED}),
 * so an incident does not become the new normal within minutes, while a lasting shift still does
 * within hours. Latency ratios use a floor of {@value #LATENCY_FLOOR_MS} ms so that 1 ms becoming 3
 * ms is not a "x3".
 *
 * @param client calling service
 * @param server called service or virtual node
 * @param kind what the server is (SERVICE, DATABASE, ...)
 * @param lastWindowEnd end of the latest window, epoch millis
 * @param calls calls in the latest window
 * @param errors errors in the latest window
 * @param p99 latest p99 latency in ms, -1 when unknown
 * @param baselineP99 baseline p99 in ms, -1 when unknown
 * @param baselineErrorRate baseline error ratio
 * @param windows windows seen
 * @param peakLatencyRatio worst p99 ratio since {@code peakAt}
 * @param peakErrorIncrease worst error-ratio increase over the baseline since {@code peakAt}
 * @param peakP99 p99 at the worst latency ratio
 * @param peakErrorRate error ratio at the worst error increase
 * @param peakAt end of the latest degraded window (or of the first window), epoch millis
 * @param peakBaselineP99 the baseline p99 when the latency peak was set
 * @param peakBaselineErrorRate the baseline error ratio when the error peak was set
 * @param previous the edge before its latest window (itself without a previous), so that a revision
 *     of the latest window can replace it; null for an edge's first window and for states stored
 *     before revisions existed
 */
public record EdgeStats(
    String client,
    String server,
    String kind,
    long lastWindowEnd,
    long calls,
    long errors,
    double p99,
    double baselineP99,
    double baselineErrorRate,
    int windows,
    double peakLatencyRatio,
    double peakErrorIncrease,
    double peakP99,
    double peakErrorRate,
    long peakAt,
    double peakBaselineP99,
    double peakBaselineErrorRate,
    EdgeStats previous) {
  static final double ALPHA_HEALTHY = 0.2;
  static final double ALPHA_DEGRADED = 0.02;
  static final double LATENCY_FLOOR_MS = 2.0;
  private static final int WARM_UP_WINDOWS = 3;
  private static final double DEGRADED_RATIO = 1.5;
  private static final double DEGRADED_ERROR_INCREASE = 0.02;
  private static final double ERROR_HALF_SCORE = 0.05;

  /** The edge as first seen. */
  public static EdgeStats first(String client, String server, EdgeWindow w) {
    double p99 = w.getP99() == null ? -1 : w.getP99();
    double rate = rate(w.getErrors(), w.getCalls());
    return new EdgeStats(
        client,
        server,
        w.getServerKind().name(),
        w.getWindowEnd().toEpochMilli(),
        w.getCalls(),
        w.getErrors(),
        p99,
        p99,
        rate,
        1,
        1.0,
        0.0,
        p99,
        rate,
        w.getWindowEnd().toEpochMilli(),
        p99,
        rate,
        null);
  }

  /**
   * The edge after one more window. A window newer than the latest is folded in. A revision ({@code
   * revision > 0}) of the latest window replaces it: the result is the edge as if the revised
   * window had been the only emission of that window, so the baseline and the peak take the final
   * values once, never both emissions. Anything else (an older window, or a revision this edge
   * cannot replace) is ignored: this is returned.
   *
   * @param w the window
   * @param peakMemory how long a peak is remembered before the current window replaces it
   */
  public EdgeStats next(EdgeWindow w, long peakMemory) {
    long end = w.getWindowEnd().toEpochMilli();
    if (end > lastWindowEnd) {
      return advance(w, peakMemory);
    }
    if (end == lastWindowEnd && w.getRevision() > 0) {
      if (previous != null) {
        return previous.advance(w, peakMemory);
      }
      if (windows == 1) {
        return first(client, server, w);
      }
    }
    return this;
  }

  /** Whether {@code w} is a revision that {@link #next} folds in as a replacement. */
  public boolean replaces(EdgeWindow w) {
    return w.getRevision() > 0
        && w.getWindowEnd().toEpochMilli() == lastWindowEnd
        && (previous != null || windows == 1);
  }

  private EdgeStats advance(EdgeWindow w, long peakMemory) {
    long end = w.getWindowEnd().toEpochMilli();
    double newP99 = w.getP99() == null ? -1 : w.getP99();
    double rate = rate(w.getErrors(), w.getCalls());
    double ratio = ratio(newP99, baselineP99);
    double increase = Math.max(0, rate - baselineErrorRate);
    boolean degraded = ratio >= DEGRADED_RATIO || increase >= DEGRADED_ERROR_INCREASE;
    double alpha = windows < WARM_UP_WINDOWS ? 0.5 : degraded ? ALPHA_DEGRADED : ALPHA_HEALTHY;
    double newBaselineP99 =
        newP99 < 0 ? baselineP99 : baselineP99 < 0 ? newP99 : ewma(baselineP99, newP99, alpha);
    double newBaselineRate = ewma(baselineErrorRate, rate, alpha);
    // The peak is the worst of the current degradation episode: it is kept while the edge was
    // degraded within peakMemory, and starts over after that.
    boolean fresh = end - peakAt <= peakMemory;
    double pRatio = fresh ? peakLatencyRatio : 1.0;
    double pP99 = fresh ? peakP99 : newP99;
    double pBaseP99 = fresh ? peakBaselineP99 : baselineP99;
    double pInc = fresh ? peakErrorIncrease : 0.0;
    double pRate = fresh ? peakErrorRate : rate;
    double pBaseRate = fresh ? peakBaselineErrorRate : baselineErrorRate;
    if (ratio >= pRatio) {
      pRatio = ratio;
      pP99 = newP99;
      pBaseP99 = baselineP99;
    }
    if (increase >= pInc) {
      pInc = increase;
      pRate = rate;
      pBaseRate = baselineErrorRate;
    }
    long pAt = degraded ? end : peakAt;
    return new EdgeStats(
        client,
        server,
        w.getServerKind().name(),
        end,
        w.getCalls(),
        w.getErrors(),
        newP99,
        newBaselineP99,
        newBaselineRate,
        windows + 1,
        pRatio,
        pInc,
        pP99,
        pRate,
        pAt,
        pBaseP99,
        pBaseRate,
        withoutPrevious());
  }

  /** This edge without its own previous: what the next window keeps to be revised against. */
  private EdgeStats withoutPrevious() {
    if (previous == null) {
      return this;
    }
    return new EdgeStats(
        client,
        server,
        kind,
        lastWindowEnd,
        calls,
        errors,
        p99,
        baselineP99,
        baselineErrorRate,
        windows,
        peakLatencyRatio,
        peakErrorIncrease,
        peakP99,
        peakErrorRate,
        peakAt,
        peakBaselineP99,
        peakBaselineErrorRate,
        null);
  }

  /** Latest p99 over the baseline, 1 when either is unknown. */
  public double latencyRatio() {
    return ratio(p99, baselineP99);
  }

  /** Error ratio of the latest window. */
  public double errorRate() {
    return rate(errors, calls);
  }

  /**
   * How degraded the edge looked at its recent worst, in [0,1): a p99 ratio r scores (r-1)/(r+1)
   * (x2 is 0.33, x8 is 0.78), an error-ratio increase d scores d/(d+0.05) (5 points is 0.5, 45
   * points is 0.9); the larger of the two.
   */
  public double degradation() {
    double latency = peakLatencyRatio > 1 ? (peakLatencyRatio - 1) / (peakLatencyRatio + 1) : 0;
    double error = peakErrorIncrease / (peakErrorIncrease + ERROR_HALF_SCORE);
    return Math.max(latency, error);
  }

  /** Whether the edge was degraded within {@code horizon} before {@code now}. */
  public boolean peakSeenWithin(long now, long horizon) {
    return now - peakAt <= horizon;
  }

  private static double ratio(double value, double baseline) {
    if (value < 0 || baseline < 0) {
      return 1.0;
    }
    return (value + LATENCY_FLOOR_MS) / (baseline + LATENCY_FLOOR_MS);
  }

  private static double rate(long errors, long calls) {
    return calls <= 0 ? 0 : Math.min(1.0, (double) errors / calls);
  }

  private static double ewma(double old, double value, double alpha) {
    return old + alpha * (value - old);
  }
}
