package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ChangeType;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.RequiredBinary;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code vigil} jar, run as users run it: {@code vigil up} starts a broker whose
 * topics a foreign client (kcat) sees, SIGTERM stops it within 10 s, a second start reuses the
 * data, and {@code topics verify} and {@code tail} work against it.
 */
@Timeout(240)
class VigilUpIT {
  private static final Duration STOP_BOUND = Duration.ofSeconds(10);
  @TempDir Path dataDir;

  @Test
  void runsBrokerAndTopicsThenStopsCleanlyAndReusesDataOnRestart() throws Exception {
    Path kcat = RequiredBinary.require("kcat", "kcat");
    int kafkaPort = freePort();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    TopicCatalog topics = TopicCatalog.defaults();
    String[] up = {
      "up",
      "--data-dir",
      dataDir.toString(),
      "--kafka-port",
      Integer.toString(kafkaPort),
      "--controller-port",
      Integer.toString(freePort()),
      "--set",
      "management.port=" + freePort(),
      "--set",
      "bridge.grpc.port=0",
      "--set",
      "bridge.http.port=0"
    };

    String clusterId;
    String created;
    try (VigilProcess vigil = VigilProcess.start(up)) {
      awaitUp(vigil);
      clusterId = line(vigil.stdout(), "Data");
      created = line(vigil.stdout(), "Topics").replaceAll(".*ready, (\\d+) created now.*", "$1");

      String metadata = run(kcat.toString(), "-b", bootstrap, "-L");
      for (TopicSpec<?, ?> topic : topics.all()) {
        assertThat(metadata)
            .contains("topic \"" + topic.name() + "\" with " + topic.partitions() + " partitions");
      }
      runWithInput(
          "log line kept across restarts\n",
          kcat.toString(),
          "-b",
          bootstrap,
          "-P",
          "-t",
          topics.otlpLogs.name(),
          "-k",
          "checkout");
      produceChange(bootstrap, topics.changes, "payment");

      VigilProcess verify =
          VigilProcess.run(Duration.ofSeconds(60), "topics", "verify", "-b", bootstrap);
      assertThat(verify.exitValue()).as(verify.stderr()).isZero();
      assertThat(verify.stdout())
          .contains("ok        vigil.alerts")
          .contains("All topics match the catalog.");

      VigilProcess tail =
          VigilProcess.run(
              Duration.ofSeconds(60),
              "tail",
              topics.changes.name(),
              "-b",
              bootstrap,
              "--from-beginning",
              "-n",
              "1");
      assertThat(tail.exitValue()).as(tail.stderr()).isZero();
      assertThat(tail.stdout())
          .contains("\"topic\":\"vigil.changes\"")
          .contains("\"key\":\"payment\"")
          .contains(
              "\"value\":{\"service\":\"payment\",\"type\":\"DEPLOY\",\"at\":\"2026-11-24T10:00:00Z\","
                  + "\"version\":\"v2.3\"");

      String span =
          "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
              + "\"value\":{\"stringValue\":\"cart\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
              + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET /cart\","
              + "\"kind\":2}]}]}]}";
      HttpResponse<String> sent =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + bridgeHttpPort(vigil) + "/v1/traces"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(span))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
      VigilProcess spans =
          VigilProcess.run(
              Duration.ofSeconds(60),
              "tail",
              topics.otlpSpans.name(),
              "-b",
              bootstrap,
              "--from-beginning",
              "-n",
              "1");
      assertThat(spans.stdout())
          .contains("\"key\":\"cart\"")
          .contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\"")
          .contains("\"name\":\"GET /cart\"");

