/** Benchmarks of the rca-stream's engine: graph folding, ranking and evaluation. */
package dev.vigil.perf.rca;
