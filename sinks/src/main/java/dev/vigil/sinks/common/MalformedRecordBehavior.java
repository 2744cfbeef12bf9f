package dev.vigil.sinks.common;

import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** What a sink does with a record it cannot turn into a request (corrupt bytes, wrong type). */
public enum MalformedRecordBehavior {
  /** Stop the task with the reason: nothing is skipped, an operator must act. */
  FAIL,
  /** Log it (throttled), count it and go on. */
  WARN,
  /** Send it to the dead-letter queue through Connect's ErrantRecordReporter, count it, go on. */
  REPORT;

  /** The default: nothing lost, nothing blocked. */
  public static final MalformedRecordBehavior DEFAULT = REPORT;

  /** Case-insensitive; lists the values in generated docs. */
  public static final ConfigDef.Validator VALIDATOR =
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
          return Arrays.toString(
              Arrays.stream(values()).map(MalformedRecordBehavior::toString).toArray());
        }
      };

  /** Parses {@code fail}, {@code warn} or {@code report}, in any case. */
  public static MalformedRecordBehavior parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
