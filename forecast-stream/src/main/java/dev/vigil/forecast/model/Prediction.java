package dev.vigil.forecast.model;

/**
 * A forecast from one origin: mean and 80% interval for steps 1..h after it.
 *
 * @param origin timestamp of the last observed point used
 * @param stepMillis distance between points
 * @param mean point forecasts
 * @param lo lower bounds of the 80% intervals
 * @param hi upper bounds of the 80% intervals
 * @param mase the model's rolling MASE on this series, NaN if not known yet
 */
public record Prediction(
    long origin, long stepMillis, double[] mean, double[] lo, double[] hi, double mase) {
  /** Timestamp of point {@code i} (0-based: step i+1). */
  public long timestamp(int i) {
    return origin + (i + 1) * stepMillis;
  }

  /** Points in the forecast. */
  public int size() {
    return mean.length;
  }
}
