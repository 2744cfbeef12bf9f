package dev.vigil.simulator;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK's own OTLP exporters (gRPC, or HTTP/protobuf to {@code /v1/traces}, {@code
 * /v1/metrics}, {@code /v1/logs}), with their retry policy. Exports are synchronous, so the
 * simulator never runs ahead of a receiver that pushes back.
 */
public final class OtlpSink implements TelemetrySink {
  private static final Logger LOGGER = LoggerFactory.getLogger(OtlpSink.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  // Spans, metric streams or log records per request: ~400 KB of spans, well under the 4 MiB
  // receivers accept, few enough requests for a small platform's slice to go in one.
  static final int MAX_ITEMS_PER_REQUEST = 2_048;

  private final SpanExporter spans;
  private final MetricExporter metrics;
  private final LogRecordExporter logs;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OtlpSink(SpanExporter spans, MetricExporter metrics, LogRecordExporter logs) {
    this.spans = spans;
    this.metrics = metrics;
    this.logs = logs;
  }

  /**
   * Exporters to {@code endpoint}: OTLP/gRPC when {@code protocol} is {@code grpc}, OTLP/HTTP with
   * protobuf bodies when it is {@code http} ({@code endpoint} is then the base URL, e.g. {@code
   * http://127.0.0.1:4318}).
   *
   * @throws IllegalArgumentException if the protocol is neither or the endpoint is not a URL
   */
  public static OtlpSink create(String endpoint, String protocol) {
    URI uri = URI.create(endpoint);
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "OTLP endpoint '" + endpoint + "' is not a URL like http://127.0.0.1:4317");
    }
    switch (protocol.toLowerCase(Locale.ROOT)) {
      case "grpc" -> {
        return new OtlpSink(
            OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setTimeout(TIMEOUT).build(),
            OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).setTimeout(TIMEOUT).build(),
            OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint).setTimeout(TIMEOUT).build());
      }
      case "http", "http/protobuf" -> {
        String base =
            endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return new OtlpSink(
            OtlpHttpSpanExporter.builder()
                .setEndpoint(base + "/v1/traces")
                .setTimeout(TIMEOUT)
                .build(),
            OtlpHttpMetricExporter.builder()
                .setEndpoint(base + "/v1/metrics")
                .setTimeout(TIMEOUT)
                .build(),
            OtlpHttpLogRecordExporter.builder()
                .setEndpoint(base + "/v1/logs")
                .setTimeout(TIMEOUT)
                .build());
      }
      default ->
          throw new IllegalArgumentException(
              "OTLP protocol '" + protocol + "' is neither grpc nor http");
    }
  }

  @Override
  public boolean export(
      List<SpanData> spanData, List<MetricData> metricData, List<LogRecordData> logData) {
    CompletableResultCode s = exportInRequests(spanData, spans::export);
    CompletableResultCode m = exportInRequests(metricData, metrics::export);
    CompletableResultCode l = exportInRequests(logData, logs::export);
    CompletableResultCode all = CompletableResultCode.ofAll(List.of(s, m, l));
    all.join(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    if (!all.isSuccess()) {
      LOGGER.warn(
          "OTLP export failed (spans {}, metrics {}, logs {})",
          s.isSuccess() ? "ok" : "failed",
          m.isSuccess() ? "ok" : "failed",
          l.isSuccess() ? "ok" : "failed",
          s.getFailureThrowable() != null ? s.getFailureThrowable() : m.getFailureThrowable());
    }
    return all.isSuccess();
  }

  /**
   * One request per {@link #MAX_ITEMS_PER_REQUEST} items, one after the other: a 10-second slice of
   * a 500-service platform is ~20,000 spans, over 4 MB in one request, which a receiver's size
   * limit (the bridge's 4 MiB by default, the Collector's too) refuses whole. Sequential, because
   * the HTTP exporter's client refuses requests beyond its concurrency ("could not be executed").
   */
  private static <T> CompletableResultCode exportInRequests(
      List<T> items, Function<List<T>, CompletableResultCode> exporter) {
    if (items.size() <= MAX_ITEMS_PER_REQUEST) {
      // One request, left in flight: the three signals of a slice travel side by side.
      return items.isEmpty() ? CompletableResultCode.ofSuccess() : exporter.apply(items);
    }
    for (int from = 0; from < items.size(); from += MAX_ITEMS_PER_REQUEST) {
      CompletableResultCode request =
          exporter
              .apply(items.subList(from, Math.min(items.size(), from + MAX_ITEMS_PER_REQUEST)))
              .join(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
      if (!request.isSuccess()) {
        return request;
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      spans.shutdown().join(5, TimeUnit.SECONDS);
      metrics.shutdown().join(5, TimeUnit.SECONDS);
      logs.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
