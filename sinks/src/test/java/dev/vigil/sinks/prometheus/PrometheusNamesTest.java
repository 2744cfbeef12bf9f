package dev.vigil.sinks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamesTest {
  @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "http.server.request.duration | ms       | OTHER   | http_server_request_duration_milliseconds",
        "system.filesystem.usage      | By       | GAUGE   | system_filesystem_usage_bytes",
        "system.network.dropped       | {packets}| COUNTER | system_network_dropped_total",
        "system.network.dropped       | packets  | OTHER   | system_network_dropped_packets",
        "system.memory.utilization    | 1        | GAUGE   | system_memory_utilization_ratio",
        "orders.placed                | 1        | COUNTER | orders_placed_total",
        "requests.total               | null     | COUNTER | requests_total",
        "(lambda).function.executions(#) | null  | OTHER   | lambda_function_executions",
        "request.duration.seconds     | s        | OTHER   | request_duration_seconds",
        "throughput                   | By/s     | GAUGE   | throughput_bytes_per_second",
        "cpu.time                     | s        | COUNTER | cpu_time_seconds_total",
        "2xx.count                    | null     | OTHER   | _2xx_count",
        "span.calls                   | null     | OTHER   | span_calls",
      })
  void normalisesMetricNames(String name, String unit, PrometheusNames.Kind kind, String expected) {
    assertThat(PrometheusNames.metricName(name, unit, kind)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "http.route, http_route",
    "k8s.pod-name, k8s_pod_name",
    "0day, key_0day",
    "__internal, key__internal",
    "_private, _private",
  })
  void normalisesLabelNames(String name, String expected) {
    assertThat(PrometheusNames.labelName(name)).isEqualTo(expected);
  }
}
