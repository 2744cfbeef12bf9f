package dev.vigil.sinks.prometheus;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The newest timestamp the receiver accepted per series, in this task.
 *
 * <p>Prometheus refuses a sample older than the newest of its series (400 "out of order") and fails
 * the whole request for it. After a redelivery (task restart, rebalance, retried put) the sink
 * would resend samples it already wrote; this memory lets it drop them before sending. It starts
 * empty: what a restarted task cannot know, it learns from the receiver's answers (see {@link
 * PrometheusWriter}).
 */
final class WrittenSeries {
  private final Map<SeriesId, Long> newest = new HashMap<>();

  /** What a filter left out. */
  record Filtered(int stale, int duplicates) {}

  /**
   * Removes from {@code samples} every timestamp at or before the newest written one.
   *
   * @return how many were older (stale) and how many equal (already written)
   */
  Filtered removeWritten(SeriesId series, NavigableMap<Long, Double> samples) {
    Long written = newest.get(series);
    if (written == null) {
      return new Filtered(0, 0);
    }
    NavigableMap<Long, Double> old = samples.headMap(written, true);
    int duplicates = old.containsKey(written) ? 1 : 0;
    int stale = old.size() - duplicates;
    old.clear();
    return new Filtered(stale, duplicates);
  }

  /** Notes that the receiver accepted samples of {@code series} up to {@code timestamp}. */
  void accepted(SeriesId series, long timestamp) {
    newest.merge(series, timestamp, Math::max);
  }

  /** Series remembered. */
  int size() {
    return newest.size();
  }
}
