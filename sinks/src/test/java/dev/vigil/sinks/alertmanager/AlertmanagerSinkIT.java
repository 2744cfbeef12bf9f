package dev.vigil.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.sinks.testing.ConnectWorker;
import dev.vigil.testkit.AlertmanagerServer;
import dev.vigil.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** vigil.alerts through a real Connect worker into a real Alertmanager, read back over its API. */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertmanagerSinkIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();
  private static final String DLQ = "vigil.dlq.sinks-alertmanager";
  private static final String CONNECTOR = "alertmanager";

  /** Short, so re-posts show within a test; endsAt runs 4 intervals ahead. */
  private static final long RESEND_MS = 500;

  private static final long ENDS_AFTER_MS = 2_000;

  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final ConnectWorker CONNECT = new ConnectWorker(KAFKA);

  @RegisterExtension
  @Order(3)
  static final AlertmanagerServer ALERTMANAGER = new AlertmanagerServer();

  private static final Instant STARTS =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);

  @BeforeAll
  static void startConnector() throws Exception {
    KAFKA.createTopics(TOPICS.alerts);
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", AlertmanagerSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", TOPICS.alerts.name());
    config.put("connection.url", ALERTMANAGER.baseUrl().toString());
    config.put("alert.resend.interval.ms", String.valueOf(RESEND_MS));
    config.put("alert.ends.after.ms", String.valueOf(ENDS_AFTER_MS));
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", DLQ);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    CONNECT.startConnector(CONNECTOR, config);
  }

  private static Alert alert(String name, String service, Instant endsAt) {
    return Alert.newBuilder()
        .setLabels(Map.of("alertname", name, "service", service, "severity", "critical"))
        .setAnnotations(Map.of("summary", name + " on " + service))
        .setStartsAt(STARTS)
        .setEndsAt(endsAt)
        .setGeneratorURL("http://vigil.example/incidents/1")
        .setFingerprint("fp-" + name)
        .build();
  }

  private static List<JsonNode> active(String name) {
    return ALERTMANAGER.alerts("alertname=\"" + name + "\"").stream()
        .filter(a -> a.path("status").path("state").asText().equals("active"))
        .toList();
  }

  private static Instant endsAt(JsonNode alert) {
    return Instant.parse(alert.path("endsAt").asText());
  }

  @Test
  @Order(1)
  void firingAlertIsPostedAndKeptAliveByReposts() throws Exception {
    KAFKA.produce(TOPICS.alerts, Map.entry("fp-HighLatency", alert("HighLatency", "cart", null)));

    JsonNode first =
        await("alert active in Alertmanager")
            .atMost(WAIT)
            .until(() -> active("HighLatency"), list -> list.size() == 1)
            .get(0);
    assertThat(first.path("labels").path("service").asText()).isEqualTo("cart");
    assertThat(first.path("annotations").path("summary").asText()).isEqualTo("HighLatency on cart");
    assertThat(first.path("generatorURL").asText()).isEqualTo("http://vigil.example/incidents/1");
    Instant firstEnd = endsAt(first);
    // Still active after more than the endsAt of the first post: only re-posts can do that.
    await("re-posted past its first endsAt")
        .atMost(WAIT)
        .until(() -> Instant.now().isAfter(firstEnd.plusMillis(RESEND_MS)));
    assertThat(active("HighLatency"))
        .singleElement()
        .satisfies(a -> assertThat(endsAt(a)).isAfter(firstEnd));
  }

  @Test
  @Order(2)
  void resolutionEndsTheAlert() throws Exception {
    KAFKA.produce(TOPICS.alerts, Map.entry("fp-Resolved", alert("Resolved", "cart", null)));
    await("alert active").atMost(WAIT).until(() -> active("Resolved").size() == 1);

    KAFKA.produce(
        TOPICS.alerts, Map.entry("fp-Resolved", alert("Resolved", "cart", Instant.now())));

    await("alert resolved").atMost(WAIT).until(() -> active("Resolved").isEmpty());
  }

  @Test
  @Order(3)
  void changedServiceLabelResolvesTheOldLabelSet() throws Exception {
    KAFKA.produce(TOPICS.alerts, Map.entry("fp-Moved", alert("Moved", "cart", null)));
    await("alert active on cart").atMost(WAIT).until(() -> active("Moved").size() == 1);

    KAFKA.produce(TOPICS.alerts, Map.entry("fp-Moved", alert("Moved", "payments", null)));

    await("only the payments label set active")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(active("Moved"))
                    .singleElement()
                    .satisfies(
                        a ->
                            assertThat(a.path("labels").path("service").asText())
                                .isEqualTo("payments")));
  }

  @Test
  @Order(4)
  void invalidAlertGoesToTheDlqWhileTheRestFlows() throws Exception {
    Alert invalid = alert("Bad", "cart", null);
    invalid.setLabels(Map.of("alertname", "Bad", "bad-label", "x"));
    KAFKA.produce(TOPICS.alerts, Map.entry("fp-Bad", invalid));
    KAFKA.produce(TOPICS.alerts, Map.entry("fp-AfterBad", alert("AfterBad", "cart", null)));

    await("alert after the bad one active")
        .atMost(WAIT)
        .until(() -> active("AfterBad").size() == 1);
    List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.consumeRaw(DLQ, 1, WAIT);
    assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("fp-Bad");
    assertThat(
            new String(
                dead.get(0).headers().lastHeader("__connect.errors.exception.message").value(),
                StandardCharsets.UTF_8))
        .contains("invalid label name 'bad-label'");
    assertThat(active("Bad")).isEmpty();
  }

  @Test
  @Order(5)
  void restartedTaskKeepsFiringAlertsAliveWithoutDuplicates() {
    CONNECT.connect().restartTask(CONNECTOR, 0);
    CONNECT.awaitRunning(CONNECTOR);
    Instant restarted = Instant.now();

    // After the restart the task replays the compacted topic and re-posts what is firing.
    await("firing alerts re-posted after the restart")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(active("HighLatency"))
                  .singleElement()
                  .satisfies(
                      a -> assertThat(endsAt(a)).isAfter(restarted.plusMillis(ENDS_AFTER_MS)));
              assertThat(active("Moved"))
                  .singleElement()
                  .satisfies(
                      a ->
                          assertThat(a.path("labels").path("service").asText())
                              .isEqualTo("payments"));
            });
    assertThat(active("Resolved")).isEmpty();
    assertThat(active("Bad")).isEmpty();
    assertThat(ConnectWorker.taskMetric(CONNECTOR, 0, "malformed-records")).isEqualTo(1.0);
  }
}
