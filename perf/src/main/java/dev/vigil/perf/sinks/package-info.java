/** Benchmarks of the sink connectors' hot paths. */
package dev.vigil.perf.sinks;
