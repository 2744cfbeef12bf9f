package dev.vigil.chaos.deps;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many times each {@code chaos.id} span is on a raw OTLP spans topic: everything up to the end
 * offsets at the time of the call, so duplicates are counted, not just presence.
 */
final class SpanIdCounts {
  final Map<String, Integer> counts = new HashMap<>();
  long records;

  static SpanIdCounts read(String bootstrapServers, String topic) {
    SpanIdCounts result = new SpanIdCounts();
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "chaos-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end offsets " + end);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          result.add(record.value());
        }
      }
    }
    return result;
  }

  private void add(byte[] value) {
    records++;
    try {
      for (ResourceSpans resource :
          ExportTraceServiceRequest.parseFrom(value).getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            for (KeyValue attribute : span.getAttributesList()) {
              if (attribute.getKey().equals(OtlpLoadClient.ID_ATTRIBUTE)) {
                counts.merge(attribute.getValue().getStringValue(), 1, Integer::sum);
              }
            }
          }
        }
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("a record on the spans topic is not OTLP", e);
    }
  }

  /** Acknowledged ids that are not on the topic. */
  long lost(Collection<String> acknowledged) {
    return acknowledged.stream().filter(id -> !counts.containsKey(id)).count();
  }

  /** Extra copies of ids on the topic (0 when each is there once). */
  long duplicated() {
    return counts.values().stream().mapToLong(c -> c - 1).sum();
  }
}
