package dev.vigil.chaos.deps;

import com.google.rpc.RetryInfo;
import dev.vigil.testkit.Otlp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The kinds of OTLP client the chaos tests drive: the real SDK exporters and raw protocols. */
final class OtlpLoadClients {
  private OtlpLoadClients() {}

  /** One span with {@code chaos.id}, padded to about {@code payloadBytes}. */
  static ExportTraceServiceRequest request(String service, String id, int payloadBytes) {
    Span span =
        Otlp.span("op", payloadBytes).toBuilder()
            .addAttributes(Otlp.attribute(OtlpLoadClient.ID_ATTRIBUTE, id))
            .build();
    return Otlp.traces(service, span);
  }

  /**
   * The OpenTelemetry SDK's own OTLP span exporter (HTTP/protobuf or gRPC) with its default retry
   * policy (429/502/503/504 and UNAVAILABLE/RESOURCE_EXHAUSTED are retried with backoff). Spans are
   * real SDK spans; when the exporter gives up, the client exports the same span again.
   */
  static OtlpLoadClient sdk(String name, boolean grpc, String endpoint, long pauseMillis) {
    SpanExporter exporter =
        grpc
            ? OtlpGrpcSpanExporter.builder()
                .setEndpoint(endpoint)
                .setRetryPolicy(RetryPolicy.getDefault())
                .build()
            : OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint + "/v1/traces")
                .setRetryPolicy(RetryPolicy.getDefault())
                .build();
    AtomicReference<SpanData> ended = new AtomicReference<>();
    SdkTracerProvider tracers =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().merge(Resource.builder().put("service.name", name).build()))
            .addSpanProcessor(new CaptureLast(ended))
            .build();
    var tracer = tracers.get("chaos");
    return new OtlpLoadClient(name, pauseMillis) {
      private String lastId;
      private List<SpanData> batch;

      @Override
      long sendOnce(String id) {
        if (!id.equals(lastId)) {
          tracer
              .spanBuilder("op")
              .setAttribute(AttributeKey.stringKey(ID_ATTRIBUTE), id)
              .startSpan()
              .end();
          batch = List.of(ended.get());
          lastId = id;
        }
        CompletableResultCode result = exporter.export(batch).join(60, TimeUnit.SECONDS);
        if (result.isSuccess()) {
          return 0;
        }
        error("sdk export failed after its retries");
        return 500;
      }
    };
  }

  /** Raw OTLP/HTTP protobuf; every refusal must be a 429 or 503 carrying Retry-After. */
  static OtlpLoadClient rawHttp(String name, String base, long pauseMillis) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return new OtlpLoadClient(name, pauseMillis) {
      @Override
      long sendOnce(String id) throws Exception {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/traces"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            request(name, id, payloadBytes).toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return 0;
        }
        String retryAfter = response.headers().firstValue("Retry-After").orElse("none");
        error("http " + response.statusCode() + " retry-after=" + retryAfter);
        return retryAfter.equals("none") ? 500 : Long.parseLong(retryAfter) * 1000;
      }
    };
  }

  /** Raw OTLP/gRPC; every refusal must be UNAVAILABLE or RESOURCE_EXHAUSTED with RetryInfo. */
  static OtlpLoadClient rawGrpc(String name, int port, long pauseMillis) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
    return new OtlpLoadClient(name, pauseMillis) {
      @Override
      long sendOnce(String id) {
        try {
          stub.withDeadlineAfter(20, TimeUnit.SECONDS).export(request(name, id, payloadBytes));
          return 0;
        } catch (StatusRuntimeException e) {
          com.google.rpc.Status status = StatusProto.fromThrowable(e);
          long delay =
              status == null
                  ? -1
                  : status.getDetailsList().stream()
                      .filter(d -> d.is(RetryInfo.class))
                      .mapToLong(d -> retryDelayMillis(d))
                      .findFirst()
                      .orElse(-1);
          error("grpc " + e.getStatus().getCode() + (delay < 0 ? " no-retry-info" : " retry-info"));
          return delay < 0 ? 500 : delay;
        }
      }

      @Override
      void stopAndJoin() throws InterruptedException {
        super.stopAndJoin();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    };
  }

  private static long retryDelayMillis(com.google.protobuf.Any detail) {
    try {
      com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
      return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return -1;
    }
  }

  /** Keeps the last ended span, so the client can hand it to its exporter itself. */
  private record CaptureLast(AtomicReference<SpanData> ended) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.set(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
