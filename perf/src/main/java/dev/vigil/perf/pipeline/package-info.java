/**
 * The end-to-end harness: broker, bridge and every stream app in one JVM as {@code vigil up} runs
 * them, driven over OTLP at increasing rates, with the raw Kafka ceiling measured in the same run.
 */
package dev.vigil.perf.pipeline;
