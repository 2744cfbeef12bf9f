package dev.vigil.runtime.config;

import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Renders a configuration definition as a Markdown reference, so the docs cannot drift. */
public final class ConfigReference {
  private ConfigReference() {}

  /** One table row per key, grouped and ordered as defined. */
  public static String markdown(ConfigDef definition) {
    StringBuilder out = new StringBuilder();
    out.append("| key | environment variable | type | default | allowed | description |\n");
    out.append("|---|---|---|---|---|---|\n");
    List<ConfigDef.ConfigKey> keys =
        definition.configKeys().values().stream()
            .sorted(
                Comparator.comparingInt(
                        (ConfigDef.ConfigKey k) -> definition.groups().indexOf(k.group))
                    .thenComparingInt(k -> k.orderInGroup))
            .toList();
    for (ConfigDef.ConfigKey key : keys) {
      out.append("| `")
          .append(key.name)
          .append("` | `")
          .append(ConfigSources.envNameOf(key.name))
          .append("` | ")
          .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(defaultOf(key))
          .append(" | ")
          .append(key.validator == null ? "" : escape(key.validator.toString()))
          .append(" | ")
          .append(escape(key.documentation))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    String value =
        key.defaultValue instanceof org.apache.kafka.common.config.types.Password password
            ? password.value()
            : String.valueOf(key.defaultValue);
    return value.isEmpty() ? "(empty)" : "`" + value + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }
}
