/** Benchmarks of the schemas module's serdes. */
package dev.vigil.perf.schemas;
