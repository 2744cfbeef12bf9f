package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil run APP} against an existing cluster, as one pod per app would run it. */
@Timeout(120)
class VigilRunIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir java.nio.file.Path stateDir;

  @Test
  void runsTheBridgeAloneAgainstAnExistingCluster() throws Exception {
    try (VigilProcess vigil =
        VigilProcess.start(
            "run",
            "bridge",
            "-b",
            KAFKA.bootstrapServers(),
            "--set",
            "management.port=0",
            "--set",
            "bridge.grpc.port=0",
            "--set",
            "bridge.http.port=0",
            "--set",
            "state.dir=" + stateDir)) {
      await("vigil run ready")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(vigil.isAlive()).as("vigil exited early:\n%s", vigil.stderr()).isTrue();
                assertThat(vigil.stdout()).contains("Press Ctrl-C to stop.");
              });
      assertThat(vigil.stdout()).contains("Vigil is running against " + KAFKA.bootstrapServers());
      Matcher port = Pattern.compile("HTTP 0\\.0\\.0\\.0:(\\d+)").matcher(vigil.stdout());
      assertThat(port.find()).as(vigil.stdout()).isTrue();

      HttpResponse<byte[]> sent =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port.group(1) + "/v1/traces"))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              Otlp.traces("run-it", Otlp.span("GET /", 1)).toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(sent.statusCode()).isEqualTo(200);
      assertThat(KAFKA.consumeRaw("otlp_spans", 1, Duration.ofSeconds(30)))
          .anySatisfy(
              r ->
                  assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
                      .isEqualTo("run-it"));

      vigil.terminate(Duration.ofSeconds(10));
      assertThat(vigil.stderr()).contains("Vigil stopped");
    }
  }

  @Test
  void refusesAnUnknownAppNamingTheKnownOnes() throws Exception {
    VigilProcess vigil =
        VigilProcess.run(Duration.ofSeconds(60), "run", "nonsense", "-b", KAFKA.bootstrapServers());

    assertThat(vigil.exitValue()).isEqualTo(2);
    assertThat(vigil.stderr())
        .contains("unknown app 'nonsense'; apps: bridge, enrichment, anomaly, forecast, rca");
  }
}
