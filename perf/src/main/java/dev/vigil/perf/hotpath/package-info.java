/**
 * JMH benchmarks of the per-point hot paths of the enrichment stream: OTLP decode, series keys,
 * sketches.
 */
package dev.vigil.perf.hotpath;
