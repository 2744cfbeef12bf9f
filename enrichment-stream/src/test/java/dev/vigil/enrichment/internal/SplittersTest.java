package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** The split by service forwards each resource's bytes from the record, or encodes it again. */
class SplittersTest {
  private static final ExportMetricsServiceRequest TWO_SERVICES =
      ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(
              Otlp.metrics("cart", OtlpDeserializerTest.gauge("queue.depth")).getResourceMetrics(0))
          .addResourceMetrics(
              Otlp.metrics("checkout", OtlpDeserializerTest.gauge("pool.used"))
                  .getResourceMetrics(0))
          .build();

  @Test
  void eachResourceIsForwardedAsTheRecordHoldsItAndDecodesToTheSameResource() throws Exception {
    byte[] raw = TWO_SERVICES.toByteArray();
    List<KeyValue<String, byte[]>> split =
        Splitters.metricsByService(new OtlpRequest<>(TWO_SERVICES, raw));

    assertThat(split).extracting(kv -> kv.key).containsExactly("cart", "checkout");
    for (int i = 0; i < 2; i++) {
      assertThat(ResourceMetrics.parseFrom(split.get(i).value))
          .isEqualTo(TWO_SERVICES.getResourceMetrics(i));
    }
    assertThat(new OtlpRequest<>(TWO_SERVICES, raw).resources(sizes()))
        .as("taken from the record, not encoded again")
        .containsExactly(
            TWO_SERVICES.getResourceMetrics(0).toByteArray(),
            TWO_SERVICES.getResourceMetrics(1).toByteArray());
  }

  @Test
  void aRecordWithMoreThanTheResourcesIsEncodedAgain() throws Exception {
    ByteArrayOutputStream withUnknownField = new ByteArrayOutputStream();
    withUnknownField.write(TWO_SERVICES.toByteArray());
    withUnknownField.write(new byte[] {(2 << 3), 7}); // field 2, varint 7: unknown to this version
    ExportMetricsServiceRequest decoded =
        ExportMetricsServiceRequest.parseFrom(withUnknownField.toByteArray());

    assertThat(new OtlpRequest<>(decoded, withUnknownField.toByteArray()).resources(sizes()))
        .isNull();
    assertThat(
            Splitters.metricsByService(new OtlpRequest<>(decoded, withUnknownField.toByteArray())))
        .extracting(kv -> ResourceMetrics.parseFrom(kv.value))
        .containsExactlyElementsOf(TWO_SERVICES.getResourceMetricsList());
  }

  @Test
  void aJsonRecordIsEncodedAgain() {
    byte[] json = "{\"resourceMetrics\":[]}".getBytes(StandardCharsets.UTF_8);
    assertThat(new OtlpRequest<>(TWO_SERVICES, json).resources(sizes())).isNull();
  }

  @Test
  void sizesThatDoNotMatchTheDecodedResourcesAreNoSlices() {
    byte[] raw = TWO_SERVICES.toByteArray();
    assertThat(new OtlpRequest<>(TWO_SERVICES, raw).resources(List.of(1, 2))).isNull();
    assertThat(
            new OtlpRequest<>(TWO_SERVICES, raw)
                .resources(List.of(TWO_SERVICES.getResourceMetrics(0).getSerializedSize())))
        .as("fewer decoded resources than the record holds")
        .isNull();
  }

  private static List<Integer> sizes() {
    return TWO_SERVICES.getResourceMetricsList().stream()
        .map(ResourceMetrics::getSerializedSize)
        .toList();
  }
}
