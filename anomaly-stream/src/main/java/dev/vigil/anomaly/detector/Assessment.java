package dev.vigil.anomaly.detector;

/**
 * A detector's verdict on one point, with its explanation. Values are in the units the detector was
 * fed (callers that transform a signal before scoring transform the band back).
 *
 * @param score calibrated anomaly score in [0,1]; 0 during warm-up
 * @param statistic signed robust z-statistic behind the score (positive: above expected)
 * @param expected the baseline's prediction for this point
 * @param lower lower bound of the expected band
 * @param upper upper bound of the expected band
 * @param warm whether the series had its minimum history, so the score can alert
 * @param relearned whether this point made the detector accept a lasting level shift
 */
public record Assessment(
    double score,
    double statistic,
    double expected,
    double lower,
    double upper,
    boolean warm,
    boolean relearned) {}
