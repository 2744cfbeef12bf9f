package dev.vigil.sinks.search;

import java.util.Objects;

/**
 * One document operation of a {@code _bulk} request.
 *
 * @param op index (create or replace), create (only if absent: what data streams accept) or delete
 *     (a tombstone of a compacted topic)
 * @param index target index or data stream
 * @param id deterministic document id, so a redelivered record overwrites or is refused, never
 *     duplicated
 * @param source the document, one line of JSON (no raw newline: JSON escapes them in strings);
 *     empty for delete
 *     <p>Not public API: public only for the benchmark in {@code perf/}.
 */
public record BulkAction(Op op, String index, String id, byte[] source) {
  /** Checks nothing is missing. */
  public BulkAction {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
  }

  /** A delete of one document: no source line. */
  public static BulkAction delete(String index, String id) {
    return new BulkAction(Op.DELETE, index, id, new byte[0]);
  }

  /** The bulk operations the sink uses. */
  public enum Op {
    INDEX("index"),
    CREATE("create"),
    DELETE("delete");

    private final String wireName;

    Op(String wireName) {
      this.wireName = wireName;
    }

    /** The action's name in the metadata line. */
    public String wireName() {
      return wireName;
    }
  }
}
