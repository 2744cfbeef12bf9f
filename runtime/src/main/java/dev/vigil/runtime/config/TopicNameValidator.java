package dev.vigil.runtime.config;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts a topic name, or a prefix of one, made of the characters Kafka allows. */
final class TopicNameValidator implements ConfigDef.Validator {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{0,100}");

  private final boolean emptyAllowed;

  /**
   * @param emptyAllowed true for a prefix, which may be empty
   */
  TopicNameValidator(boolean emptyAllowed) {
    this.emptyAllowed = emptyAllowed;
  }

  @Override
  public void ensureValid(String name, Object value) {
    String text = value == null ? "" : value.toString();
    if (!LEGAL.matcher(text).matches() || (!emptyAllowed && text.isEmpty())) {
      throw new ConfigException(
          name, value, "must match " + LEGAL.pattern() + (emptyAllowed ? "" : " and not be empty"));
    }
  }

  @Override
  public String toString() {
    return (emptyAllowed ? "" : "non-empty, ") + "letters, digits, '.', '_' and '-', at most 100";
  }
}
