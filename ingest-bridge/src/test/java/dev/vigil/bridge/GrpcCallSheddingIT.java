package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.RetryInfo;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code bridge.grpc.max.calls} OTLP/gRPC calls in progress, further calls are answered
 * RESOURCE_EXHAUSTED with a RetryInfo at once, not queued behind the busy ones; a call answered or
 * given up by its client frees its place.
 */
@Timeout(120)
class GrpcCallSheddingIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final String THROTTLED =
      "vigil_bridge_requests_rejected_total{protocol=\"grpc\",reason=\"throttled\"}";
  private static final String IN_PROGRESS = "vigil_bridge_grpc_calls_in_progress";

  private static BridgeFixture fixture;
  private static ManagedChannel channel;

  @BeforeAll
  static void startBridge() throws Exception {
    fixture =
        new BridgeFixture(
            KAFKA.bootstrapServers(),
            Map.of("bridge.grpc.max.calls", "1", "bridge.produce.timeout.ms", "4000"));
    KAFKA.createTopics(fixture.topics.otlpSpans);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", fixture.bridge.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterAll
  static void stopBridge() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void callsBeyondTheBoundAreRefusedAtOnce() throws Exception {
    // Served while Kafka is up; the producer now knows the topic, so later sends do not block.
    assertThat(
            TraceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .export(request("before")))
        .isNotNull();
    KAFKA.stopBroker();
    try {
      // The only place is held by a call waiting for Kafka (up to the 4 s produce timeout).
      ListenableFuture<ExportTraceServiceResponse> busy =
          TraceServiceGrpc.newFutureStub(channel).export(request("busy"));
      await("the call holds the only place")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  fixture.metric(IN_PROGRESS) == 1
                      && fixture.metric("vigil_bridge_inflight_bytes") > 0);

      // Each further call is refused well before the busy one is answered.
      for (int i = 0; i < 5; i++) {
        String service = "more-" + i;
        StatusRuntimeException refused =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () ->
                    TraceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .export(request(service)));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused.getStatus().getDescription()).contains("the bridge is busy");
        assertThat(retryDelaySeconds(refused)).isEqualTo(2);
      }
      assertThat(busy).isNotDone();
      await("refusals counted")
          .atMost(Duration.ofSeconds(5))
          .until(() -> fixture.metric(THROTTLED) == 5);

      ExecutionException unavailable =
          catchThrowableOfType(ExecutionException.class, () -> busy.get(20, TimeUnit.SECONDS));
      assertThat(Status.fromThrowable(unavailable.getCause()).getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
      await("the answered call gave its place back")
          .atMost(Duration.ofSeconds(5))
          .until(() -> fixture.metric(IN_PROGRESS) == 0);

      // A client that gives up (its deadline) frees its place too, though Kafka is still down.
      StatusRuntimeException gaveUp =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () ->
                  TraceServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                      .export(request("gives-up")));
      assertThat(gaveUp.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      await("the cancelled call gave its place back")
          .atMost(Duration.ofSeconds(5))
          .until(() -> fixture.metric(IN_PROGRESS) == 0);
    } finally {
      KAFKA.startBroker();
    }

    await("served again once Kafka is back")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(
            () ->
                TraceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .export(request("after"))
                    != null);
    assertThat(fixture.metric(THROTTLED)).isEqualTo(5);
  }

  private static ExportTraceServiceRequest request(String service) {
    return Otlp.traces(service, Otlp.span("op", 10));
  }

  private static long retryDelaySeconds(StatusRuntimeException e) throws Exception {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("google.rpc.Status details in the trailers").isNotNull();
    return status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds();
  }
}
