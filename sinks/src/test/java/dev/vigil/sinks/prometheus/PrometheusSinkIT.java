package dev.vigil.sinks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.ForecastPoint;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.sinks.testing.ConnectWorker;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.PromQlServer;
import dev.vigil.testkit.PrometheusServer;
import dev.vigil.testkit.VictoriaMetricsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signals and forecasts through a real Connect worker into a real Prometheus and VictoriaMetrics.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusSinkIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();
  private static final String DLQ = "vigil.dlq.sinks-prometheus";

  /** Minute-aligned, recent enough for Prometheus' head block. */
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));

  @RegisterExtension
  @org.junit.jupiter.api.Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @org.junit.jupiter.api.Order(2)
  static final ConnectWorker CONNECT = new ConnectWorker(KAFKA);

  @RegisterExtension
  @org.junit.jupiter.api.Order(3)
  static final PrometheusServer PROMETHEUS = new PrometheusServer();

  @RegisterExtension
  @org.junit.jupiter.api.Order(4)
  static final VictoriaMetricsServer VICTORIA = new VictoriaMetricsServer();

  private static final SeriesKey CART =
      SeriesKey.newBuilder()
          .setService("cart")
          .setSignal("http.server.request.duration")
          .setDims(List.of(new Attribute("http.route", "/cart")))
          .build();

  @BeforeAll
  static void createTopics() throws Exception {
    KAFKA.createTopics(TOPICS.signals, TOPICS.forecasts);
  }

  private static Map<String, String> connector(PromQlServer target, String... extra) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", PrometheusSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", TOPICS.signals.name() + "," + TOPICS.forecasts.name());
    config.put("connection.url", target.remoteWriteUrl().toString());
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", DLQ);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    for (int i = 0; i < extra.length; i += 2) {
      config.put(extra[i], extra[i + 1]);
    }
    return config;
  }

  private static SignalWindow window(int minute, double p99, long count) {
    Instant start = T0.plus(Duration.ofMinutes(minute));
    return SignalWindow.newBuilder()
        .setWindowStart(start)
        .setWindowEnd(start.plus(Duration.ofMinutes(1)))
        .setType(SignalType.LATENCY)
        .setUnit("ms")
        .setCount(count)
        .setSum(count * 10.0)
        .setP99(p99)
        .setTrimmedMean(p99 / 5)
        .setErrors(1)
        .setTeam("checkout")
        .build();
  }

  private static long end(int minute) {
    return T0.plus(Duration.ofMinutes(minute + 1)).toEpochMilli();
  }

  private static final String P99 =
      "http_server_request_duration_milliseconds:quantile1m{service=\"cart\",quantile=\"0.99\"}";

  @Test
  @Order(1)
  void writesWindowsAndForecastsReadBackFromPrometheus() throws Exception {
    KAFKA.produce(
        TOPICS.signals,
        Map.entry(CART, window(0, 250.0, 40)),
        Map.entry(CART, window(1, 260.0, 42)));
    Forecast forecast =
        Forecast.newBuilder()
            .setOrigin(Instant.ofEpochMilli(end(1)))
            .setStepMillis(300_000)
            .setPoints(
                List.of(
                    new ForecastPoint(Instant.ofEpochMilli(end(1) + 300_000), 270.0, 240.0, 300.0)))
            .setModel("holt-winters")
            .setTrainedAt(Instant.ofEpochMilli(end(1)))
            .build();
    KAFKA.produce(TOPICS.forecasts, Map.entry(CART, forecast));

    CONNECT.startConnector("prometheus", connector(PROMETHEUS));

    await("p99 samples in Prometheus")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(PROMETHEUS.samples(P99, end(-1), end(1)))
                    .containsExactly(Map.entry(end(0), 250.0), Map.entry(end(1), 260.0)));
    List<PromQlServer.Point> count =
        PROMETHEUS.query("http_server_request_duration_milliseconds:count1m", end(1));
    assertThat(count).hasSize(1);
    assertThat(count.get(0).value()).isEqualTo(42.0);
    assertThat(count.get(0).labels())
        .containsEntry("service", "cart")
        .containsEntry("http_route", "/cart")
        .containsEntry("team", "checkout");
    assertThat(PROMETHEUS.query("http_server_request_duration_milliseconds:trimmed_mean1m", end(1)))
        .extracting(PromQlServer.Point::value)
        .containsExactly(52.0);
    await("forecast in Prometheus")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        PROMETHEUS.query(
                            "http_server_request_duration:forecast_hi{horizon=\"5m\"}", end(1)))
                    .extracting(PromQlServer.Point::value)
                    .containsExactly(300.0));
  }

  @Test
  @Order(2)
  void malformedRecordGoesToTheDlqWhileTheRestFlows() throws Exception {
    KAFKA.produceRaw(
        TOPICS.signals.name(), "junk-key".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
    KAFKA.produce(TOPICS.signals, Map.entry(CART, window(2, 270.0, 44)));

    await("window after the poison record written")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(PROMETHEUS.samples(P99, end(1), end(2))).containsEntry(end(2), 270.0));
    List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.consumeRaw(DLQ, 1, WAIT);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).containsExactly(1, 2, 3);
    Header reason = dead.get(0).headers().lastHeader("__connect.errors.exception.message");
    assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("cannot decode");
  }

  @Test
  @Order(3)
  void freshTaskRereadingEverythingCausesNoRejectsAndNoDuplicates() throws Exception {
    // A new connector name is a new consumer group: it redelivers every record from offset 0 to a
    // task that remembers nothing, the worst case of a crash before an offset commit.
    CONNECT.startConnector("prometheus-replay", connector(PROMETHEUS));
    // 5 series per window (count, sum, p99, trimmed mean, errors): windows 0 and 1 are older than
    // window 2, which Prometheus holds: 10 stale samples dropped. Accepted: window 2 again (an
    // identical sample is no error) and the 3 forecast series. Window 3 is produced only once this
    // is
    // counted: the first connector writes it too, and had it done so before the replay resent
    // window 2, Prometheus would rightly refuse window 2 as out of order (a race, not a rule).
    await("replay of the existing records counted")
        .atMost(WAIT)
        .untilAsserted(() -> assertReplayCounters(10.0, 8.0));
    KAFKA.produce(TOPICS.signals, Map.entry(CART, window(3, 280.0, 46)));

    await("the window after the replay written")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(PROMETHEUS.samples(P99, end(2), end(3))).containsEntry(end(3), 280.0));
    assertThat(PROMETHEUS.samples(P99, end(-1), end(3)))
        .containsExactly(
            Map.entry(end(0), 250.0),
            Map.entry(end(1), 260.0),
            Map.entry(end(2), 270.0),
            Map.entry(end(3), 280.0));
    assertThat(CONNECT.connect().status("prometheus-replay").tasks())
        .allSatisfy(task -> assertThat(task.state()).isEqualTo("RUNNING"));
    // Window 3 is accepted whichever connector writes it first: an identical sample is no error.
    await("window 3 counted by the replay task")
        .atMost(WAIT)
        .untilAsserted(() -> assertReplayCounters(10.0, 13.0));
    assertThat(CONNECT.connect().status("prometheus").tasks())
        .allSatisfy(task -> assertThat(task.state()).isEqualTo("RUNNING"));
    CONNECT.connect().deleteConnector("prometheus-replay");
  }

  private static void assertReplayCounters(double stale, double written) {
    assertThat(ConnectWorker.taskMetric("prometheus-replay", 0, "samples-stale-dropped"))
        .isEqualTo(stale);
    assertThat(ConnectWorker.taskMetric("prometheus-replay", 0, "samples-written"))
        .isEqualTo(written);
    assertThat(ConnectWorker.taskMetric("prometheus-replay", 0, "malformed-records"))
        .isEqualTo(1.0);
  }

  @Test
  @Order(4)
  void taskRestartResumesWithoutRejects() throws Exception {
    CONNECT.connect().restartTask("prometheus", 0);
    CONNECT.awaitRunning("prometheus");
    KAFKA.produce(TOPICS.signals, Map.entry(CART, window(4, 290.0, 48)));

    await("window after the restart written")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(PROMETHEUS.samples(P99, end(3), end(4))).containsEntry(end(4), 290.0));
    assertThat(CONNECT.connect().status("prometheus").tasks())
        .allSatisfy(task -> assertThat(task.state()).isEqualTo("RUNNING"));
  }

  @Test
  @Order(5)
  void writesTheSameSeriesToVictoriaMetrics() {
    CONNECT.startConnector(
        "victoria", connector(VICTORIA, "behavior.on.malformed.records", "warn"));

    await("p99 samples in VictoriaMetrics")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(VICTORIA.samples(P99, end(-1), end(4)))
                    .containsExactly(
                        Map.entry(end(0), 250.0),
                        Map.entry(end(1), 260.0),
                        Map.entry(end(2), 270.0),
                        Map.entry(end(3), 280.0),
                        Map.entry(end(4), 290.0)));
    CONNECT.connect().deleteConnector("victoria");
  }
}
