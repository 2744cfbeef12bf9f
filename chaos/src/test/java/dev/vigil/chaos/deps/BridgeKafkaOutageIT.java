package dev.vigil.chaos.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker goes down under a steady load of real OTLP clients (the OpenTelemetry SDK's HTTP and
 * gRPC exporters, raw OTLP/HTTP and raw OTLP/gRPC) and comes back on the same port. While it is
 * down clients get only retryable answers (HTTP 503 / 429 with Retry-After, gRPC UNAVAILABLE /
 * RESOURCE_EXHAUSTED with RetryInfo); every span acknowledged before, during or after the outage is
 * on {@code otlp_spans} exactly once.
 *
 * <p>{@code bridge.ingest-bridge}'s own {@code BridgeOverloadIT} proves each answer once with a
 * single request; this test measures the whole client population across a real outage and counts
 * duplicates, not just presence.
 */
@Timeout(180)
class BridgeKafkaOutageIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();

  /** Span padding of the raw clients while Kafka is down: two requests fill the bound. */
  private static final int OUTAGE_PAYLOAD = 400_000;

  private static BridgeUnderTest bridge;

  @BeforeAll
  static void startBridge() throws Exception {
    bridge =
        new BridgeUnderTest(
            KAFKA.bootstrapServers(),
            Map.of(
                // Fast 503s while Kafka is down, and room for only a few requests in flight, so
                // the outage also exercises the 429 path.
                "bridge.produce.timeout.ms", "3000", "bridge.max.inflight.bytes", "1048576"));
    KAFKA.createTopics(bridge.topics.otlpSpans);
  }

  @AfterAll
  static void stopBridge() {
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  void clientsGetRetryableErrorsAndEveryAcknowledgedSpanLandsOnce() throws Exception {
    OtlpLoadClient sdkHttp = OtlpLoadClients.sdk("sdk-http", false, bridge.httpBase(), 5);
    OtlpLoadClient sdkGrpc = OtlpLoadClients.sdk("sdk-grpc", true, bridge.grpcBase(), 5);
    OtlpLoadClient rawHttp = OtlpLoadClients.rawHttp("raw-http", bridge.httpBase(), 5);
    OtlpLoadClient rawHttp2 = OtlpLoadClients.rawHttp("raw-http2", bridge.httpBase(), 5);
    OtlpLoadClient rawGrpc = OtlpLoadClients.rawGrpc("raw-grpc", bridge.bridge.grpcPort(), 5);
    OtlpLoadClient rawGrpc2 = OtlpLoadClients.rawGrpc("raw-grpc2", bridge.bridge.grpcPort(), 5);
    List<OtlpLoadClient> clients = List.of(sdkHttp, sdkGrpc, rawHttp, rawHttp2, rawGrpc, rawGrpc2);
    clients.forEach(OtlpLoadClient::start);

    await("every client acknowledged before the outage")
        .atMost(Duration.ofSeconds(30))
        .until(() -> clients.stream().allMatch(c -> c.acknowledged.size() >= 20));
    long ackedBeforeOutage = total(clients);

    long down = System.nanoTime();
    List<OtlpLoadClient> raw = List.of(rawHttp, rawHttp2, rawGrpc, rawGrpc2);
    raw.forEach(c -> c.payloadBytes = OUTAGE_PAYLOAD);
    KAFKA.stopBroker();
    await("raw clients were refused with 503 and 429 / UNAVAILABLE")
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                rawHttp.errorCount("http 503") + rawHttp2.errorCount("http 503") > 0
                    && rawHttp.errorCount("http 429") + rawHttp2.errorCount("http 429") > 0
                    && rawGrpc.errorCount("grpc UNAVAILABLE")
                            + rawGrpc2.errorCount("grpc UNAVAILABLE")
                        > 0);
    long ackedWhileDown = total(clients) - ackedBeforeOutage;
    raw.forEach(c -> c.payloadBytes = 1_000);
    KAFKA.startBroker();
    long up = System.nanoTime();
    List<Integer> atRestart = clients.stream().map(c -> c.acknowledged.size()).toList();

    await("every client acknowledged again after the restart")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (int i = 0; i < clients.size(); i++) {
                if (clients.get(i).acknowledged.size() < atRestart.get(i) + 20) {
                  return false;
                }
              }
              return true;
            });
    long firstAckAfterRestart = Long.MAX_VALUE;
    for (int i = 0; i < clients.size(); i++) {
      firstAckAfterRestart =
          Math.min(firstAckAfterRestart, clients.get(i).ackNanos.get(atRestart.get(i)) - up);
    }
    for (OtlpLoadClient client : clients) {
      client.stopAndJoin();
    }

    List<String> acknowledged = new ArrayList<>();
    clients.forEach(c -> acknowledged.addAll(c.acknowledged));
    SpanIdCounts onTopic =
        SpanIdCounts.read(KAFKA.bootstrapServers(), bridge.topics.otlpSpans.name());

    System.out.printf(
        "FIGURES bridge-kafka-outage: acknowledged=%d (before=%d, during=%d) records=%d "
            + "distinct=%d lost=%d duplicated=%d outage=%.1fs first-ack-after-restart=%.1fs "
            + "errors=%s%n",
        acknowledged.size(),
        ackedBeforeOutage,
        ackedWhileDown,
        onTopic.records,
        onTopic.counts.size(),
        onTopic.lost(acknowledged),
        onTopic.duplicated(),
        (up - down) / 1e9,
        firstAckAfterRestart / 1e9,
        clients.stream().map(c -> c.name + "=" + c.errors).toList());

    // Every refusal a client saw is one the OTLP specification calls retryable.
    for (OtlpLoadClient client : List.of(rawHttp, rawHttp2)) {
      assertThat(client.errors.keySet())
          .allMatch(e -> e.equals("http 503 retry-after=2") || e.equals("http 429 retry-after=2"));
    }
    for (OtlpLoadClient client : List.of(rawGrpc, rawGrpc2)) {
      assertThat(client.errors.keySet())
          .allMatch(
              e ->
                  e.equals("grpc UNAVAILABLE retry-info")
                      || e.equals("grpc RESOURCE_EXHAUSTED retry-info"));
    }
    assertThat(onTopic.lost(acknowledged)).isZero();
    // A duplicate can only come from a client that gave up on a request the bridge went on to
    // write (the SDK exporter's own deadline ran out while Kafka came back), then sent the span
    // again: OTLP has no idempotency key. Every duplicate must be explained by such a give-up.
    long gaveUp = clients.stream().mapToLong(c -> c.errorCount("sdk export failed")).sum();
    assertThat(onTopic.duplicated()).isLessThanOrEqualTo(gaveUp);
    onTopic.counts.forEach(
        (id, copies) -> {
          if (copies > 1) {
            assertThat(id).startsWith("sdk-");
          }
        });
    // Nothing on the topic that no client was told was written (each client retried until 200).
    assertThat(onTopic.counts.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
    assertThat(bridge.metric("vigil_bridge_inflight_bytes")).isZero();
    assertThat(
            bridge.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"kafka_unavailable\"}"))
        .isPositive();
  }

  private static long total(List<OtlpLoadClient> clients) {
    return clients.stream().mapToLong(c -> c.acknowledged.size()).sum();
  }
}
