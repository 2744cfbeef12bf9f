package dev.vigil.sinks.search;

import dev.vigil.sinks.common.SinkTaskMetrics;
import dev.vigil.sinks.common.SinkTaskMetrics.Counter;

/**
 * The search task's counters, published as Connect plugin metrics.
 *
 * @param indexed documents indexed (or deleted)
 * @param duplicates creates refused with 409 because the id was there: redeliveries
 * @param retried documents sent again after a 429 or 5xx
 * @param malformed records that could not be read or whose documents were refused
 * @param requests {@code _bulk} requests sent
 */
record SearchCounters(
    Counter indexed, Counter duplicates, Counter retried, Counter malformed, Counter requests) {

  static SearchCounters register(SinkTaskMetrics metrics) {
    return new SearchCounters(
        metrics.counter("documents-indexed", "Documents indexed, deleted or replaced"),
        metrics.counter(
            "documents-duplicate", "Creates refused as already there (redelivered records)"),
        metrics.counter("documents-retried", "Documents sent again after 429 or 5xx"),
        metrics.counter("malformed-records", "Records unreadable or whose documents were refused"),
        metrics.counter("requests", "_bulk requests sent"));
  }
}
