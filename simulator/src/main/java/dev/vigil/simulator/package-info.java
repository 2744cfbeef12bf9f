/**
 * The e-commerce simulator: a service graph with daily traffic, emitting traces, metrics and logs
 * through the real OpenTelemetry SDK exporters over OTLP, the service catalog and deploy events to
 * Kafka, with faults injected on a timeline.
 */
package dev.vigil.simulator;
