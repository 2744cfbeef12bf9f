package dev.vigil.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anomaly app on a real broker with exactly-once: an episode opened before a restart is ended
 * after it, by an instance that starts with an empty state directory and so must restore the
 * detector and episode state from the changelog.
 */
@Timeout(180)
class AnomalyAppIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir Path tmp;

  private final Random noise = new Random(11);

  @Test
  void episodeStateSurvivesRestartThroughTheChangelog() throws Exception {
    TopicCatalog topics = TopicCatalog.create("", 2, (short) 1);
    new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30))
        .provision(List.of(topics.signals, topics.anomalies, topics.dlq(AnomalyApp.NAME)));
    SeriesKey key = AnomalyTopologyTest.LATENCY;

    try (AnomalyApp first = app(topics, tmp.resolve("state-1"))) {
      first.start();
      produce(topics, key, 0, 60, 120);
      produce(topics, key, 60, 64, 900);
      List<ConsumerRecord<String, AnomalyEvent>> started =
          KAFKA.consumeUntil(
              topics.anomalies,
              records -> has(records, AnomalyPhase.START),
              Duration.ofSeconds(60));
      assertThat(started.get(0).key()).isEqualTo("checkout");
    }

    try (AnomalyApp second = app(topics, tmp.resolve("state-2"))) {
      second.start();
      produce(topics, key, 64, 80, 120);
      List<ConsumerRecord<String, AnomalyEvent>> all =
          KAFKA.consumeUntil(
              topics.anomalies, records -> has(records, AnomalyPhase.END), Duration.ofSeconds(60));
      List<AnomalyEvent> series =
          all.stream().map(ConsumerRecord::value).filter(e -> e.getSeries().equals(key)).toList();
      AnomalyEvent start = series.get(0);
      AnomalyEvent end = series.get(series.size() - 1);
      assertThat(start.getPhase()).isEqualTo(AnomalyPhase.START);
      assertThat(end.getPhase()).isEqualTo(AnomalyPhase.END);
      assertThat(end.getId())
          .as("the restored instance ends the episode the first one opened")
          .isEqualTo(start.getId());
      assertThat(end.getStartedAt()).isEqualTo(start.getStartedAt());
      assertThat(series).filteredOn(e -> e.getPhase() == AnomalyPhase.START).hasSize(1);
    }
  }

  private AnomalyApp app(TopicCatalog topics, Path stateDir) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", KAFKA.bootstrapServers());
    settings.put("state.dir", stateDir.toString());
    settings.put("topic.partitions", "2");
    settings.put(AnomalyConfig.WARMUP_CONFIG, "30");
    // The first instance does not leave the group on close: let the broker notice it soon.
    settings.put("kafka.session.timeout.ms", "6000");
    ConfigDef definition = CoreConfig.definition();
    AnomalyConfig.define(definition);
    CoreConfig config = new CoreConfig(definition, new ConfigSources().cli(settings));
    return new AnomalyApp.Definition().create(config, topics, Metrics.newRegistry());
  }

  private void produce(TopicCatalog topics, SeriesKey key, int from, int to, double p95)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<SeriesKey, SignalWindow> producer =
        new KafkaProducer<>(
            config,
            topics.signals.keySerde().serializer(),
            topics.signals.valueSerde().serializer())) {
      for (int m = from; m < to; m++) {
        SignalWindow w = AnomalyTopologyTest.latency(m, p95 * (1 + 0.05 * noise.nextGaussian()));
        producer.send(new ProducerRecord<>(topics.signals.name(), key, w)).get();
      }
    }
  }

  private static boolean has(List<ConsumerRecord<String, AnomalyEvent>> records, AnomalyPhase p) {
    return records.stream().anyMatch(r -> r.value().getPhase() == p);
  }
}
