package dev.vigil.sinks.prometheus;

/**
 * One value of one series at one time, with the Kafka record it came from.
 *
 * @param series the series
 * @param timestampMillis milliseconds since the epoch
 * @param value the value
 */
public record Sample(SeriesId series, long timestampMillis, double value) {}
