/**
 * The Prometheus remote-write sink: {@code vigil.signals.1m} and {@code vigil.forecasts} as
 * remote-write 1.0 samples (protobuf {@code WriteRequest}, snappy block), names normalised as
 * OpenTelemetry specifies for Prometheus.
 */
package dev.vigil.sinks.prometheus;
