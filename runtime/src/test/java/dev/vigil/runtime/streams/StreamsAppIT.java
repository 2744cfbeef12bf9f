package dev.vigil.runtime.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.ManagementServer;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.topics.ProvisionReport;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.CleanupPolicy;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once app on a real broker: good records flow, a record with corrupt bytes and a record
 * that makes the processor throw both land in the DLQ with their reason, and both are counted in
 * /metrics, while the app stays RUNNING.
 */
@Timeout(120)
class StreamsAppIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  private static final String APP = "probe";
  private static TopicCatalog topics;
  private static TopicSpec<String, ServiceInfo> output;
  private static PrometheusMeterRegistry registry;
  private static ManagementServer management;
  private static StreamsApp app;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startApp() throws Exception {
    CoreConfig config =
        new CoreConfig(
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "state.dir", stateDir.toString(),
                        "topic.partitions", "2",
                        "management.host", "127.0.0.1",
                        "management.port", "0")));
    topics =
        TopicCatalog.create(
            config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
    output =
        new TopicSpec<>(
            "probe.out",
            2,
            (short) 1,
            CleanupPolicy.DELETE,
            Optional.empty(),
            Serdes.String(),
            VigilSerdes.SERVICE_INFO);
    ProvisionReport report =
        new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30))
            .provision(List.of(topics.catalog, topics.dlq(APP), output));
    assertThat(report.created())
        .containsExactlyInAnyOrder(topics.catalog.name(), topics.dlq(APP).name(), "probe.out");
    assertThat(report.ok()).isTrue();

    registry = Metrics.newRegistry();
    management = new ManagementServer("127.0.0.1", 0, registry);
    app = new StreamsApp(APP, config, upperCaseTeams(), topics.dlq(APP).name(), registry);
    management.register(app.healthCheck());
    app.start();
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
    if (management != null) {
      management.close();
    }
  }

  /** Upper-cases each service's team; a team named "explode" makes the processor throw. */
  private static Topology upperCaseTeams() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.catalog.name(), topics.catalog.consumed().withName("catalog-source"))
        .mapValues(
            info -> {
              if ("explode".equals(info.getTeam())) {
                throw new IllegalStateException("team explode is a poison value");
              }
              if ("unwritable".equals(info.getTeam())) {
                return new ServiceInfo(); // required fields unset: the Avro serializer refuses it
              }
              return ServiceInfo.newBuilder(info).setTeam(info.getTeam().toUpperCase()).build();
            },
            Named.as("upper-case-team"))
        .to(output.name(), output.produced().withName("probe-sink"));
    return builder.build();
  }

  @Test
  void routesPoisonRecordsToDlqWhileGoodRecordsFlow() throws Exception {
    KAFKA.produce(topics.catalog, Map.entry("cart", info("cart", "shop")));
    KAFKA.produceRaw(
        topics.catalog.name(),
        "broken".getBytes(StandardCharsets.UTF_8),
        new byte[] {0x00, 0x13, 0x37});
    KAFKA.produce(topics.catalog, Map.entry("payment", info("payment", "explode")));
    KAFKA.produce(topics.catalog, Map.entry("search", info("search", "unwritable")));
    KAFKA.produce(topics.catalog, Map.entry("checkout", info("checkout", "payments")));

    List<ConsumerRecord<String, ServiceInfo>> out =
        KAFKA.consume(output, 2, Duration.ofSeconds(60));
    assertThat(out)
        .extracting(r -> r.value().getTeam())
        .containsExactlyInAnyOrder("SHOP", "PAYMENTS");

    List<ConsumerRecord<byte[], byte[]>> dead =
        KAFKA.consumeRaw(topics.dlq(APP).name(), 3, Duration.ofSeconds(60));
    ConsumerRecord<byte[], byte[]> corrupt = byKey(dead, "broken");
    assertThat(header(corrupt, DeadLetters.HEADER_STAGE)).isEqualTo("deserialization");
    assertThat(header(corrupt, DeadLetters.HEADER_APP)).isEqualTo(APP);
    assertThat(header(corrupt, DeadLetters.HEADER_TOPIC)).isEqualTo(topics.catalog.name());
    assertThat(header(corrupt, DeadLetters.HEADER_OFFSET)).isEqualTo("1");
    assertThat(header(corrupt, DeadLetters.HEADER_MESSAGE)).contains("cannot decode ServiceInfo");
    assertThat(corrupt.value()).containsExactly(0x00, 0x13, 0x37);

    ConsumerRecord<byte[], byte[]> exploded = byKey(dead, "payment");
    assertThat(header(exploded, DeadLetters.HEADER_STAGE)).isEqualTo("processing");
    assertThat(header(exploded, DeadLetters.HEADER_EXCEPTION))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(exploded, DeadLetters.HEADER_MESSAGE))
        .contains("team explode is a poison value");
    assertThat(header(exploded, DeadLetters.HEADER_OFFSET)).isEqualTo("2");
    assertThat(
            VigilSerdes.SERVICE_INFO.deserializer().deserialize("t", exploded.value()).getService())
        .isEqualTo("payment");

    ConsumerRecord<byte[], byte[]> unwritable = byKey(dead, "search");
    assertThat(header(unwritable, DeadLetters.HEADER_STAGE)).isEqualTo("serialization");
    assertThat(header(unwritable, DeadLetters.HEADER_MESSAGE))
        .contains("cannot encode ServiceInfo");
    assertThat(header(unwritable, DeadLetters.HEADER_OFFSET)).isEqualTo("3");
    assertThat(
            VigilSerdes.SERVICE_INFO.deserializer().deserialize("t", unwritable.value()).getTeam())
        .as("the DLQ keeps the input record that produced the unwritable output")
        .isEqualTo("unwritable");

    assertThat(dead).hasSize(3);
    assertThat(app.state().name()).isEqualTo("RUNNING");
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("vigil_dlq_records_total{app=\"probe\",stage=\"deserialization\"} 1.0")
        .contains("vigil_dlq_records_total{app=\"probe\",stage=\"processing\"} 1.0")
        .contains("vigil_dlq_records_total{app=\"probe\",stage=\"serialization\"} 1.0")
        .contains("jvm_memory_used_bytes")
        .contains("kafka_stream_thread_");
  }

  @Test
  void reportsReadyOnlyWhileRunning() throws Exception {
    await("app ready")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> ready = get("/health/ready");
              assertThat(ready.statusCode()).isEqualTo(200);
              assertThat(ready.body())
                  .contains("\"probe\":{\"status\":\"UP\",\"state\":\"RUNNING\"}");
            });
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ServiceInfo info(String service, String team) {
    return ServiceInfo.newBuilder().setService(service).setTeam(team).build();
  }

  private static ConsumerRecord<byte[], byte[]> byKey(
      List<ConsumerRecord<byte[], byte[]>> records, String key) {
    return records.stream()
        .filter(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no DLQ record with key " + key));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as("header %s", name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
