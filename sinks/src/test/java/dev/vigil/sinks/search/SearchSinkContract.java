package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.sinks.common.RecordBytes;
import dev.vigil.sinks.testing.ConnectWorker;
import dev.vigil.sinks.testing.SearchNode;
import dev.vigil.testkit.KafkaCluster;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the search sink must do against any engine, through a real Connect worker and a real broker:
 * {@code *OpenSearchIT} and {@code *ElasticsearchIT} run it against their node. Each test uses its
 * own topic prefix, so its indices and data stream are its own.
 */
@Timeout(120)
abstract class SearchSinkContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final ConnectWorker CONNECT = new ConnectWorker(KAFKA);

  /** The node of the engine under test. */
  abstract SearchNode node();

  /** Whether the engine creates data streams (Elasticsearch's OSS build does not). */
  abstract boolean dataStreams();

  @Test
  void vigilRecordsBecomeOneDocumentEachWithTheirMappings() throws Exception {
    TopicCatalog topics = topics("docs.");
    KAFKA.produce(
        topics.anomalies,
        Map.entry("checkout", SearchSamples.anomaly("checkout", 1)),
        Map.entry("checkout", SearchSamples.anomaly("checkout", 2)),
        Map.entry("payment", SearchSamples.anomaly("payment", 3)));
    KAFKA.produce(
        topics.incidents,
        Map.entry("inc-1", SearchSamples.incident("inc-1", 1, IncidentState.OPEN)),
        Map.entry("inc-1", SearchSamples.incident("inc-1", 2, IncidentState.RESOLVED)));
    KAFKA.produce(topics.alerts, Map.entry("f00d", SearchSamples.alert("f00d")));
    KAFKA.produce(
        topics.signals,
        Map.entry(SearchSamples.series("checkout"), SearchSamples.window(0)),
        Map.entry(SearchSamples.series("checkout"), SearchSamples.window(1)),
        // Window 1 again, revised with late data (enrichment's early emission): replaces it.
        Map.entry(
            SearchSamples.series("checkout"),
            SignalWindow.newBuilder(SearchSamples.window(1))
                .setRevision(1)
                .setCount(1300)
                .build()));

    startSink("docs", topics, "docs");

    String anomalies = topics.anomalies.name();
    String revised = "{\"query\":{\"term\":{\"revision\":1}}}";
    await().atMost(WAIT).until(() -> node().count(topics.signals.name()) >= 2);
    await().atMost(WAIT).until(() -> node().search(topics.signals.name(), revised).size() == 1);
    assertThat(node().count(topics.signals.name()))
        .as("one document per series and window")
        .isEqualTo(2);
    JsonNode revision = node().search(topics.signals.name(), revised).get(0);
    assertThat(revision.path("_source").path("count").asLong()).isEqualTo(1300);
    assertThat(revision.path("_source").path("windowStart").asText())
        .isEqualTo("2026-11-24T10:01:00Z");
    assertThat(revision.path("_id").asText()).endsWith("@2026-11-24T10:01:00Z");
    await().atMost(WAIT).until(() -> node().count(anomalies) == 3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                node()
                        .search(topics.incidents.name(), null)
                        .path(0)
                        .path("_source")
                        .path("version")
                        .asInt()
                    == 2);
    assertThat(node().count(topics.incidents.name()))
        .as("one document per incident id")
        .isEqualTo(1);
    assertThat(node().count(topics.alerts.name())).isEqualTo(1);

    JsonNode incident = node().search(topics.incidents.name(), null).get(0);
    assertThat(incident.path("_id").asText()).isEqualTo("inc-1");
    assertThat(incident.path("_source").path("state").asText()).isEqualTo("RESOLVED");
    JsonNode anomaly =
        node().search(anomalies, "{\"query\":{\"term\":{\"observed\":901.0}}}").get(0);
    assertThat(anomaly.path("_id").asText()).isEqualTo(anomalies + "+0+0");
    assertThat(anomaly.path("_source").path("@timestamp").asText())
        .isEqualTo("2026-11-24T10:01:00Z");
    JsonNode window = node().search(topics.signals.name(), null).get(0).path("_source");
    assertThat(window.path("series").path("service").asText()).isEqualTo("checkout");
    assertThat(node().search(topics.alerts.name(), null).get(0).path("_id").asText())
        .isEqualTo("f00d");

    JsonNode mapping = node().get("/" + anomalies + "/_mapping").path(anomalies).path("mappings");
    assertThat(mapping.path("properties").path("score").path("type").asText()).isEqualTo("double");
    assertThat(mapping.path("properties").path("at").path("type").asText()).isEqualTo("date");
    assertThat(mapping.path("properties").path("service").path("type").asText())
        .isEqualTo("keyword");
    assertThat(
            node()
                .search(
                    anomalies,
                    "{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2026-11-24T10:02:00Z\"}}}}")
                .size())
        .as("@timestamp is a date: a range query selects the anomalies at 10:02 and 10:03")
        .isEqualTo(2);
  }

  @Test
  void redeliveryAfterARestartAddsNoDuplicates() throws Exception {
    TopicCatalog topics = topics("redo.");
    for (int i = 0; i < 20; i++) {
      KAFKA.produce(topics.anomalies, Map.entry("checkout", SearchSamples.anomaly("checkout", i)));
    }
    for (int i = 0; i < 2; i++) {
      KAFKA.produceRaw(
          topics.otlpLogs.name(),
          "checkout".getBytes(StandardCharsets.UTF_8),
          SearchSamples.logs(
                  "checkout",
                  SearchSamples.log(3 * i, "a"),
                  SearchSamples.log(3 * i + 1, "b"),
                  SearchSamples.log(3 * i + 2, "c"))
              .toByteArray());
    }
    String logs = "logs-vigil-redo";
    startSink("redo", topics, "redo");
    await().atMost(WAIT).until(() -> node().count(topics.anomalies.name()) == 20);
    await().atMost(WAIT).until(() -> node().count(logs) == 6);

    // Stop the sink and forget its committed offsets: the new task starts from the beginning, so
    // every record is delivered a second time.
    CONNECT.connect().deleteConnector("redo");
    await().atMost(WAIT).ignoreExceptions().until(() -> forgetOffsets("connect-redo"));
    startSink("redo", topics, "redo");
    // One more record behind the replayed ones on each (single-partition) topic: once it is
    // indexed, every replayed record before it has been written again.
    KAFKA.produce(topics.anomalies, Map.entry("checkout", SearchSamples.anomaly("checkout", 99)));
    KAFKA.produceRaw(
        topics.otlpLogs.name(),
        "checkout".getBytes(StandardCharsets.UTF_8),
        SearchSamples.logs("checkout", SearchSamples.log(99, "marker")).toByteArray());
    await().atMost(WAIT).until(() -> node().count(topics.anomalies.name()) >= 21);
    await().atMost(WAIT).until(() -> node().count(logs) >= 7);

    assertThat(node().count(topics.anomalies.name()))
        .as("20 replayed + 1 new, no copies")
        .isEqualTo(21);
    assertThat(node().count(logs)).as("6 replayed + 1 new log records, no copies").isEqualTo(7);
    JsonNode replayed =
        node()
            .search(
                topics.anomalies.name(),
                "{\"version\":true,\"query\":{\"range\":{\"observed\":{\"lt\":990}}}}");
    assertThat(replayed.size()).isEqualTo(20);
    for (JsonNode hit : replayed) {
      assertThat(hit.path("_version").asInt())
          .as("written twice, to the same id: " + hit.path("_id"))
          .isEqualTo(2);
    }
  }

  @Test
  void malformedRecordsGoToTheDeadLetterQueueWhileTheRestFlows() throws Exception {
    TopicCatalog topics = topics("bad.");
    KAFKA.produce(topics.anomalies, Map.entry("checkout", SearchSamples.anomaly("checkout", 1)));
    KAFKA.produceRaw(
        topics.anomalies.name(), "checkout".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
    KAFKA.produce(topics.anomalies, Map.entry("checkout", SearchSamples.anomaly("checkout", 2)));
    byte[] key = "checkout".getBytes(StandardCharsets.UTF_8);
    KAFKA.produceRaw(
        topics.otlpLogs.name(),
        key,
        SearchSamples.logs(
                "checkout",
                SearchSamples.log(
                    1,
                    "ok",
                    SearchSamples.attribute("http.status_code", SearchSamples.number(200))))
            .toByteArray());
    KAFKA.produceRaw(
        topics.otlpLogs.name(), key, "not OTLP at all".getBytes(StandardCharsets.UTF_8));
    // The cluster maps attributes.http.status_code as a number from the first log: text is refused.
    KAFKA.produceRaw(
        topics.otlpLogs.name(),
        key,
        SearchSamples.logs(
                "checkout",
                SearchSamples.log(
                    2,
                    "conflict",
                    SearchSamples.attribute("http.status_code", SearchSamples.text("two hundred"))))
            .toByteArray());
    KAFKA.produceRaw(
        topics.otlpLogs.name(),
        key,
        SearchSamples.logs("checkout", SearchSamples.log(3, "after")).toByteArray());

    startSink("bad", topics, "bad");

    List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.consumeRaw("bad.dlq", 3, WAIT);
    await().atMost(WAIT).until(() -> node().count(topics.anomalies.name()) == 2);
    await().atMost(WAIT).until(() -> node().count("logs-vigil-bad") == 2);
    Map<String, String> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      reasons.put(
          header(record, "__connect.errors.topic")
              + "@"
              + header(record, "__connect.errors.offset"),
          header(record, "__connect.errors.exception.message"));
    }
    assertThat(reasons).hasSize(3);
    assertThat(reasons.get(topics.anomalies.name() + "@1"))
        .contains("not Avro single-object encoded");
    assertThat(reasons.get(topics.otlpLogs.name() + "@1")).contains("is not OTLP logs");
    assertThat(reasons.get(topics.otlpLogs.name() + "@2")).contains("mapper_parsing_exception");
    assertThat(node().search("logs-vigil-bad", null).findValuesAsText("text"))
        .containsExactlyInAnyOrder("ok", "after");
  }

  @Test
  void otlpLogsLandInTheLogsDataStreamFlattenedLikeTheCollector() throws Exception {
    TopicCatalog topics = topics("logs.");
    byte[] key = "checkout".getBytes(StandardCharsets.UTF_8);
    KAFKA.produceRaw(
        topics.otlpLogs.name(),
        key,
        SearchSamples.logs(
                "checkout",
                SearchSamples.log(
                    1,
                    "payment declined",
                    SearchSamples.attribute("http.route", SearchSamples.text("/pay"))),
                SearchSamples.log(2, "retrying"))
            .toByteArray());
    KAFKA.produceRaw(
        topics.otlpLogs.name(),
        key,
        OtlpJson.print(SearchSamples.logs("cart", SearchSamples.log(3, "from otlp_json")))
            .getBytes(StandardCharsets.UTF_8));

    startSink("logs", topics, "logs");

    String stream = "logs-vigil-logs";
    await().atMost(WAIT).until(() -> node().count(stream) == 3);
    JsonNode checkout =
        node()
            .search(
                stream,
                "{\"query\":{\"term\":{\"resource.attributes.service.name\":\"checkout\"}}}");
    assertThat(checkout.size()).isEqualTo(2);
    JsonNode declined =
        node()
            .search(stream, "{\"query\":{\"term\":{\"attributes.http.route\":\"/pay\"}}}")
            .get(0)
            .path("_source");
    assertThat(declined.path("@timestamp").asText()).isEqualTo("2026-11-24T10:00:00.001000123Z");
    assertThat(declined.path("observed_timestamp").asText()).isEqualTo("2026-11-24T10:00:01Z");
    assertThat(declined.path("severity_text").asText()).isEqualTo("ERROR");
    assertThat(declined.path("severity_number").asInt()).isEqualTo(17);
    assertThat(declined.path("body").path("text").asText()).isEqualTo("payment declined");
    assertThat(declined.path("trace_id").asText()).isEqualTo(SearchSamples.TRACE_ID);
    assertThat(declined.path("span_id").asText()).isEqualTo(SearchSamples.SPAN_ID);
    assertThat(declined.path("scope").path("name").asText()).isEqualTo("io.vigil.checkout");
    assertThat(declined.path("data_stream").path("namespace").asText()).isEqualTo("logs");
    assertThat(node().search(stream, "{\"query\":{\"match\":{\"body.text\":\"declined\"}}}").size())
        .as("body.text is full-text searchable")
        .isEqualTo(1);

    JsonNode template = node().get("/_index_template/" + IndexTemplates.name(stream));
    assertThat(
            template
                .path("index_templates")
                .path(0)
                .path("index_template")
                .path("index_patterns")
                .path(0)
                .asText())
        .isEqualTo(stream);
    if (dataStreams()) {
      JsonNode dataStream = node().get("/_data_stream/" + stream).path("data_streams").path(0);
      assertThat(dataStream.path("name").asText()).isEqualTo(stream);
      assertThat(dataStream.path("template").asText()).isEqualTo(IndexTemplates.name(stream));
    } else {
      assertThat(node().send("GET", "/_data_stream/" + stream, null).statusCode())
          .as("this engine has no data streams: a plain index of the same name")
          .isNotEqualTo(200);
    }
  }

  @Test
  void throttledDocumentsAreSentAgainUntilTheClusterTakesThem() throws Exception {
    TopicCatalog topics = topics("busy.");
    KAFKA.produce(topics.anomalies, Map.entry("checkout", SearchSamples.anomaly("checkout", 0)));
    startSink("busy", topics, "busy");
    String index = topics.anomalies.name();
    await().atMost(WAIT).until(() -> node().count(index) == 1);

    // The block a full disk sets: the cluster answers each document with 429 until it is lifted.
    block(index, true);
    for (int i = 1; i <= 5; i++) {
      KAFKA.produce(topics.anomalies, Map.entry("checkout", SearchSamples.anomaly("checkout", i)));
    }
    await().atMost(WAIT).ignoreExceptions().until(() -> retried("busy") >= 5);
    assertThat(node().count(index)).as("nothing gets in while blocked").isEqualTo(1);
    block(index, false);

    await().atMost(WAIT).until(() -> node().count(index) >= 6);
    assertThat(node().count(index)).as("each throttled document once").isEqualTo(6);
  }

  private void block(String index, boolean blocked) throws Exception {
    String body = "{\"index.blocks.read_only_allow_delete\":" + (blocked ? "true" : "null") + "}";
    assertThat(node().send("PUT", "/" + index + "/_settings", body).statusCode()).isEqualTo(200);
  }

  /** The task's documents-retried, as Connect publishes it over JMX. */
  private static long retried(String connector) throws Exception {
    ObjectName name =
        new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=0");
    Object value =
        ManagementFactory.getPlatformMBeanServer().getAttribute(name, "documents-retried");
    return ((Number) value).longValue();
  }

  private TopicCatalog topics(String prefix) throws Exception {
    TopicCatalog topics = TopicCatalog.create(prefix, 1, (short) 1);
    KAFKA.createTopics(
        topics.anomalies, topics.incidents, topics.alerts, topics.signals, topics.otlpLogs);
    return topics;
  }

  private void startSink(String name, TopicCatalog topics, String namespace) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", SearchSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put(
        "topics",
        String.join(
            ",",
            topics.anomalies.name(),
            topics.incidents.name(),
            topics.alerts.name(),
            topics.signals.name(),
            topics.otlpLogs.name()));
    config.put("key.converter", RecordBytes.CONVERTER);
    config.put("value.converter", RecordBytes.CONVERTER);
    config.put("connection.url", node().url().toString());
    config.put("logs.topics", topics.otlpLogs.name());
    config.put("logs.namespace", namespace);
    config.put("behavior.on.malformed.documents", "report");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", topics.prefix() + "dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("retry.backoff.ms", "50");
    CONNECT.startConnector(name, config);
  }

  /** Deletes a consumer group once its members left; true when it is gone. */
  private static boolean forgetOffsets(String group) throws Exception {
    try {
      KAFKA.admin().deleteConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
    }
    return true;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
