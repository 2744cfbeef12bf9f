package dev.vigil.enrichment.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Store keys ordered by event time, so that expiry visits only what has expired instead of scanning
 * and decoding a whole store. Entries may outlive their store entry (deleted meanwhile): callers
 * check the store for each key they get back.
 *
 * @param <K> the key type
 */
final class ExpiryIndex<K> {
  private final TreeMap<Long, List<K>> byTime = new TreeMap<>();

  /** Remembers {@code key} as due at {@code timeMs} plus the caller's TTL. */
  void add(long timeMs, K key) {
    byTime.computeIfAbsent(timeMs, t -> new ArrayList<>(2)).add(key);
  }

  /** Removes and returns every key whose time is before {@code cutoffMs}, oldest first. */
  List<K> removeBefore(long cutoffMs) {
    List<K> due = new ArrayList<>();
    var head = byTime.headMap(cutoffMs, false);
    for (Map.Entry<Long, List<K>> entry : head.entrySet()) {
      due.addAll(entry.getValue());
    }
    head.clear();
    return due;
  }

  void clear() {
    byTime.clear();
  }
}
