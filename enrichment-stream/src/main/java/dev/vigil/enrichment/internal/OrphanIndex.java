package dev.vigil.enrichment.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * The orphan store's keys by the (trace, parent span) prefix they wait for, so that a span finds
 * its orphaned children with point reads instead of a store iterator.
 *
 * <p>Why not a prefix scan of the store: adopted and expired orphans leave deletion markers in
 * RocksDB, and its iterator steps over every one of them that sorts after the prefix before it
 * finds a live key to stop at. Each scan cost more the longer a task ran (the enrichment thread
 * spent most of its time there after an hour of traces). The index holds exactly the store's keys:
 * it is rebuilt from the store on init and follows every put and delete of the pairing.
 */
final class OrphanIndex {
  private final Map<Bytes, List<Bytes>> byParent = new HashMap<>();

  /** Adds the orphan {@code key}, whose first {@code parentPrefix} bytes are trace and parent. */
  void add(Bytes key, int parentPrefix) {
    List<Bytes> children =
        byParent.computeIfAbsent(parent(key, parentPrefix), p -> new ArrayList<>(2));
    if (!children.contains(key)) { // the same span again: one store entry, so one index entry
      children.add(key);
    }
  }

  /** Removes and returns the keys of the orphans waiting for {@code parent}; empty if none. */
  List<Bytes> take(Bytes parent) {
    List<Bytes> children = byParent.remove(parent);
    return children == null ? List.of() : children;
  }

  /** Forgets the orphan {@code key} (expired), as {@link #add} was given it. */
  void remove(Bytes key, int parentPrefix) {
    Bytes parent = parent(key, parentPrefix);
    List<Bytes> children = byParent.get(parent);
    if (children != null && children.remove(key) && children.isEmpty()) {
      byParent.remove(parent);
    }
  }

  void clear() {
    byParent.clear();
  }

  private static Bytes parent(Bytes key, int parentPrefix) {
    return Bytes.wrap(Arrays.copyOf(key.get(), parentPrefix));
  }
}
