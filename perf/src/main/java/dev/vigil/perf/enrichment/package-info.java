/** End-to-end throughput and state size of the enrichment stream on a real broker. */
package dev.vigil.perf.enrichment;
