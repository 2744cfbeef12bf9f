/**
 * Processors, state codecs and helpers of the enrichment topology. Not public API: public only so
 * the topology and the benchmarks can reach them.
 */
package dev.vigil.enrichment.internal;
