/**
 * The enrichment stream: OTLP metrics, spans and logs to enriched 1-minute signals ({@code
 * vigil.signals.1m}) and service-graph edges ({@code vigil.edges.1m}).
 */
package dev.vigil.enrichment;
