package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class OtlpDeserializerTest {
  /** A gauge metric with one data point and no value. */
  static Metric gauge(String name) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder().setTimeUnixNano(1_764_000_000_000_000_000L)))
        .build();
  }

  @Test
  void aProtobufRecordWhoseFirstResourceIs123BytesIsReadAsProtobufNotJson() {
    // Grow a metric name until the one resource is exactly 123 bytes: the record then starts
    // with 0x0A '{', i.e. JSON whitespace and an opening brace.
    ExportMetricsServiceRequest request = null;
    for (int n = 1; n < 100; n++) {
      ExportMetricsServiceRequest candidate = Otlp.metrics("cart", gauge("m".repeat(n)));
      if (candidate.getResourceMetrics(0).getSerializedSize() == 123) {
        request = candidate;
        break;
      }
    }
    assertThat(request).as("a request of exactly that size").isNotNull();
    byte[] bytes = request.toByteArray();
    assertThat(bytes[0]).isEqualTo((byte) '\n');
    assertThat(bytes[1]).isEqualTo((byte) '{');

    assertThat(OtlpDeserializer.metrics().deserialize("otlp_metrics", bytes)).isEqualTo(request);
  }

  @Test
  void jsonStillReadsAsJsonAndGarbageStillFailsWithTheSignalNamed() {
    byte[] json =
        "\n{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"cart\"}}]}}]}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(
            OtlpDeserializer.metrics().deserialize("otlp_metrics", json).getResourceMetricsCount())
        .isEqualTo(1);
    assertThatThrownBy(
            () ->
                OtlpDeserializer.metrics()
                    .deserialize("otlp_metrics", "\n{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode OTLP metrics record from otlp_metrics as otlp_json");
  }
}
