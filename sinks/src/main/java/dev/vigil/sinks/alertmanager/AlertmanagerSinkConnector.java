package dev.vigil.sinks.alertmanager;

import dev.vigil.sinks.common.SinkVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Posts {@code vigil.alerts} to Alertmanager, keeping firing alerts alive and posting resolutions.
 * See sinks/README.md.
 */
public final class AlertmanagerSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    try {
      new AlertmanagerSinkConfig(props);
    } catch (ConfigException e) {
      throw new ConnectException("invalid Alertmanager sink config: " + e.getMessage(), e);
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return AlertmanagerSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return List.copyOf(configs);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return AlertmanagerSinkConfig.CONFIG_DEF;
  }

  @Override
  public String version() {
    return SinkVersion.get();
  }
}
