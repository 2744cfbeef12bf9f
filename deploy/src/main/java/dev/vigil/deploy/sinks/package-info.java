/** The sink connectors of {@code vigil up}, run in an embedded Kafka Connect worker. */
package dev.vigil.deploy.sinks;
