package dev.vigil.sinks.common;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Renders {@code docs/sinks-configuration.md} from the ConfigDefs of every connector registered in
 * {@code META-INF/services}, so the reference cannot drift from the code (a test compares).
 */
public final class SinksConfigDocs {
  private SinksConfigDocs() {}

  /** The whole document. */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Sink connector configuration\n\n")
        .append("Generated from the connectors' ConfigDefs; a test fails when this file and the ")
        .append(
            "code disagree (it writes the expected file to sinks/target/sinks-configuration.md).")
        .append("\nConnect's own keys (name, connector.class, tasks.max, topics, errors.*, ")
        .append("key.converter, value.converter) come on top; see sinks/README.md.\n");
    List<SinkConnector> connectors =
        ServiceLoader.load(SinkConnector.class, SinksConfigDocs.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .filter(c -> c.getClass().getName().startsWith("dev.vigil.sinks."))
            .sorted(Comparator.comparing(c -> c.getClass().getSimpleName()))
            .toList();
    for (SinkConnector connector : connectors) {
      out.append("\n## ")
          .append(connector.getClass().getSimpleName())
          .append("\n\n`connector.class=")
          .append(connector.getClass().getName())
          .append("`\n\n")
          .append(table(connector.config()));
    }
    return out.toString();
  }

  /** One table row per key, in group and definition order. */
  public static String table(ConfigDef definition) {
    StringBuilder out = new StringBuilder();
    out.append("| key | type | default | allowed | importance | description |\n");
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
          .append("` | ")
          .append(key.type.name().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(defaultOf(key))
          .append(" | ")
          .append(key.validator == null ? "" : escape(key.validator.toString()))
          .append(" | ")
          .append(key.importance.name().toLowerCase(Locale.ROOT))
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
        key.defaultValue instanceof Password password
            ? password.value()
            : String.valueOf(key.defaultValue);
    return value.isEmpty() ? "(empty)" : "`" + value + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
