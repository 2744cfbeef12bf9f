/** Benchmarks of the forecast stream's embedded model. */
package dev.vigil.perf.forecast;
