/** Benchmarks of the anomaly stream's detector. */
package dev.vigil.perf.anomaly;
