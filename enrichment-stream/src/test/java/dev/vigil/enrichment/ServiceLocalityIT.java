package dev.vigil.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.enrichment.internal.ServicePartitioner;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker with four partitions: a batch already in its service's task goes to the windows
 * without the repartition topic, any other crosses it, and a service's window holds the points of
 * both paths.
 */
@Timeout(180)
class ServiceLocalityIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  private static final int PARTITIONS = 4;
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void batchesInTheirServicesTaskSkipTheRepartitionAndBothPathsMeetInOneWindow() throws Exception {
    String cart = "cart";
    String other = serviceNotOnPartitionOf(cart);
    int cartHome = ServicePartitioner.partition(cart, PARTITIONS);
    int otherHome = ServicePartitioner.partition(other, PARTITIONS);

    EnrichmentConfig config =
        EnrichmentConfig.load(
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "state.dir", stateDir.toString(),
                        "topic.partitions", String.valueOf(PARTITIONS),
                        "enrichment.window.grace.ms", "10000")));
    TopicCatalog topics = TopicCatalog.create("", PARTITIONS, (short) 1);
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    specs.add(topics.dlq(EnrichmentTopology.APP));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(specs).ok())
        .isTrue();
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    String raw = topics.otlpMetrics.name();
    try (StreamsApp app = new EnrichmentApp.Definition().create(config.core(), topics, registry);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      app.start();
      // Minute 0 of cart: 1+2+3 where the bridge would write it, 4+5 on another partition,
      // 6 keyed by service through the default partitioner, 7 as the second resource of a record
      // of `other` on other's partition.
      send(producer, raw, cartHome, cart, gauge(cart, 10, 1, 2, 3));
      send(producer, raw, (cartHome + 1) % PARTITIONS, cart, gauge(cart, 20, 4, 5));
      producer.send(new ProducerRecord<>(raw, utf8(cart), gauge(cart, 30, 6).toByteArray())).get();
      ExportMetricsServiceRequest both =
          gauge(other, 40, 10).toBuilder()
              .addResourceMetrics(gauge(cart, 40, 7).getResourceMetrics(0))
              .build();
      send(producer, raw, otherHome, other, both);
      await("all 8 points folded")
          .atMost(Duration.ofSeconds(60))
          .until(() -> counter(registry, "vigil.enrichment.accepted", "source", "metrics") == 8);
      // Minute 2 of both services, in their own partitions: closes minute 0 in both tasks.
      send(producer, raw, cartHome, cart, gauge(cart, 120, 0));
      send(producer, raw, otherHome, other, gauge(other, 120, 0));

      List<ConsumerRecord<SeriesKey, SignalWindow>> signals =
          KAFKA.consumeUntil(
              topics.signals,
              records -> records.stream().filter(r -> isMinute0(r)).count() >= 2,
              Duration.ofSeconds(60));
      SignalWindow cartWindow = minute0(signals, cart);
      assertThat(cartWindow.getCount()).as("points of both paths in one window").isEqualTo(7);
      assertThat(cartWindow.getSum()).isEqualTo(28.0);
      assertThat(minute0(signals, other).getCount()).isEqualTo(1);

      assertThat(batches(registry, "local"))
          .as("cart at home twice, cart by key, other twice, minute 2 of both")
          .isEqualTo(5);
      assertThat(batches(registry, "repartitioned"))
          .as("cart on a foreign partition, cart inside other's record")
          .isEqualTo(2);
    }
  }

  private static String serviceNotOnPartitionOf(String service) {
    int home = ServicePartitioner.partition(service, PARTITIONS);
    for (int i = 0; ; i++) {
      String candidate = "checkout-" + i;
      if (ServicePartitioner.partition(candidate, PARTITIONS) != home) {
        return candidate;
      }
    }
  }

  private static ExportMetricsServiceRequest gauge(String service, int second, double... values) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (double v : values) {
      gauge.addDataPoints(
          NumberDataPoint.newBuilder()
              .setTimeUnixNano(Otlp.nanos(T0.plusSeconds(second)))
              .setAsDouble(v));
    }
    return Otlp.metrics(
        service, Metric.newBuilder().setName("queue.depth").setGauge(gauge).build());
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      int partition,
      String service,
      ExportMetricsServiceRequest request)
      throws Exception {
    producer
        .send(new ProducerRecord<>(topic, partition, utf8(service), request.toByteArray()))
        .get();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isMinute0(ConsumerRecord<SeriesKey, SignalWindow> r) {
    return r.key().getSignal().equals("queue.depth") && r.value().getWindowStart().equals(T0);
  }

  private static SignalWindow minute0(
      List<ConsumerRecord<SeriesKey, SignalWindow>> records, String service) {
    List<SignalWindow> windows =
        records.stream()
            .filter(ServiceLocalityIT::isMinute0)
            .filter(r -> r.key().getService().equals(service))
            .map(ConsumerRecord::value)
            .toList();
    assertThat(windows).as("minute 0 of %s", service).hasSize(1);
    return windows.get(0);
  }

  private static double batches(PrometheusMeterRegistry registry, String path) {
    return registry
        .get("vigil.enrichment.batches")
        .tags("source", "metrics", "path", path)
        .counter()
        .count();
  }

  private static double counter(
      PrometheusMeterRegistry registry, String name, String tag, String value) {
    return registry.get(name).tags(tag, value).counter().count();
  }
}
