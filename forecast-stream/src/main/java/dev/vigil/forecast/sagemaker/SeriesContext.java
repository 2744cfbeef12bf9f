package dev.vigil.forecast.sagemaker;

/**
 * The history of one series sent to DeepAR.
 *
 * @param start timestamp of the first value
 * @param stepMillis distance between values
 * @param target values, oldest first; NaN where a step is missing
 */
public record SeriesContext(long start, long stepMillis, double[] target) {
  /** Timestamp of the last value: the forecast's origin. */
  public long origin() {
    return start + (target.length - 1L) * stepMillis;
  }
}
