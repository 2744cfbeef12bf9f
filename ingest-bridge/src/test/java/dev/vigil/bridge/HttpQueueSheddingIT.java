package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With every OTLP/HTTP thread busy and {@code bridge.http.max.queued} requests already waiting,
 * further requests are answered 429 with Retry-After at once, not queued behind the busy ones.
 */
@Timeout(120)
class HttpQueueSheddingIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static BridgeFixture fixture;

  @BeforeAll
  static void startBridge() throws Exception {
    fixture =
        new BridgeFixture(
            KAFKA.bootstrapServers(),
            Map.of(
                "bridge.http.threads", "1",
                "bridge.http.max.queued", "1",
                "bridge.produce.timeout.ms", "4000"));
    KAFKA.createTopics(fixture.topics.otlpSpans);
  }

  @AfterAll
  static void stopBridge() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void requestsBeyondTheQueueAreRefusedAtOnce() throws Exception {
    KAFKA.stopBroker();
    try {
      // The only thread waits for Kafka (up to the 4 s produce timeout).
      CompletableFuture<HttpResponse<byte[]>> busy = post("busy");
      await("the thread holds a request")
          .atMost(Duration.ofSeconds(10))
          .until(() -> fixture.metric("vigil_bridge_inflight_bytes") > 0);
      List<CompletableFuture<HttpResponse<byte[]>>> more = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        more.add(post("more-" + i));
      }

      // At most one waits in the queue; the others are refused before the busy one is answered.
      long refused = 0;
      for (CompletableFuture<HttpResponse<byte[]>> response : more) {
        try {
          HttpResponse<byte[]> r = response.get(2, TimeUnit.SECONDS);
          assertThat(r.statusCode()).isEqualTo(429);
          assertThat(r.headers().firstValue("Retry-After")).contains("2");
          assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
              .contains("the bridge is busy");
          refused++;
        } catch (java.util.concurrent.TimeoutException queuedBehindTheBusyOne) {
          // The one request allowed to wait.
        }
      }
      assertThat(busy).isNotDone();
      assertThat(refused).isGreaterThanOrEqualTo(4);
      assertThat(
              fixture.metric(
                  "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"throttled\"}"))
          .isEqualTo(refused);
      assertThat(busy.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    } finally {
      KAFKA.startBroker();
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> post(String service) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(fixture.httpEndpoint("http") + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    Otlp.traces(service, Otlp.span("op", 10)).toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
