package dev.vigil.runtime.config;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts a topic-name prefix made of the characters Kafka allows in topic names. */
final class TopicPrefixValidator implements ConfigDef.Validator {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{0,100}");

  @Override
  public void ensureValid(String name, Object value) {
    if (value != null && !LEGAL.matcher(value.toString()).matches()) {
      throw new ConfigException(name, value, "must match " + LEGAL.pattern());
    }
  }

  @Override
  public String toString() {
    return "letters, digits, '.', '_' and '-', at most 100";
  }
}
