package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.runtime.otlp.ResourceBatches;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * The split by service: a local batch is the decoded resource; one that moves carries its bytes
 * from the record, or encoded again.
 */
class SplittersTest {
  private static final Predicate<String> ELSEWHERE = service -> false;
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
    List<KeyValue<String, ServiceBatch<ResourceMetrics>>> split =
        Splitters.metricsByService(new OtlpRequest<>(TWO_SERVICES, raw, true), ELSEWHERE);

    assertThat(split).extracting(kv -> kv.key).containsExactly("cart", "checkout");
    for (int i = 0; i < 2; i++) {
      assertThat(ResourceMetrics.parseFrom(split.get(i).value.bytes()))
          .isEqualTo(TWO_SERVICES.getResourceMetrics(i));
    }
    ResourceBatches batches = new OtlpRequest<>(TWO_SERVICES, raw, true).batches(2);
    assertThat(batches).as("taken from the record, not encoded again").isNotNull();
    assertThat(List.of(batches.batch(0), batches.batch(1)))
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

    assertThat(new OtlpRequest<>(decoded, withUnknownField.toByteArray(), true).batches(2))
        .isNull();
    assertThat(
            Splitters.metricsByService(
                new OtlpRequest<>(decoded, withUnknownField.toByteArray(), true), ELSEWHERE))
        .extracting(kv -> ResourceMetrics.parseFrom(kv.value.bytes()))
        .containsExactlyElementsOf(TWO_SERVICES.getResourceMetricsList());
  }

  @Test
  void aJsonRecordIsEncodedAgain() throws Exception {
    // Starts with '\n', field 1's tag: its framing could pass for protobuf; the format decides.
    byte[] json = "\n{\"resourceMetrics\":[]}".getBytes(StandardCharsets.UTF_8);
    OtlpRequest<ExportMetricsServiceRequest> request = new OtlpRequest<>(TWO_SERVICES, json, false);

    assertThat(request.batches(2)).isNull();
    assertThat(Splitters.metricsByService(request, ELSEWHERE))
        .extracting(kv -> ResourceMetrics.parseFrom(kv.value.bytes()))
        .containsExactlyElementsOf(TWO_SERVICES.getResourceMetricsList());
  }

  @Test
  void aLocalBatchIsTheDecodedResourceAndOnlyOthersAreMarkedToMove() {
    byte[] raw = TWO_SERVICES.toByteArray();
    List<KeyValue<String, ServiceBatch<ResourceMetrics>>> split =
        Splitters.metricsByService(new OtlpRequest<>(TWO_SERVICES, raw, true), "cart"::equals);

    assertThat(split).extracting(kv -> kv.value.local()).containsExactly(true, false);
    assertThat(split.get(0).value.message())
        .as("the decoded resource itself, not a copy parsed again")
        .isSameAs(TWO_SERVICES.getResourceMetrics(0));
  }

  @Test
  void aReceivedBatchParsesOnceAndACorruptOneSaysSo() {
    byte[] bytes = TWO_SERVICES.getResourceMetrics(1).toByteArray();
    var serde = ServiceBatch.serde(Parsing::resourceMetrics);
    ServiceBatch<ResourceMetrics> received = serde.deserializer().deserialize("t", bytes);

    assertThat(received.local()).isFalse();
    assertThat(received.message()).isEqualTo(TWO_SERVICES.getResourceMetrics(1));
    assertThat(received.message()).isSameAs(received.message());
    assertThat(serde.serializer().serialize("t", received)).isEqualTo(bytes);
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    ServiceBatch<ResourceMetrics> corrupt =
        serde.deserializer().deserialize("t", new byte[] {(1 << 3) | 2, 50});
    assertThatThrownBy(corrupt::message)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("corrupt ResourceMetrics batch");
  }

  @Test
  void theDeserializerTellsProtobufFromJson() {
    byte[] json = "{\"resourceMetrics\":[]}".getBytes(StandardCharsets.UTF_8);

    assertThat(OtlpDeserializer.metrics().request("t", TWO_SERVICES.toByteArray()).protobuf())
        .isTrue();
    assertThat(OtlpDeserializer.metrics().request("t", json).protobuf()).isFalse();
  }

  @Test
  void aCountThatDoesNotMatchTheRecordIsNoSlices() {
    byte[] raw = TWO_SERVICES.toByteArray();
    assertThat(new OtlpRequest<>(TWO_SERVICES, raw, true).batches(1))
        .as("fewer decoded resources than the record holds")
        .isNull();
    assertThat(new OtlpRequest<>(TWO_SERVICES, raw, true).batches(3)).isNull();
  }
}
