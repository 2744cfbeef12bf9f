package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the broker stopped mid-stream, clients get retryable answers (503 / 429 with Retry-After,
 * gRPC UNAVAILABLE / RESOURCE_EXHAUSTED with RetryInfo) instead of an unbounded buffer, and every
 * span that was acknowledged before, during or after the outage is in Kafka afterwards.
 */
@Timeout(180)
class BridgeOverloadIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long INFLIGHT_LIMIT = 1024 * 1024;

  private static BridgeFixture fixture;

  @BeforeAll
  static void startBridge() throws Exception {
    fixture =
        new BridgeFixture(
            KAFKA.bootstrapServers(),
            Map.of(
                "bridge.produce.timeout.ms",
                "3000",
                "bridge.max.inflight.bytes",
                Long.toString(INFLIGHT_LIMIT)));
    KAFKA.createTopics(
        fixture.topics.otlpMetrics, fixture.topics.otlpSpans, fixture.topics.otlpLogs);
  }

  @AfterAll
  static void stopBridge() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void brokerOutageGivesRetryableErrorsAndLosesNothingAcknowledged() throws Exception {
    Set<String> acknowledged = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(post(request("before-" + i, 100)).statusCode()).isEqualTo(200);
      acknowledged.add("before-" + i);
    }

    KAFKA.stopBroker();
    try {
      // Two requests of 600 KB against a 1 MiB bound: one waits for Kafka, the other is refused.
      CompletableFuture<HttpResponse<byte[]>> first = postAsync(request("down-1", 600_000));
      await("first request holds the in-flight bytes")
          .atMost(Duration.ofSeconds(10))
          .until(() -> fixture.metric("vigil_bridge_inflight_bytes") > 500_000);
      HttpResponse<byte[]> second = post(request("down-2", 600_000));
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("Retry-After")).contains("2");

      HttpResponse<byte[]> unavailable = first.get(20, TimeUnit.SECONDS);
      assertThat(unavailable.statusCode()).isEqualTo(503);
      assertThat(unavailable.headers().firstValue("Retry-After")).contains("2");
      assertThat(com.google.rpc.Status.parseFrom(unavailable.body()).getMessage())
          .contains("Kafka did not acknowledge");
      assertThat(fixture.metric("vigil_bridge_inflight_bytes")).isZero();

      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", fixture.bridge.grpcPort())
              .usePlaintext()
              .build();
      try {
        assertThatThrownBy(
                () -> TraceServiceGrpc.newBlockingStub(channel).export(request("down-grpc", 100)))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                  assertThat(
                          StatusProto.fromThrowable(e)
                              .getDetails(0)
                              .is(com.google.rpc.RetryInfo.class))
                      .isTrue();
                });
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      KAFKA.startBroker();
    }

    List<String> after = new ArrayList<>();
    await("bridge writes again once Kafka is back")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String name = "after-" + after.size();
              if (post(request(name, 100)).statusCode() == 200) {
                after.add(name);
              }
              return after.size() >= 5;
            });
    acknowledged.addAll(after);

    Set<String> inKafka = new HashSet<>();
    KAFKA.consumeUntil(
        fixture.topics.otlpSpans,
        records -> {
          inKafka.clear();
          records.forEach(r -> inKafka.add(r.key()));
          return inKafka.containsAll(acknowledged);
        },
        Duration.ofSeconds(60));
    assertThat(inKafka).containsAll(acknowledged);
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"throttled\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"grpc\",reason=\"kafka_unavailable\"}"))
        .isEqualTo(1);
  }

  /**
   * One span of a service named like the request, so a record's key says which request wrote it.
   */
  private static ExportTraceServiceRequest request(String service, int payloadBytes) {
    return Otlp.traces(service, Otlp.span("op", payloadBytes));
  }

  private static HttpResponse<byte[]> post(ExportTraceServiceRequest request) throws Exception {
    return postAsync(request).get(30, TimeUnit.SECONDS);
  }

  private static CompletableFuture<HttpResponse<byte[]>> postAsync(
      ExportTraceServiceRequest request) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(fixture.httpEndpoint("http") + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
