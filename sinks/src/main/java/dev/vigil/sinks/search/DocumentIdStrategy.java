package dev.vigil.sinks.search;

import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Where a document's id comes from; either way a redelivered record gets the id it had. */
enum DocumentIdStrategy {
  /**
   * The record key for compacted topics (incidents, alerts, the service catalog), so the index
   * holds the latest version per key as the topic does; key plus {@code windowStart} for signal and
   * edge windows, so a window's revision (enrichment's early emission) replaces its first emission;
   * topic-partition-offset for the others, whose keys repeat (every anomaly of a service has the
   * service as key).
   */
  AUTO,
  /** The record key: one document per key, later records replace it. */
  KEY,
  /** {@code topic+partition+offset}: one document per record. */
  OFFSET;

  static final DocumentIdStrategy DEFAULT = AUTO;

  /** Case-insensitive; lists the values in generated docs. */
  static final ConfigDef.Validator VALIDATOR =
      new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
          try {
            parse(String.valueOf(value));
          } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "must be one of " + this);
          }
        }

        @Override
        public String toString() {
          return Arrays.toString(Arrays.stream(values()).map(Object::toString).toArray());
        }
      };

  static DocumentIdStrategy parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
