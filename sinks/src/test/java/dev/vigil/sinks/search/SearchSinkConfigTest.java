package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sinks.common.MalformedRecordBehavior;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SearchSinkConfigTest {
  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("connection.url", "http://127.0.0.1:9200");
    return props;
  }

  @Test
  void defaults() {
    SearchSinkConfig config = new SearchSinkConfig(minimal());

    assertThat(config.documentIds()).isEqualTo(DocumentIdStrategy.AUTO);
    assertThat(config.onMalformed()).isEqualTo(MalformedRecordBehavior.REPORT);
    assertThat(config.logsTopics()).containsExactly("otlp_logs");
    assertThat(config.logsDataStream()).isEqualTo("logs-vigil-default");
    assertThat(config.logsPolicy())
        .isEqualTo(new LifecyclePolicies("vigil-logs", "1d", "50gb", "7d"));
    assertThat(config.bulkMaxActions()).isEqualTo(500);
  }

  @Test
  void anEmptyPolicyNameInstallsNone() {
    Map<String, String> props = minimal();
    props.put("logs.policy.name", "");

    assertThat(new SearchSinkConfig(props).logsPolicy()).isNull();
  }

  @Test
  void badValuesNameTheirKey() {
    Map<String, String> namespace = minimal();
    namespace.put("logs.namespace", "Prod-EU");
    Map<String, String> ids = minimal();
    ids.put("document.id.strategy", "uuid");
    Map<String, String> retention = minimal();
    retention.put("logs.retention", "a week");

    assertThatThrownBy(() -> new SearchSinkConfig(namespace))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.namespace");
    assertThatThrownBy(() -> new SearchSinkConfig(ids))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("document.id.strategy")
        .hasMessageContaining("[auto, key, offset]");
    assertThatThrownBy(() -> new SearchSinkConfig(retention))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.retention");
  }
}