      long started = System.nanoTime();
      vigil.terminate(STOP_BOUND);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(STOP_BOUND);
      assertThat(vigil.stderr()).contains("Vigil stopped").doesNotContain("ERROR");
    }

    try (VigilProcess again = VigilProcess.start(up)) {
      awaitUp(again);
      assertThat(line(again.stdout(), "Data")).isEqualTo(clusterId);
      // The catalog plus each app's own topics (e.g. vigil.dlq.rca), all created by the first run.
      assertThat(Integer.parseInt(created)).isGreaterThan(topics.all().size());
      assertThat(again.stdout()).contains(created + " ready, 0 created now");
      String logs =
          run(
              kcat.toString(),
              "-b",
              bootstrap,
              "-C",
              "-t",
              topics.otlpLogs.name(),
              "-e",
              "-f",
              "%k=%s\n");
      assertThat(logs).contains("checkout=log line kept across restarts");
      again.terminate(STOP_BOUND);
    }
  }

  @Test
  void exposesMetricsAndReadinessWhileUp() throws Exception {
    int managementPort = freePort();
    try (VigilProcess vigil =
        VigilProcess.start(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--kafka-port",
            Integer.toString(freePort()),
            "--controller-port",
            Integer.toString(freePort()),
            "--set",
            "management.port=" + managementPort,
            "--set",
            "bridge.grpc.port=0",
            "--set",
            "bridge.http.port=0")) {
      awaitUp(vigil);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .contains("\"broker\":{\"status\":\"UP\"")
          .contains("\"bridge\":{\"status\":\"UP\",\"state\":\"RUNNING\"}")
          .contains("\"rca\":{\"status\":\"UP\",\"state\":\"RUNNING\"}");
      assertThat(vigil.stdout())
          .containsPattern("bridge +OTLP gRPC 127.0.0.1:\\d+, HTTP 127.0.0.1:\\d+")
          .contains("rca            Kafka Streams app vigil-rca (RUNNING)");
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("jvm_memory_used_bytes")
          .contains("process_uptime_seconds");
      vigil.terminate(STOP_BOUND);
    }
  }

  @Test
  void badConfigValueStopsStartupNamingTheKey() throws Exception {
    VigilProcess vigil =
        VigilProcess.run(
            Duration.ofSeconds(60),
            "up",
            "--data-dir",
            dataDir.toString(),
            "--set",
            "management.port=http");

    assertThat(vigil.exitValue()).isEqualTo(2);
    assertThat(vigil.stderr())
        .contains("vigil: configuration error: invalid value 'http' for management.port")
        .contains("command-line flag --set management.port");
  }

  @Test
  void unknownConfigKeyStopsStartupWithSuggestion() throws Exception {
    VigilProcess vigil =
        VigilProcess.run(Duration.ofSeconds(60), "topics", "verify", "--set", "topic.partition=3");

    assertThat(vigil.exitValue()).isEqualTo(2);
    assertThat(vigil.stderr())
        .contains("unknown config key 'topic.partition'")
        .contains("Did you mean 'topic.partitions'?");
  }

  private static void awaitUp(VigilProcess vigil) {
    await("vigil up ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(vigil.isAlive()).as("vigil exited early:\n%s", vigil.stderr()).isTrue();
              assertThat(vigil.stdout()).contains("Press Ctrl-C to stop.");
            });
  }

  private static int bridgeHttpPort(VigilProcess vigil) {
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("bridge +OTLP gRPC [0-9.]+:\\d+, HTTP [0-9.]+:(\\d+)")
            .matcher(vigil.stdout());
    assertThat(matcher.find()).as(vigil.stdout()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static String line(String output, String label) {
    return output.lines().filter(l -> l.trim().startsWith(label)).findFirst().orElseThrow();
  }

  private static void produceChange(
      String bootstrap, TopicSpec<String, ChangeEvent> changes, String service) throws Exception {
    ChangeEvent deploy =
        ChangeEvent.newBuilder()
            .setService(service)
            .setType(ChangeType.DEPLOY)
            .setAt(Instant.parse("2026-11-24T10:00:00Z"))
            .setVersion("v2.3")
            .build();
    try (KafkaProducer<String, ChangeEvent> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            changes.keySerde().serializer(),
            changes.valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(changes.name(), service, deploy))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static String run(String... command) throws Exception {
    return runWithInput("", command);
  }

  private static String runWithInput(String input, String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
    return output;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
