package dev.vigil.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.forecast.internal.ForecastMetrics;
import dev.vigil.forecast.sagemaker.SageMakerForecaster;
import dev.vigil.forecast.sagemaker.StandInForecasters;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.SageMakerStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
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
 * The forecast app on a real broker with exactly-once: a poison record goes to the DLQ; the model
 * state survives a restart onto an empty state directory (restored from the changelog), so the
 * second instance forecasts without warming up again; and a forecast waiting for SageMaker when the
 * first instance stops is made again by the second.
 */
@Timeout(180)
class ForecastAppIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir Path tmp;

  private final Random noise = new Random(5);

  @Test
  void modelStateSurvivesRestartAndPoisonGoesToTheDlq() throws Exception {
    TopicCatalog topics = TopicCatalog.create("it1.", 2, (short) 1);
    provision(topics);
    SeriesKey disk = ForecastTopologyTest.DISK;
    try (ForecastApp first = app(topics, tmp.resolve("state-1"), Map.of(), null)) {
      first.start();
      KAFKA.produceRaw(
          topics.signals.name(),
          "inventory-db".getBytes(StandardCharsets.UTF_8),
          "not avro".getBytes(StandardCharsets.UTF_8));
      produce(topics, disk, 0, 130);
      // Warm-up 120 windows (two hourly seasons); forecasts at windows 125 and 130.
      List<ConsumerRecord<SeriesKey, Forecast>> forecasts =
          KAFKA.consume(topics.forecasts, 2, Duration.ofSeconds(60));
      assertThat(forecasts)
          .extracting(r -> r.value().getOrigin())
          .containsExactly(
              ForecastTopologyTest.T0.plusSeconds(60L * 124),
              ForecastTopologyTest.T0.plusSeconds(60L * 129));
      List<ConsumerRecord<byte[], byte[]>> dead =
          KAFKA.consumeRaw(topics.dlq(ForecastApp.NAME).name(), 1, Duration.ofSeconds(30));
      assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
      assertThat(
              new String(
                  dead.get(0).headers().lastHeader(DeadLetters.HEADER_STAGE).value(),
                  StandardCharsets.UTF_8))
          .isEqualTo("deserialization");
    }

    try (ForecastApp second = app(topics, tmp.resolve("state-2"), Map.of(), null)) {
      second.start();
      produce(topics, disk, 130, 140);
      List<ConsumerRecord<SeriesKey, Forecast>> all =
          KAFKA.consume(topics.forecasts, 4, Duration.ofSeconds(60));
      assertThat(all)
          .as("restored from the changelog: no second warm-up, nothing written twice")
          .extracting(r -> r.value().getOrigin())
          .containsExactly(
              ForecastTopologyTest.T0.plusSeconds(60L * 124),
              ForecastTopologyTest.T0.plusSeconds(60L * 129),
              ForecastTopologyTest.T0.plusSeconds(60L * 134),
              ForecastTopologyTest.T0.plusSeconds(60L * 139));
      assertThat(all.get(3).value().getTrainedAt()).isEqualTo(all.get(0).value().getTrainedAt());
    }
  }

  @Test
  void aForecastWaitingForSageMakerAtShutdownIsMadeAgainAfterRestart() throws Exception {
    TopicCatalog topics = TopicCatalog.create("it2.", 1, (short) 1);
    provision(topics);
    SeriesKey disk = ForecastTopologyTest.DISK;
    Map<String, String> sageMaker =
        Map.of(
            ForecastConfig.SM_ENDPOINT_CONFIG, "vigil-deepar",
            ForecastConfig.SM_TIMEOUT_CONFIG, "60000");
    try (SageMakerStandIn slow = new SageMakerStandIn()) {
      slow.mode(SageMakerStandIn.Mode.SLOW);
      try (ForecastApp first = app(topics, tmp.resolve("state-1"), sageMaker, slow)) {
        first.start();
        produce(topics, disk, 0, 125);
        await("the request is in flight")
            .atMost(Duration.ofSeconds(60))
            .until(() -> slow.requests().size() == 1);
      }
    }
    try (SageMakerStandIn ok = new SageMakerStandIn();
        ForecastApp second = app(topics, tmp.resolve("state-2"), sageMaker, ok)) {
      second.start();
      List<ConsumerRecord<SeriesKey, Forecast>> forecasts =
          KAFKA.consume(topics.forecasts, 1, Duration.ofSeconds(60));
      Forecast f = forecasts.get(0).value();
      assertThat(f.getModel()).isEqualTo("sagemaker:vigil-deepar");
      assertThat(f.getOrigin()).isEqualTo(ForecastTopologyTest.T0.plusSeconds(60L * 124));
      assertThat(f.getThreshold()).as("carried over from the lost forecast").isEqualTo(0.95);
      assertThat(ok.requests()).hasSize(1);
    }
  }

  private static void provision(TopicCatalog topics) {
    assertThat(
            new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30))
                .provision(List.of(topics.signals, topics.forecasts, topics.dlq(ForecastApp.NAME)))
                .ok())
        .isTrue();
  }

  private ForecastApp app(
      TopicCatalog topics, Path stateDir, Map<String, String> extra, SageMakerStandIn server) {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("bootstrap.servers", KAFKA.bootstrapServers());
    settings.put("state.dir", stateDir.toString());
    settings.put("topic.prefix", topics.signals.name().substring(0, 4));
    settings.put("topic.partitions", Integer.toString(topics.signals.partitions()));
    settings.put(ForecastConfig.SEASON_CONFIG, Long.toString(ForecastTopologyTest.HOUR));
    settings.put(ForecastConfig.CAPACITY_CONFIG, "system.filesystem.utilization=0.95");
    // The first instance does not leave the group on close: let the broker notice it soon.
    settings.put("kafka.session.timeout.ms", "6000");
    if (server != null) {
      settings.put(ForecastConfig.SM_URL_CONFIG, server.url());
      settings.put(ForecastConfig.SM_REGION_CONFIG, SageMakerStandIn.REGION);
    }
    ConfigDef definition = CoreConfig.definition();
    ForecastConfig.define(definition);
    CoreConfig config = new CoreConfig(definition, new ConfigSources().cli(settings));
    ForecastSettings forecast = new ForecastConfig(config).settings();
    MeterRegistry registry = Metrics.newRegistry();
    SageMakerForecaster caller =
        server == null
            ? null
            : StandInForecasters.forecaster(
                forecast.sageMaker(), new ForecastMetrics(registry)::call);
    return new ForecastApp(config, forecast, topics, registry, caller);
  }

  private void produce(TopicCatalog topics, SeriesKey key, int from, int to) throws Exception {
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
        SignalWindow w = ForecastTopologyTest.saturation(m, ForecastTopologyTest.disk(m, noise));
        producer.send(new ProducerRecord<>(topics.signals.name(), key, w)).get();
      }
    }
  }
}
