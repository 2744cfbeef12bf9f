/**
 * The OpenSearch/Elasticsearch search sink: Vigil's records and raw OTLP logs indexed over the
 * {@code _bulk} NDJSON protocol that Elasticsearch 7/8/9 and OpenSearch 1/2/3 share.
 */
package dev.vigil.sinks.search;
