/**
 * {@code vigil replay otlp}: recorded OTLP telemetry through the live topologies on an embedded
 * broker, in event time.
 */
package dev.vigil.deploy.replay;
