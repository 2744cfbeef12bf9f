package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input gets a clear 4xx / INVALID_ARGUMENT with a message, every rejection is counted by
 * reason, good requests around it are served; JSON, gzip and oversized items work as OTLP says.
 */
@Timeout(120)
class BridgeBadInputIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final int MAX_REQUEST = 64 * 1024;
  private static final int MAX_RECORD = 16 * 1024;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static BridgeFixture fixture;
  private static ManagedChannel channel;

  @BeforeAll
  static void startBridge() throws Exception {
    fixture =
        new BridgeFixture(
            KAFKA.bootstrapServers(),
            Map.of(
                "bridge.max.request.bytes",
                Integer.toString(MAX_REQUEST),
                "bridge.max.record.bytes",
                Integer.toString(MAX_RECORD)));
    KAFKA.createTopics(
        fixture.topics.otlpMetrics, fixture.topics.otlpSpans, fixture.topics.otlpLogs);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", fixture.bridge.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterAll
  static void stopBridge() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void rejectsMalformedProtobufWithStatusBody() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", null, new byte[] {0x0a, 0x7f, 0x01});

    assertThat(response.statusCode()).isEqualTo(400);
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(response.body());
    assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage()).startsWith("malformed OTLP protobuf");
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"malformed\"}"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void rejectsMalformedJsonWithJsonStatusBody() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/logs", "application/json; charset=utf-8", null, utf8("{\"resourceLogs\": [ {"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("\"code\":3")
        .contains("malformed OTLP JSON");
  }

  @Test
  void rejectsWrongContentTypeMethodPathAndEncoding() throws Exception {
    assertThat(post("/v1/metrics", "text/plain", null, utf8("cpu=1")).statusCode()).isEqualTo(415);
    assertThat(post("/v1/metrics", "application/x-protobuf", "br", new byte[0]).statusCode())
        .isEqualTo(415);
    assertThat(post("/v1/nothing", "application/x-protobuf", null, new byte[0]).statusCode())
        .isEqualTo(404);
    HttpResponse<byte[]> get =
        HTTP.send(
            HttpRequest.newBuilder(uri("/v1/traces")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"unsupported_media_type\"}"))
        .isEqualTo(1);
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"unsupported_encoding\"}"))
        .isEqualTo(1);
  }

  @Test
  void rejectsBodyOverTheLimitAndDecompressionBombs() throws Exception {
    assertThat(
            post("/v1/traces", "application/x-protobuf", null, new byte[MAX_REQUEST + 1])
                .statusCode())
        .isEqualTo(413);

    byte[] bomb = gzip(new byte[50 * 1024 * 1024]); // 50 MiB of zeros, about 50 KiB compressed
    assertThat(bomb.length).isLessThan(MAX_REQUEST);
    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", "gzip", bomb);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage())
        .isEqualTo("decompressed body is over the limit of " + MAX_REQUEST + " bytes");
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"too_large\"}"))
        .isEqualTo(2);
  }

  @Test
  void acceptsGzipProtobufAndJsonBodies() throws Exception {
    ExportTraceServiceRequest request = Otlp.traces("gzip-client", Otlp.span("op", 10));
    HttpResponse<byte[]> gz =
        post("/v1/traces", "application/x-protobuf", "gzip", gzip(request.toByteArray()));
    assertThat(gz.statusCode()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(gz.body()).hasPartialSuccess()).isFalse();

    HttpResponse<byte[]> json =
        post(
            "/v1/traces",
            "application/json",
            null,
            utf8(OtlpJson.print(Otlp.traces("json-client", Otlp.span("op", 10)))));
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

    List<ConsumerRecord<String, byte[]>> records =
        KAFKA.consumeUntil(
            fixture.topics.otlpSpans,
            rs ->
                rs.stream().anyMatch(r -> r.key().equals("json-client"))
                    && rs.stream().anyMatch(r -> r.key().equals("gzip-client")),
            Duration.ofSeconds(30));
    ConsumerRecord<String, byte[]> fromJson =
        records.stream().filter(r -> r.key().equals("json-client")).findFirst().orElseThrow();
    Span span =
        ExportTraceServiceRequest.parseFrom(fromJson.value())
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo(Otlp.TRACE_ID_HEX);
  }

  @Test
  void reportsPartialSuccessForAnItemOverTheRecordLimit() throws Exception {
    ExportTraceServiceRequest request =
        Otlp.traces(
            "partial",
            Otlp.span("small", 100),
            Otlp.span("huge", MAX_RECORD + 100),
            Otlp.span("small-2", 100));

    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", null, request.toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(body.getPartialSuccess().getErrorMessage())
        .contains("over the record limit of " + MAX_RECORD);
    assertThat(
            fixture.metric(
                "vigil_bridge_items_rejected_total{reason=\"item_too_large\",signal=\"traces\"}"))
        .isEqualTo(1);
    List<ConsumerRecord<String, byte[]>> records =
        KAFKA.consumeUntil(
            fixture.topics.otlpSpans,
            rs -> rs.stream().anyMatch(r -> r.key().equals("partial")),
            Duration.ofSeconds(30));
    assertThat(BridgeIT.spansOf(records, "partial"))
        .extracting(Span::getName)
        .containsExactly("small", "small-2");
  }

  @Test
  void answersMalformedGrpcWithInvalidArgumentAndKeepsServing() {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(TraceServiceGrpc.getExportMethod().getFullMethodName())
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();

    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel, raw, CallOptions.DEFAULT, new byte[] {0x0a, 0x7f}))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("malformed OTLP protobuf");
            });
    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel, raw, CallOptions.DEFAULT, new byte[MAX_REQUEST + 1]))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

    ExportTraceServiceResponse ok =
        TraceServiceGrpc.newBlockingStub(channel)
            .export(Otlp.traces("after-bad-grpc", Otlp.span("op", 10)));
    assertThat(ok.hasPartialSuccess()).isFalse();
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"grpc\",reason=\"malformed\"}"))
        .isEqualTo(1);
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"grpc\",reason=\"too_large\"}"))
        .isEqualTo(1);
  }

  private static HttpResponse<byte[]> post(
      String path, String contentType, String encoding, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(String path) {
    return URI.create(fixture.httpEndpoint("http") + path);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
