package dev.vigil.runtime.streams;

import java.util.Locale;

/** Where in a Streams app a record failed; recorded in the DLQ headers and metric tags. */
public enum ErrorStage {
  /** The input record's bytes could not be read. */
  DESERIALIZATION,
  /** A processor threw while handling the record. */
  PROCESSING,
  /** An output record could not be serialized. */
  SERIALIZATION,
  /** The broker refused an output record (e.g. too large). */
  PRODUCTION;

  /** Lower-case name, as used in headers and tags. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
