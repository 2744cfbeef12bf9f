package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.sinks.common.RecordBytes;
import dev.vigil.sinks.testing.ConnectWorker;
import dev.vigil.sinks.testing.SearchNode;
import dev.vigil.testkit.KafkaCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The search node goes away for about 15 s while the search sink (a real Connect standalone worker)
 * is indexing a steady stream of anomalies, incident updates and OTLP logs, then comes back: every
 * record must be in the cluster exactly once, the task must stay RUNNING without a manual restart,
 * its retries must show in its metrics, and it must catch up within a bound.
 *
 * <p>The outage is a real stop of the node, not a proxy: {@link SearchNode#stop()} shuts the
 * OpenSearch node down (ports closed, connections dropped, requests in flight failed) and {@link
 * SearchNode#restart()} starts it again through the runner with the same data directory and ports,
 * so the sink meets all of what a node restart shows a client: refused connections, dead pooled
 * connections, then a node that is recovering its shards. A TCP proxy would only show the first
 * two. OpenSearch only (about 35 s): the sink's HTTP path is the same for Elasticsearch.
 *
 * <p>The first incident arrives while the node is down, so the incidents index is created after the
 * outage: its template (state as keyword) must have been installed then, not skipped.
 */
@Timeout(180)
class SearchNodeOutageOpenSearchIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CONNECTOR = "outage";

  /** Sinks alerts and incidents: idle when the node stops, its first incident comes during it. */
  private static final String LATE_CONNECTOR = "outage-incidents";

  private static final Duration TICK = Duration.ofMillis(100);
  private static final int ANOMALIES_PER_TICK = 4;
  private static final int LOGS_PER_TICK = 2;
  private static final int INCIDENT_VERSIONS = 5;

  /** How long the node stays stopped before its restart begins (the restart adds a few s). */
  private static final Duration STOPPED = Duration.ofSeconds(12);

  /** How long the stream goes on after the node is back. */
  private static final Duration AFTER = Duration.ofSeconds(3);

  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final ConnectWorker CONNECT = new ConnectWorker(KAFKA);

  @RegisterExtension
  @Order(3)
  static final SearchNode NODE = SearchNode.openSearch();

  private final TopicCatalog topics = TopicCatalog.create("outage.", 1, (short) 1);
  private final AtomicInteger anomalies = new AtomicInteger();
  private final AtomicInteger logRecords = new AtomicInteger();
  private final AtomicInteger incidentUpdates = new AtomicInteger();
  private final AtomicBoolean incidentsFlowing = new AtomicBoolean();
  private final Set<String> taskStates = ConcurrentHashMap.newKeySet();

  @Test
  void theSinkRidesOutANodeRestartAndIndexesEveryRecordOnce() throws Exception {
    KAFKA.createTopics(topics.anomalies, topics.incidents, topics.alerts, topics.otlpLogs);
    CONNECT.startConnector(
        CONNECTOR,
        sinkConfig(topics.anomalies.name() + "," + topics.otlpLogs.name(), "outage-dlq"));
    CONNECT.startConnector(
        LATE_CONNECTOR,
        sinkConfig(topics.alerts.name() + "," + topics.incidents.name(), "outage-incidents-dlq"));
    // The late task's writer is set up (probe, logs template, alerts template) before the outage,
    // so its first incident meets the stopped node at the incidents template.
    KAFKA.produce(topics.alerts, Map.entry("f00d", SearchSamples.alert("f00d")));
    ScheduledExecutorService stream = Executors.newScheduledThreadPool(2);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      stream.scheduleAtFixedRate(() -> tick(producer), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
      stream.scheduleAtFixedRate(
          () -> {
            taskStates.add(taskState(CONNECTOR));
            taskStates.add(taskState(LATE_CONNECTOR));
          },
          0,
          TICK.toMillis(),
          TimeUnit.MILLISECONDS);
      String anomalyIndex = topics.anomalies.name();
      explained(
          "stream flowing into the index",
          () ->
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(
                      () ->
                          NODE.count(anomalyIndex) >= 100
                              && NODE.count(topics.alerts.name()) == 1));

      long down = System.nanoTime();
      NODE.stop();
      incidentsFlowing.set(true);
      int producedAtStop = anomalies.get();
      explained(
          "the sink retrying against the stopped node",
          () -> await().atMost(STOPPED).until(() -> metric("requests-retried") > 0));
      await("node stopped for " + STOPPED.toSeconds() + " s")
          .pollDelay(max(Duration.ZERO, STOPPED.minusNanos(System.nanoTime() - down)))
          .atMost(STOPPED.plusSeconds(1))
          .until(() -> true);
      NODE.restart();
      long up = System.nanoTime();
      int backlog = anomalies.get();

      explained(
          "backlog of " + backlog + " anomalies indexed",
          () ->
              await()
                  .atMost(Duration.ofSeconds(40))
                  .pollInterval(Duration.ofMillis(200))
                  .until(() -> countBelow(anomalyIndex, backlog) == backlog));
      long caughtUp = System.nanoTime();
      await("stream goes on after the restart")
          .pollDelay(AFTER)
          .atMost(AFTER.plusSeconds(1))
          .until(() -> true);
      stream.shutdown();
      assertThat(stream.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      int anomaliesIn = anomalies.get();
      int logsIn = logRecords.get();
      int incidentsIn = incidentUpdates.get();
      int incidentIds =
          incidentsIn / INCIDENT_VERSIONS + (incidentsIn % INCIDENT_VERSIONS > 0 ? 1 : 0);
      String logs = "logs-vigil-outage";
      explained(
          "every record indexed",
          () ->
              await()
                  .atMost(Duration.ofSeconds(40))
                  .pollInterval(Duration.ofMillis(200))
                  .until(
                      () ->
                          NODE.count(anomalyIndex) >= anomaliesIn
                              && NODE.count(logs) >= logsIn
                              && latestVersionsIndexed(incidentsIn) == incidentIds));
      long allIn = System.nanoTime();

      // Exactly once: as many documents as records, each record's own id once.
      JsonNode documents = documents(anomalyIndex, anomaliesIn + 100);
      List<String> anomalyIds = new ArrayList<>();
      long rewritten = 0;
      for (JsonNode hit : documents) {
        anomalyIds.add(hit.path("_source").path("id").asText());
        // A redelivered record replaces its document: same id, version 2 or more.
        rewritten += hit.path("_version").asLong() > 1 ? 1 : 0;
      }
      Set<String> distinct = new HashSet<>(anomalyIds);
      Set<String> expected =
          IntStream.range(0, anomaliesIn).mapToObj(n -> "a-" + n).collect(Collectors.toSet());
      long retriedRequests = metric("requests-retried");
      long handedBack = metric("batches-redelivered");
      long lateHandedBack = metric(LATE_CONNECTOR, "batches-redelivered");
      long duplicateLogs = metric("documents-duplicate");
      String figures =
          String.format(
              "FIGURES search-outage (OpenSearch 2.19): anomalies in=%d indexed=%d distinct=%d"
                  + " lost=%d duplicated=%d rewritten-same-id=%d; log records in=%d indexed=%d"
                  + " create-409-redelivered=%d; incident updates in=%d ids=%d; requests-retried=%d"
                  + " batches-redelivered=%d (incidents task: %d); node down=%.1fs (stopped %ds + restart), records"
                  + " produced before the stop=%d, backlog at restart=%d, backlog indexed %.1fs after"
                  + " the node was back, everything in %.1fs after; task states seen=%s%n",
              anomaliesIn,
              anomalyIds.size(),
              distinct.size(),
              expected.stream().filter(id -> !distinct.contains(id)).count(),
              anomalyIds.size() - distinct.size(),
              rewritten,
              logsIn,
              NODE.count(logs),
              duplicateLogs,
              incidentsIn,
              incidentIds,
              retriedRequests,
              handedBack,
              lateHandedBack,
              (up - down) / 1e9,
              STOPPED.toSeconds(),
              producedAtStop,
              backlog,
              (caughtUp - up) / 1e9,
              (allIn - up) / 1e9,
              taskStates);
      System.out.println(figures);
      // The OpenSearch runner's JVM loses later log output, and -Dit.test runs in the other
      // failsafe executions overwrite this class's report: keep the figures in target/ too.
      Files.writeString(Path.of("target", "search-outage-figures.txt"), figures + "\n");

      assertThat(anomalyIds).as("one document per anomaly").hasSize(anomaliesIn);
      assertThat(distinct)
          .as("each anomaly's own id, none twice, none missing")
          .isEqualTo(expected);
      assertThat(NODE.count(logs)).as("each log record once").isEqualTo(logsIn);
      assertThat(NODE.count(topics.incidents.name()))
          .as("one document per incident id")
          .isEqualTo(incidentIds);
      assertThat(
              NODE.get("/" + topics.incidents.name() + "/_mapping")
                  .path(topics.incidents.name())
                  .path("mappings")
                  .path("properties")
                  .path("state")
                  .path("type")
                  .asText())
          .as("the incidents index, created after the outage, has its template's mappings")
          .isEqualTo("keyword");
      assertThat(taskStates).as("the task never left RUNNING").containsExactly("RUNNING");
      assertThat(metric("malformed-records") + metric(LATE_CONNECTOR, "malformed-records"))
          .as("nothing dead-lettered")
          .isZero();
      assertThat(lateHandedBack).as("the first incident's batch met the stopped node").isPositive();
      assertThat(retriedRequests).as("requests retried during the outage").isPositive();
      assertThat(handedBack)
          .as("the outage outlasted the task's own retries: batches went back to Connect")
          .isPositive();
      // A batch handed back returns after retry.backoff.max.ms (10 s); then one retry round.
      assertThat(Duration.ofNanos(caughtUp - up)).isLessThan(Duration.ofSeconds(25));
    } finally {
      stream.shutdownNow();
    }
  }

  /**
   * One tick of the stream: anomalies, a log export and (from the outage on) an incident update.
   */
  private void tick(KafkaProducer<byte[], byte[]> producer) {
    for (int i = 0; i < ANOMALIES_PER_TICK; i++) {
      int n = anomalies.get();
      send(producer, topics.anomalies, "checkout", SearchSamples.anomaly("checkout", n));
      anomalies.incrementAndGet();
    }
    int first = logRecords.get();
    byte[] export =
        SearchSamples.logs(
                "checkout",
                SearchSamples.log(first, "log " + first),
                SearchSamples.log(first + 1, "log " + (first + 1)))
            .toByteArray();
    producer.send(
        new ProducerRecord<>(
            topics.otlpLogs.name(), "checkout".getBytes(StandardCharsets.UTF_8), export));
    logRecords.addAndGet(LOGS_PER_TICK);
    if (incidentsFlowing.get()) {
      int update = incidentUpdates.get();
      String id = "inc-" + update / INCIDENT_VERSIONS;
      int version = update % INCIDENT_VERSIONS + 1;
      IncidentState state =
          version == INCIDENT_VERSIONS ? IncidentState.RESOLVED : IncidentState.OPEN;
      send(producer, topics.incidents, id, SearchSamples.incident(id, version, state));
      incidentUpdates.incrementAndGet();
    }
    producer.flush();
  }

  private static <V> void send(
      KafkaProducer<byte[], byte[]> producer, TopicSpec<String, V> topic, String key, V value) {
    producer.send(
        new ProducerRecord<>(
            topic.name(),
            key.getBytes(StandardCharsets.UTF_8),
            topic.valueSerde().serializer().serialize(topic.name(), value)));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Map<String, String> sinkConfig(String topicList, String dlq) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", SearchSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topicList);
    config.put("key.converter", RecordBytes.CONVERTER);
    config.put("value.converter", RecordBytes.CONVERTER);
    config.put("connection.url", NODE.url().toString());
    config.put("logs.topics", topics.otlpLogs.name());
    config.put("logs.namespace", "outage");
    // The production defaults for retries (5, 200 ms up to 10 s) and malformed documents.
    config.put("behavior.on.malformed.documents", "report");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", dlq);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    return config;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * Runs an await; if it times out, fails with what the tasks and the node say (the runner's JVM
   * keeps no sink logs, so this is the only account of a failure).
   */
  private void explained(String what, Runnable await) {
    try {
      await.run();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder state = new StringBuilder(what + " did not happen:");
      for (String connector : List.of(CONNECTOR, LATE_CONNECTOR)) {
        try {
          ConnectorStateInfo status = CONNECT.connect().status(connector);
          for (ConnectorStateInfo.TaskState task : status.tasks()) {
            state.append("\n  ").append(connector).append(" task ").append(task.id());
            state.append(" ").append(task.state()).append(" ").append(task.trace());
          }
          for (String metric :
              List.of(
                  "requests",
                  "documents-indexed",
                  "malformed-records",
                  "requests-retried",
                  "batches-redelivered")) {
            state.append(" ").append(metric).append("=").append(metric(connector, metric));
          }
        } catch (RuntimeException statusFailed) {
          state.append("\n  ").append(connector).append(": no status: ").append(statusFailed);
        }
      }
      for (String index :
          List.of(
              topics.anomalies.name(),
              topics.alerts.name(),
              topics.incidents.name(),
              "logs-vigil-outage")) {
        try {
          state.append("\n  ").append(index).append(": ").append(NODE.count(index));
        } catch (IOException countFailed) {
          state.append("\n  ").append(index).append(": ").append(countFailed);
        }
      }
      state.append("\n  produced: anomalies=").append(anomalies.get());
      state.append(" logs=").append(logRecords.get());
      state.append(" incidents=").append(incidentUpdates.get());
      throw new AssertionError(state.toString(), e);
    }
  }

  private static String taskState(String connector) {
    try {
      ConnectorStateInfo status = CONNECT.connect().status(connector);
      return status.tasks().isEmpty() ? "NO TASK" : status.tasks().get(0).state();
    } catch (RuntimeException e) {
      return "UNKNOWN: " + e.getMessage();
    }
  }

  private static long metric(String name) {
    return metric(CONNECTOR, name);
  }

  private static long metric(String connector, String name) {
    return (long) ConnectWorker.taskMetric(connector, 0, name);
  }

  /** Anomalies 0..n-1 in the index (observed is 900 + n). */
  private static long countBelow(String index, int n) throws IOException {
    NODE.refresh();
    String query = "{\"query\":{\"range\":{\"observed\":{\"lt\":" + (900 + n) + "}}}}";
    return json(NODE.send("POST", "/" + index + "/_count", query).body()).path("count").asLong();
  }

  /** Incident ids whose document holds their last produced version. */
  private long latestVersionsIndexed(int updates) throws IOException {
    String index = topics.incidents.name();
    if (NODE.count(index) == 0) {
      return 0;
    }
    long latest = 0;
    for (JsonNode hit : hits(index, "{\"size\":1000,\"_source\":[\"id\",\"version\"]}")) {
      int n = Integer.parseInt(hit.path("_source").path("id").asText().substring(4));
      int last = Math.min(INCIDENT_VERSIONS, updates - n * INCIDENT_VERSIONS);
      if (hit.path("_source").path("version").asInt() == last) {
        latest++;
      }
    }
    return latest;
  }

  /** Every document of an index (up to {@code max}): its id field and its version. */
  private static JsonNode documents(String index, int max) throws IOException {
    return hits(
        index, "{\"size\":" + max + ",\"version\":true,\"_source\":[\"id\"],\"sort\":[\"_doc\"]}");
  }

  private static JsonNode hits(String index, String query) throws IOException {
    NODE.refresh();
    return json(NODE.send("POST", "/" + index + "/_search", query).body())
        .path("hits")
        .path("hits");
  }

  private static JsonNode json(String body) throws IOException {
    return MAPPER.readTree(body);
  }
}
