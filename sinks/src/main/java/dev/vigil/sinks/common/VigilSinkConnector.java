package dev.vigil.sinks.common;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * What every Vigil sink connector does alike: validate its settings at start (a bad setting fails
 * the connector with the key named, before any task runs), give every task the same settings (a
 * task works on whatever partitions Connect assigns it), and report the plugin version.
 */
public abstract class VigilSinkConnector extends SinkConnector {
  private final String what;
  private final ConfigDef configDef;
  private final Class<? extends Task> taskClass;
  private final Consumer<Map<String, String>> validate;
  private Map<String, String> props;

  /**
   * @param what the sink's name for messages, e.g. {@code "Prometheus sink"}
   * @param configDef its settings
   * @param taskClass its task
   * @param validate parses the settings, throwing {@link ConfigException} when they are invalid
   */
  protected VigilSinkConnector(
      String what,
      ConfigDef configDef,
      Class<? extends Task> taskClass,
      Consumer<Map<String, String>> validate) {
    this.what = Objects.requireNonNull(what, "what");
    this.configDef = Objects.requireNonNull(configDef, "configDef");
    this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
    this.validate = Objects.requireNonNull(validate, "validate");
  }

  @Override
  public void start(Map<String, String> props) {
    try {
      validate.accept(props);
    } catch (ConfigException e) {
      throw new ConnectException("invalid " + what + " config: " + e.getMessage(), e);
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return taskClass;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {
    // Nothing held: the tasks own their connections.
  }

  @Override
  public ConfigDef config() {
    return configDef;
  }

  @Override
  public String version() {
    return SinkVersion.get();
  }
}
