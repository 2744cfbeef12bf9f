package dev.vigil.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record's schema, read from {@code dev/vigil/schemas/history/}.
 *
 * <p>A released schema is never edited: a change to a value schema adds {@code <Name>.v<N+1>.avsc}
 * beside the older ones (the build checks that the newest version equals the generated class).
 * Decoders know every version, so records written by an older release still decode.
 */
public final class SchemaHistory {
  private static final String ROOT = "/dev/vigil/schemas/history/";

  private SchemaHistory() {}

  /**
   * Loads versions v1, v2, ... of a record's schema, oldest first.
   *
   * @param recordName the simple name of the record, e.g. {@code ServiceInfo}
   * @return the released schemas, oldest first; empty if none was released yet
   */
  public static List<Schema> versions(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = resource(recordName, v);
      try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
        if (in == null) {
          return List.copyOf(versions);
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read released schema " + path, e);
      }
    }
  }

  /** The classpath resource that holds version {@code version} of a record's schema. */
  public static String resource(String recordName, int version) {
    return ROOT + recordName + ".v" + version + ".avsc";
  }
}
