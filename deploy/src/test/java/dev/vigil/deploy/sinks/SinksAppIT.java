package dev.vigil.deploy.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.AlertmanagerServer;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What vigil up runs when sink targets are set: the sinks in an embedded Connect worker. */
@Timeout(120)
class SinksAppIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();

  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final PrometheusServer PROMETHEUS = new PrometheusServer();

  @RegisterExtension
  @Order(3)
  static final AlertmanagerServer ALERTMANAGER = new AlertmanagerServer();

  private static CoreConfig config(Path stateDir, Map<String, String> sinks) {
    ConfigDef definition = CoreConfig.definition();
    new SinksApp.Definition().define(definition);
    Map<String, String> settings = new java.util.HashMap<>(sinks);
    settings.put(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    settings.put(CoreConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(CoreConfig.TOPIC_REPLICATION_FACTOR_CONFIG, "1");
    return new CoreConfig(definition, new ConfigSources().cli(settings));
  }

  @Test
  void runsNothingWithoutTargets() throws Exception {
    try (VigilService sinks =
        new SinksApp.Definition()
            .create(config(Files.createTempDirectory("sinks"), Map.of()), TOPICS, null)) {
      sinks.start();

      assertThat(sinks.healthCheck().ready().getAsBoolean()).isTrue();
      assertThat(sinks.toString()).contains("sinks.prometheus.url");
    }
  }

  @Test
  void writesSignalsToPrometheusAndAlertsToAlertmanager() throws Exception {
    KAFKA.createTopics(TOPICS.signals, TOPICS.forecasts, TOPICS.alerts);
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
    KAFKA.produce(
        TOPICS.signals,
        Map.entry(
            SeriesKey.newBuilder().setService("cart").setSignal("span.calls").build(),
            SignalWindow.newBuilder()
                .setWindowStart(end.minus(Duration.ofMinutes(1)))
                .setWindowEnd(end)
                .setType(SignalType.TRAFFIC)
                .setCount(60)
                .setSum(60)
                .setRate(1.0)
                .build()));
    KAFKA.produce(
        TOPICS.alerts,
        Map.entry(
            "fp-up",
            Alert.newBuilder()
                .setLabels(Map.of("alertname", "VigilUp", "service", "cart"))
                .setStartsAt(end)
                .setFingerprint("fp-up")
                .build()));
    CoreConfig config =
        config(
            Files.createTempDirectory("sinks"),
            Map.of(
                SinksApp.PROMETHEUS_URL_CONFIG, PROMETHEUS.remoteWriteUrl().toString(),
                SinksApp.ALERTMANAGER_URL_CONFIG, ALERTMANAGER.baseUrl().toString()));

    try (VigilService sinks = new SinksApp.Definition().create(config, TOPICS, null)) {
      sinks.start();

      await("sample in Prometheus")
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          PROMETHEUS.query(
                              "span_calls:rate1m{service=\"cart\"}", end.toEpochMilli()))
                      .singleElement()
                      .satisfies(p -> assertThat(p.value()).isEqualTo(1.0)));
      await("alert in Alertmanager")
          .atMost(WAIT)
          .until(() -> ALERTMANAGER.alerts("alertname=\"VigilUp\"").size() == 1);
      await("sinks ready").atMost(WAIT).until(() -> sinks.healthCheck().ready().getAsBoolean());
      assertThat(sinks.healthCheck().detail().get())
          .isEqualTo("prometheus=RUNNING/RUNNING alertmanager=RUNNING/RUNNING");
    }
  }
}
