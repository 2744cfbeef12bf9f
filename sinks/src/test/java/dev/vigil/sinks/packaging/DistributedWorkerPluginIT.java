package dev.vigil.sinks.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.PrometheusServer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged plugin (target/vigil-sinks-*-plugin/vigil-sinks) in a distributed-mode worker of its
 * own JVM, whose class path has Kafka Connect but none of the plugin's classes: the connector can
 * only come from plugin.path, so this proves the package is complete.
 */
@Timeout(120)
class DistributedWorkerPluginIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();

  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final PrometheusServer PROMETHEUS = new PrometheusServer();

  private static Process worker;

  @AfterAll
  static void stopWorker() throws InterruptedException {
    if (worker != null) {
      worker.destroy();
      if (!worker.waitFor(15, TimeUnit.SECONDS)) {
        worker.destroyForcibly();
      }
    }
  }

  @Test
  void distributedWorkerLoadsThePluginAndWrites() throws Exception {
    Path plugin = pluginDirectory();
    Set<String> packaged;
    try (Stream<Path> jars = Files.list(plugin)) {
      packaged = jars.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    assertThat(packaged)
        .contains("vigil-sinks-" + version() + ".jar", "snappy-java-1.1.10.7.jar")
        .noneMatch(
            name ->
                name.startsWith("connect-api")
                    || name.startsWith("kafka-clients")
                    || name.startsWith("slf4j"));

    int restPort = freePort();
    Path dir = Files.createTempDirectory("vigil-connect-distributed");
    Path props = dir.resolve("worker.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "bootstrap.servers=" + KAFKA.bootstrapServers(),
            "group.id=vigil-sinks-it",
            "config.storage.topic=connect-configs",
            "offset.storage.topic=connect-offsets",
            "status.storage.topic=connect-status",
            "config.storage.replication.factor=1",
            "offset.storage.replication.factor=1",
            "status.storage.replication.factor=1",
            "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
            "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
            "listeners=http://127.0.0.1:" + restPort,
            "plugin.path=" + plugin.getParent(),
            "plugin.discovery=service_load",
            "offset.flush.interval.ms=1000",
            "consumer.auto.offset.reset=earliest",
            ""));
    worker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                workerClassPath(plugin),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                props.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker.log").toFile())
            .start();
    URI rest = URI.create("http://127.0.0.1:" + restPort);

    String plugins =
        await("worker lists the plugin's connectors")
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () -> get(rest.resolve("/connector-plugins")),
                body -> body.contains("PrometheusSinkConnector"));
    assertThat(plugins).contains("dev.vigil.sinks.alertmanager.AlertmanagerSinkConnector");

    KAFKA.createTopics(TOPICS.signals);
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
    KAFKA.produce(
        TOPICS.signals,
        Map.entry(
            SeriesKey.newBuilder().setService("checkout").setSignal("span.calls").build(),
            SignalWindow.newBuilder()
                .setWindowStart(end.minus(Duration.ofMinutes(1)))
                .setWindowEnd(end)
                .setType(SignalType.TRAFFIC)
                .setCount(120)
                .setSum(120)
                .setRate(2.0)
                .build()));
    String config =
        """
        {"connector.class": "dev.vigil.sinks.prometheus.PrometheusSinkConnector",
         "tasks.max": "1", "topics": "%s", "connection.url": "%s",
         "behavior.on.malformed.records": "fail"}
        """
            .formatted(TOPICS.signals.name(), PROMETHEUS.remoteWriteUrl());
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(rest.resolve("/connectors/prometheus/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(config))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);

    await("rate written by the distributed worker")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        PROMETHEUS.query(
                            "span_calls:rate1m{service=\"checkout\"}", end.toEpochMilli()))
                    .singleElement()
                    .satisfies(p -> assertThat(p.value()).isEqualTo(2.0)));
  }

  private static String pluginsOf(URI rest, Path dir) throws IOException, InterruptedException {
    if (!worker.isAlive()) {
      throw new AssertionError("worker exited:\n" + Files.readString(dir.resolve("worker.log")));
    }
    return get(rest.resolve("/connector-plugins"));
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * This JVM's class path without the plugin's jars and classes; Jackson stays, since Connect's own
   * JSON converter needs it (a real worker ships it too).
   */
  private static String workerClassPath(Path plugin) throws IOException {
    Set<String> packaged;
    try (Stream<Path> jars = Files.list(plugin)) {
      packaged = jars.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    List<String> entries =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(
                entry -> {
                  String name = Path.of(entry).getFileName().toString();
                  return !packaged.contains(name) || name.startsWith("jackson-");
                })
            .filter(
                entry ->
                    !entry.contains("vigil-")
                        && !entry.contains("sinks" + File.separator + "target"))
            .filter(entry -> !entry.contains("schemas" + File.separator + "target"))
            .filter(entry -> !entry.contains("runtime" + File.separator + "target"))
            .filter(entry -> !entry.contains("testkit" + File.separator + "target"))
            .toList();
    return String.join(File.pathSeparator, entries);
  }

  private static Path pluginDirectory() {
    Path dir = Path.of("target", "vigil-sinks-" + version() + "-plugin", "vigil-sinks");
    assertThat(dir).as("plugin built by mvn package").isDirectory();
    return dir.toAbsolutePath();
  }

  private static String version() {
    return dev.vigil.sinks.common.SinkVersion.get();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
