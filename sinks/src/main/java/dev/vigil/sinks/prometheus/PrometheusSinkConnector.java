package dev.vigil.sinks.prometheus;

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
 * Writes {@code vigil.signals.1m} and {@code vigil.forecasts} to a Prometheus remote-write receiver
 * (Prometheus, VictoriaMetrics, Mimir, Thanos Receive). See sinks/README.md.
 */
public final class PrometheusSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    try {
      new PrometheusSinkConfig(props);
    } catch (ConfigException e) {
      throw new ConnectException("invalid Prometheus sink config: " + e.getMessage(), e);
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PrometheusSinkTask.class;
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
    return PrometheusSinkConfig.CONFIG_DEF;
  }

  @Override
  public String version() {
    return SinkVersion.get();
  }
}
