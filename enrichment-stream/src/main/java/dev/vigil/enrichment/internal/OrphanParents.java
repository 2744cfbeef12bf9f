package dev.vigil.enrichment.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Which (trace, parent span) prefixes may have orphaned children waiting, as 64-bit hashes: a span
 * whose own key is not in here has no orphans, so the pairing skips opening a store iterator for
 * it. False positives (hash collisions, adopted or expired orphans) only cost that iterator.
 */
final class OrphanParents {
  private final Set<Long> hashes = new HashSet<>();

  /** Adds the first {@code length} bytes of {@code key}. */
  void add(byte[] key, int length) {
    hashes.add(hash(key, length));
  }

  /** Whether orphans of the prefix {@code key[0, length)} may be waiting. */
  boolean mayContain(byte[] key, int length) {
    return !hashes.isEmpty() && hashes.contains(hash(key, length));
  }

  int size() {
    return hashes.size();
  }

  void clear() {
    hashes.clear();
  }

  private static long hash(byte[] key, int length) {
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bit
    for (int i = 0; i < length; i++) {
      h ^= key[i] & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
