package dev.vigil.anomaly.detector;

/**
 * An online anomaly detector for one time series at a time. The detector itself holds only
 * settings; everything it learns about a series lives in a state object of type {@code S}, which
 * the caller keeps (in a state store, in memory for a replay) and can serialize, so detectors can
 * be swapped, compared or run in ensembles over the same data.
 *
 * <p>Implementations must be deterministic: the same settings and the same points in the same order
 * give the same scores, and nothing reads the wall clock.
 *
 * @param <S> the per-series state
 */
public interface Detector<S> {
  /** Name and version of the algorithm, e.g. {@code seasonal-robust/1}: carried by every event. */
  String id();

  /**
   * A fresh state for a series.
   *
   * @param stepMillis the series' sampling step (window size), at least 1
   * @param minScale the smallest spread the detector assumes, in the units of the values fed, so
   *     that a series that was flat so far does not turn every tiny move into an anomaly
   */
  S newState(long stepMillis, double minScale);

  /**
   * Scores one point and learns from it.
   *
   * @param state the series' state, updated in place
   * @param timestampMillis event time of the point (start of its window)
   * @param value the point's value, finite
   * @param sense which deviations count as anomalous
   * @return the verdict, or {@code null} if the point is not newer than the last one seen (a late
   *     or duplicate point: ignored, the state is unchanged)
   */
  Assessment assess(S state, long timestampMillis, double value, Sense sense);

  /** The state as bytes, for a changelogged store. */
  byte[] serialize(S state);

  /**
   * A state from {@link #serialize} bytes.
   *
   * @throws IllegalArgumentException if the bytes are not a state of this detector
   */
  S deserialize(byte[] bytes);
}
