package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the SDK's OTLP/HTTP exporter puts on the wire for one slice, read by a real HTTP server. */
class OtlpSinkTest {
  private static final int FOUR_MIB = 4 * 1024 * 1024;
  private final List<Integer> spansPerRequest = new CopyOnWriteArrayList<>();
  private final List<Integer> bytesPerRequest = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            bytesPerRequest.add(bytes.length);
            spansPerRequest.add(
                ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansList().stream()
                    .flatMap(r -> r.getScopeSpansList().stream())
                    .mapToInt(s -> s.getSpansCount())
                    .sum());
          }
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void aLargeSliceGoesOutInRequestsOfAtMostTwoThousandSpansAndAllArrive() {
    CapturingSink generated = new CapturingSink();
    new Simulator(
            new SimulatorSettings(
                PlatformGenerator.ecommerce(),
                new Scenario("big-slice", Optional.of(Duration.ofMinutes(1)), List.of()),
                Instant.parse("2026-06-01T15:00:00Z"),
                Duration.ZERO,
                0,
                1_500,
                0,
                3),
            generated,
            new SimulatorTest.RecordingControlPlane())
        .run();
    int spans = generated.spans.size();
    assertThat(spans).isGreaterThan(2 * OtlpSink.MAX_ITEMS_PER_REQUEST);

    try (OtlpSink sink =
        OtlpSink.create("http://127.0.0.1:" + receiver.getAddress().getPort(), "http")) {
      assertThat(sink.export(generated.spans, List.of(), List.of())).isTrue();
    }

    int requests = (spans + OtlpSink.MAX_ITEMS_PER_REQUEST - 1) / OtlpSink.MAX_ITEMS_PER_REQUEST;
    assertThat(spansPerRequest).hasSize(requests);
    assertThat(spansPerRequest).allSatisfy(n -> assertThat(n).isBetween(1, 2_048));
    assertThat(spansPerRequest.stream().mapToInt(Integer::intValue).sum()).isEqualTo(spans);
    assertThat(bytesPerRequest).allSatisfy(b -> assertThat(b).isLessThan(FOUR_MIB / 4));
  }
}
