package dev.vigil.anomaly.internal;

import dev.vigil.schemas.SignalType;

/**
 * One scored window of one series, passed from the series detector to service health.
 *
 * @param type the signal's type
 * @param score direction-aware calibrated score
 * @param windowStart start of the window
 * @param windowEnd end of the window
 */
record Scored(SignalType type, double score, long windowStart, long windowEnd) {}
