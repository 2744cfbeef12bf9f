package dev.vigil.chaos.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backlog of OTLP metrics piles up while the enrichment app is down; it then starts in its own
 * JVM with a small heap and works the backlog off: its consumer lag on {@code otlp_metrics} reaches
 * 0 and the JVM stays up, its heap bounded.
 */
@Timeout(240)
class StreamsBacklogIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();
  private static final String HEAP = "192m";
  private static final int SERVICES = 100;
  private static final int EXPORTS = 60;
  private static final int METRICS_PER_EXPORT = 20;

  @Test
  void enrichmentWorksOffABacklogWithASmallHeap() throws Exception {
    KAFKA.createTopics(TOPICS.otlpMetrics);
    long records = produceBacklog();

    long started = System.nanoTime();
    try (VigilChild app =
        VigilChild.run(
            HEAP,
            List.of(
                "enrichment",
                "-b",
                KAFKA.bootstrapServers(),
                "--set",
                "topic.replication.factor=1",
                "--set",
                "state.dir=" + Files.createTempDirectory("enrichment")))) {
      double[] peakHeap = {0};
      double[] peakLive = {0};
      await("lag on otlp_metrics reaches 0")
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                assertThat(app.isAlive()).as(app.stderr()).isTrue();
                peakHeap[0] =
                    Math.max(peakHeap[0], app.metric("jvm_memory_used_bytes", "area=\"heap\""));
                peakLive[0] = Math.max(peakLive[0], app.metric("jvm_gc_live_data_size_bytes", ""));
                return lag("vigil-enrichment") == 0;
              });
      long caughtUp = System.nanoTime();
      System.out.printf(
          "FIGURES streams-backlog: records=%d points=%d heap=%s catch-up=%.1fs (%.0f records/s) "
              + "peak-heap-used=%.1fMB peak-live-after-gc=%.1fMB alive=%s%n",
          records,
          records * METRICS_PER_EXPORT,
          HEAP,
          (caughtUp - started) / 1e9,
          records / ((caughtUp - started) / 1e9),
          peakHeap[0] / 1e6,
          peakLive[0] / 1e6,
          app.isAlive());
      assertThat(app.isAlive()).isTrue();
      assertThat(app.stderr()).doesNotContain("OutOfMemoryError");
      // Live heap after GC stays far under -Xmx (18.7 MB of 192 MB measured): the backlog is
      // streamed, not buffered.
      assertThat(peakLive[0]).isPositive().isLessThan(96e6);
      assertThat(endOffsetSum(TOPICS.signals.name())).as("signals written").isPositive();
    }
  }

  /** One record per service and export (10 s apart), as the bridge writes them. */
  private static long produceBacklog() throws Exception {
    Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(15));
    long n = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "linger.ms", 20),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int e = 0; e < EXPORTS; e++) {
        long t = Otlp.nanos(first.plusSeconds(10L * e));
        for (int s = 0; s < SERVICES; s++) {
          Metric[] metrics = new Metric[METRICS_PER_EXPORT];
          for (int m = 0; m < METRICS_PER_EXPORT; m++) {
            metrics[m] =
                Metric.newBuilder()
                    .setName("chaos.gauge." + m)
                    .setUnit("1")
                    .setGauge(
                        Gauge.newBuilder()
                            .addDataPoints(
                                NumberDataPoint.newBuilder()
                                    .setTimeUnixNano(t)
                                    .setAsDouble((s + m + e) % 17)))
                    .build();
          }
          String service = "svc-" + s;
          producer.send(
              new ProducerRecord<>(
                  TOPICS.otlpMetrics.name(),
                  service,
                  Otlp.metrics(service, metrics).toByteArray()));
          n++;
        }
      }
      producer.flush();
    }
    return n;
  }

  /** Records of otlp_metrics the group has not committed yet. */
  private static long lag(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        KAFKA.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Set<TopicPartition> partitions = partitionsOf(TOPICS.otlpMetrics.name());
    long lag = 0;
    for (var end : endOffsets(partitions).entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      lag += end.getValue() - (done == null ? 0 : done.offset());
    }
    return lag;
  }

  private static long endOffsetSum(String topic) throws Exception {
    return endOffsets(partitionsOf(topic)).values().stream().mapToLong(Long::longValue).sum();
  }

  private static Set<TopicPartition> partitionsOf(String topic) throws Exception {
    return KAFKA
        .admin()
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .collect(Collectors.toSet());
  }

  private static Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions)
      throws Exception {
    return KAFKA
        .admin()
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
        .all()
        .get()
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }
}
