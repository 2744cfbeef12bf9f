/**
 * The root-cause engine: live service graph, correlation of anomalies into incidents, ranking and
 * alerts, as plain classes testable without Kafka; not public API.
 */
package dev.vigil.rca.internal;
