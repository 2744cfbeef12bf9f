package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.internal.AlertFactory;
import dev.vigil.rca.internal.Scenario;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app on a real broker, exactly-once: edges on several partitions, anomalies and a poison
 * record in; an incident with its root cause, its alert, and the poison record in the DLQ out.
 */
@Timeout(180)
class RcaAppIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  private static TopicCatalog topics;
  private static PrometheusMeterRegistry registry;
  private static StreamsApp app;

  @BeforeAll
  static void startApp() throws Exception {
    ConfigDef definition = CoreConfig.definition();
    new RcaApp.Definition().define(definition);
    CoreConfig config =
        new CoreConfig(
            definition,
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "state.dir", stateDir.toString(),
                        "topic.partitions", "3")));
    topics = config.topicCatalog();
    List<TopicSpec<?, ?>> all = new ArrayList<>(topics.all());
    all.addAll(new RcaApp.Definition().ownTopics(topics));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(all).ok())
        .isTrue();
    registry = Metrics.newRegistry();
    app = new RcaApp.Definition().create(config, topics, registry);
    app.start();
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void publishesTheIncidentAndItsAlertAndDeadLettersPoison() throws Exception {
    Scenario world =
        new Scenario()
            .edge("web", "orders", 80)
            .edge("orders", "postgresql:orders", NodeKind.DATABASE, 5)
            .edge("web", "search", 30)
            .slow("orders", "postgresql:orders", 10, 16, 12)
            .slow("web", "orders", 10, 16, 3)
            .anomalous("orders", 10, 16, 0.9, SignalType.LATENCY)
            .anomalous("web", 11, 16, 0.7, SignalType.LATENCY);
    AnomalyEvent invalid = Scenario.anomaly("web", dev.vigil.schemas.AnomalyPhase.START, 8, 9);
    invalid.setScore(7.0);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      // Broker-side refusals (e.g. timestamps) must fail the test, not vanish: wait for each ack.
      producer
          .send(raw(topics.anomalies.name(), "poison", new byte[] {1, 2, 3}, Scenario.T0))
          .get();
      send(producer, topics.anomalies, "web", invalid, Scenario.minute(9).toEpochMilli());
      for (Scenario.Event e : world.events(30)) {
        long ts = e.timestamp().toEpochMilli();
        if (e.value() instanceof AnomalyEvent a) {
          send(producer, topics.anomalies, a.getService(), a, ts);
        } else if (e.value() instanceof dev.vigil.schemas.EdgeWindow w) {
          send(producer, topics.edges, (dev.vigil.schemas.EdgeKey) e.key(), w, ts);
        }
      }
      producer.flush();
    }

    // Anomalies may overtake the edges (they skip the repartition hop), so the two services can
    // open two incidents that merge once the edges arrive: wait for the one resolved with both.
    List<ConsumerRecord<String, Incident>> incidents =
        KAFKA.consumeUntil(
            topics.incidents,
            records -> records.stream().anyMatch(r -> resolvedWith(r.value(), "orders", "web")),
            Duration.ofSeconds(90));
    Incident last =
        incidents.stream()
            .map(ConsumerRecord::value)
            .filter(i -> resolvedWith(i, "orders", "web"))
            .findFirst()
            .orElseThrow();
    assertThat(last.getRootCauses().get(0).getService()).isEqualTo("postgresql:orders");

    var alerts =
        KAFKA.consumeUntil(
            topics.alerts,
            records ->
                records.stream()
                    .anyMatch(
                        r ->
                            r.value().getEndsAt() != null
                                && r.key().equals(AlertFactory.fingerprint(last.getId()))),
            Duration.ofSeconds(30));
    assertThat(alerts)
        .filteredOn(r -> r.key().equals(AlertFactory.fingerprint(last.getId())))
        .last()
        .satisfies(r -> assertThat(r.value().getEndsAt()).isEqualTo(last.getResolvedAt()));

    List<ConsumerRecord<byte[], byte[]>> dead =
        KAFKA.consumeRaw(topics.dlq(RcaApp.NAME).name(), 2, Duration.ofSeconds(30));
    assertThat(dead)
        .extracting(r -> header(r, DeadLetters.HEADER_STAGE))
        .containsExactlyInAnyOrder("deserialization", "processing");
    assertThat(dead)
        .extracting(r -> header(r, DeadLetters.HEADER_MESSAGE))
        .anySatisfy(m -> assertThat(m).contains("anomaly score 7.0 outside [0,1]"));
    assertThat(app.state().name()).isEqualTo("RUNNING");
    assertThat(registry.scrape())
        .contains("vigil_rca_incidents_resolved_total")
        .contains("vigil_dlq_records_total{app=\"rca\",stage=\"processing\"} 1.0");
  }

  private static boolean resolvedWith(Incident incident, String... services) {
    return incident.getState() == IncidentState.RESOLVED
        && incident.getServices().equals(List.of(services));
  }

  private static <K, V> void send(
      KafkaProducer<byte[], byte[]> producer, TopicSpec<K, V> topic, K key, V value, long ts)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic.name(),
                null,
                ts,
                topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value)))
        .get();
  }

  private static ProducerRecord<byte[], byte[]> raw(
      String topic, String key, byte[] value, java.time.Instant ts) {
    return new ProducerRecord<>(
        topic, null, ts.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
