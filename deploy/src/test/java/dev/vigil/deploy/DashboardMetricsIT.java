package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.deploy.dashboards.PromQl;
import dev.vigil.deploy.dashboards.VigilDashboards;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline dashboard only names metrics Vigil exports: every app of the build runs as {@code
 * vigil run} (one process, as a pod would run each), receives a span, and its {@code /metrics} is
 * scraped. The probe paths of the manifests answer 200 on the same endpoint.
 */
@Timeout(150)
class DashboardMetricsIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir java.nio.file.Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pipelineDashboardNamesOnlyExportedMetrics() throws Exception {
    try (VigilProcess vigil =
        VigilProcess.start(
            "run",
            "bridge",
            "enrichment",
            "anomaly",
            "forecast",
            "rca",
            "-b",
            KAFKA.bootstrapServers(),
            "--set",
            "management.port=0",
            "--set",
            "bridge.grpc.port=0",
            "--set",
            "bridge.http.port=0",
            "--set",
            "state.dir=" + stateDir,
            // Small enough that the span with a 4000-byte attribute below is refused.
            "--set",
            "bridge.max.record.bytes=1024")) {
      await("vigil run ready")
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(vigil.isAlive()).as("vigil exited early:\n%s", vigil.stderr()).isTrue();
                assertThat(vigil.stdout()).contains("Press Ctrl-C to stop.");
              });
      int management = port(vigil.stdout(), "Management\\s+http://[^:]+:(\\d+)/metrics");
      int otlpHttp = port(vigil.stdout(), "HTTP 0\\.0\\.0\\.0:(\\d+)");

      // Counters with labels appear at their first increment: a span accepted, a span too
      // large for a record (items refused) and a malformed request (request refused).
      assertThat(
              postTraces(
                  otlpHttp, Otlp.traces("dashboard-it", Otlp.span("GET /", 1)).toByteArray()))
          .isEqualTo(200);
      assertThat(
              postTraces(
                  otlpHttp, Otlp.traces("dashboard-it", Otlp.span("GET /big", 4000)).toByteArray()))
          .as("partial success: the span is refused, the request answered")
          .isEqualTo(200);
      assertThat(postTraces(otlpHttp, new byte[] {(byte) 0xff, 0x01, 0x02})).isEqualTo(400);

      Set<String> wanted = new TreeSet<>();
      VigilDashboards.queries(VigilDashboards.PODS_DATASOURCE)
          .forEach(q -> wanted.addAll(PromQl.metricNames(q)));
      assertThat(wanted).hasSizeGreaterThanOrEqualTo(12);
      await("every metric of the pipeline dashboard exported")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(exportedNames(management)).containsAll(wanted));

      // The probes of deploy/k8s (KubernetesManifestsTest ties them to these paths).
      for (String path : new String[] {"/health/live", "/health/ready"}) {
        await(path)
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(get(management, path).statusCode()).isEqualTo(200));
      }
      vigil.terminate(Duration.ofSeconds(15));
    }
  }

  private int postTraces(int port, byte[] body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private Set<String> exportedNames(int port) throws Exception {
    return get(port, "/metrics")
        .body()
        .lines()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int port(String stdout, String regex) {
    Matcher m = Pattern.compile(regex).matcher(stdout);
    assertThat(m.find()).as("%s in:\n%s", regex, stdout).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
