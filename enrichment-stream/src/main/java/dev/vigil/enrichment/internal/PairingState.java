package dev.vigil.enrichment.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The span pairing's waiting spans and orphans, held in memory and written through to their two
 * changelogged stores, which are read only once, in {@link #init} (start, restore, migration).
 *
 * <p>Why: every span used to cost three store reads (its parent, itself, its orphaned children),
 * each a lookup in the Streams record cache's sorted map and, on a miss, in RocksDB; the profile
 * put them at a third of the enrichment stream thread. The stores still get every put and delete,
 * in the same order as before, so what the changelog holds when a transaction commits is exactly
 * what the processor had seen: a restored task rebuilds this state from the stores.
 *
 * <p>Memory: one map entry per waiting span or orphan (key, encoded span, ~200 bytes), bounded by
 * the pairing's {@code maxPendingSpans} for waiting spans.
 */
final class PairingState {
  private final Map<Bytes, byte[]> pending = new HashMap<>();
  // Orphans by (trace, parent span) prefix: the children waiting for that parent.
  private final Map<Bytes, List<Orphan>> orphansByParent = new HashMap<>();
  private final ExpiryIndex<Bytes> pendingByTime = new ExpiryIndex<>();
  private final ExpiryIndex<Orphan> orphansByTime = new ExpiryIndex<>();
  private KeyValueStore<Bytes, byte[]> pendingStore;
  private KeyValueStore<Bytes, byte[]> orphanStore;
  private long orphanCount;

  /** An orphan: its store key (trace, parent id, own id), its parent prefix, its encoded span. */
  record Orphan(Bytes key, Bytes parent, byte[] value) {}

  /**
   * Loads both stores; returns the largest start time (ms) of what they hold, {@link
   * Long#MIN_VALUE} when empty.
   */
  long init(KeyValueStore<Bytes, byte[]> pendingKv, KeyValueStore<Bytes, byte[]> orphanKv) {
    this.pendingStore = Objects.requireNonNull(pendingKv, "pending store");
    this.orphanStore = Objects.requireNonNull(orphanKv, "orphan store");
    pending.clear();
    orphansByParent.clear();
    pendingByTime.clear();
    orphansByTime.clear();
    orphanCount = 0;
    long latest = Long.MIN_VALUE;
    try (KeyValueIterator<Bytes, byte[]> all = pendingStore.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        long start = SpanRef.decode(entry.value).startMs();
        pending.put(entry.key, entry.value);
        pendingByTime.add(start, entry.key);
        latest = Math.max(latest, start);
      }
    }
    // all() is in key order, so each parent's children are too, as a prefix scan returned them.
    try (KeyValueIterator<Bytes, byte[]> all = orphanStore.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        SpanRef span = SpanRef.decode(entry.value);
        byte[] key = entry.key.get();
        Bytes parent = Bytes.wrap(Arrays.copyOf(key, key.length - span.spanId().length));
        addOrphan(new Orphan(entry.key, parent, entry.value), span.startMs());
      }
    }
    return latest;
  }

  /** The encoded waiting span under {@code key}, or null. */
  byte[] pending(Bytes key) {
    return pending.get(key);
  }

  /** Waiting spans. */
  int pendingCount() {
    return pending.size();
  }

  /** Stores a waiting span (new, or replacing itself, e.g. marked served). */
  void putPending(Bytes key, byte[] value, long startMs) {
    if (pending.put(key, value) == null) {
      pendingByTime.add(startMs, key);
    }
    pendingStore.put(key, value);
  }

  /** Stores an orphan waiting for the parent {@code parent} (trace and parent id). */
  void putOrphan(Bytes key, Bytes parent, byte[] value, long startMs) {
    List<Orphan> siblings = orphansByParent.get(parent);
    if (siblings != null && siblings.removeIf(o -> o.key.equals(key))) {
      orphanCount--;
    }
    addOrphan(new Orphan(key, parent, value), startMs);
    orphanStore.put(key, value);
  }

  /**
   * Removes and returns the orphans waiting for the span {@code own} (trace and span id), in key
   * order (as the store's prefix scan returned them); empty when none.
   */
  List<Orphan> adoptChildren(Bytes own) {
    List<Orphan> children = orphansByParent.remove(own);
    if (children == null) {
      return List.of();
    }
    if (children.size() > 1) {
      children.sort((a, b) -> a.key.compareTo(b.key));
    }
    for (Orphan child : children) {
      orphanStore.delete(child.key);
    }
    orphanCount -= children.size();
    return children;
  }

  /** Removes the waiting spans that started before {@code cutoffMs}; returns their encodings. */
  List<byte[]> expirePending(long cutoffMs) {
    List<byte[]> expired = new ArrayList<>();
    for (Bytes key : pendingByTime.removeBefore(cutoffMs)) {
      byte[] value = pending.remove(key);
      if (value != null) {
        pendingStore.delete(key);
        expired.add(value);
      }
    }
    return expired;
  }

  /** Removes the orphans that started before {@code cutoffMs}; returns how many there were. */
  long expireOrphans(long cutoffMs) {
    long lost = 0;
    for (Orphan orphan : orphansByTime.removeBefore(cutoffMs)) {
      List<Orphan> siblings = orphansByParent.get(orphan.parent);
      // By key, as the store: an orphan adopted meanwhile is gone.
      if (siblings != null && siblings.removeIf(o -> o.key.equals(orphan.key))) {
        if (siblings.isEmpty()) {
          orphansByParent.remove(orphan.parent);
        }
        orphanStore.delete(orphan.key);
        orphanCount--;
        lost++;
      }
    }
    return lost;
  }

  /** Orphans waiting. */
  long orphanCount() {
    return orphanCount;
  }

  private void addOrphan(Orphan orphan, long startMs) {
    orphansByParent.computeIfAbsent(orphan.parent, p -> new ArrayList<>(1)).add(orphan);
    orphansByTime.add(startMs, orphan);
    orphanCount++;
  }
}
