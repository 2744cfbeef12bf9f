package dev.vigil.sinks.search;

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
 * Indexes Vigil's topics (anomalies, incidents, alerts, signals...) and raw OTLP logs into
 * Elasticsearch 7.10+/8/9 or OpenSearch 1/2/3 over the {@code _bulk} API. See the module README for
 * the configuration and what each index holds.
 */
public final class SearchSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    try {
      new SearchSinkConfig(props);
    } catch (ConfigException e) {
      throw new ConnectException("invalid search sink config: " + e.getMessage(), e);
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return SearchSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {
    // Nothing held: the tasks own their connections.
  }

  @Override
  public ConfigDef config() {
    return SearchSinkConfig.CONFIG_DEF;
  }

  @Override
  public String version() {
    return SinkVersion.get();
  }
}
