package dev.vigil.testkit;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Builders of OTLP messages for tests, written as an SDK or a Collector would send them. */
public final class Otlp {
  /** Trace id of {@link #span(String, int)}: {@value}. */
  public static final String TRACE_ID_HEX = "0102030405060708090a0b0c0d0e0f10";

  private Otlp() {}

  /** OTLP's nanosecond timestamp of an instant. */
  public static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** A string attribute. */
  public static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** An integer attribute. */
  public static KeyValue attribute(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  /** A resource with {@code service.name} (and a host, as SDKs add). */
  public static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", service))
        .addAttributes(attribute("host.name", "node-7"))
        .build();
  }

  /** A server span with fixed ids and a {@code payload} attribute of {@code payloadBytes} bytes. */
  public static Span span(String name, int payloadBytes) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID_HEX)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("0102030405060708")))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .addAttributes(attribute("payload", "x".repeat(payloadBytes)))
        .build();
  }

  /**
   * A span named {@code op} of a given kind and duration, with hex ids; {@code parentHex} may be
   * null for a root span.
   */
  public static Span.Builder span(
      String traceHex,
      String spanHex,
      String parentHex,
      Span.SpanKind kind,
      Instant start,
      double ms) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceHex)))
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanHex)))
            .setName("op")
            .setKind(kind)
            .setStartTimeUnixNano(nanos(start))
            .setEndTimeUnixNano(nanos(start) + (long) (ms * 1_000_000L));
    if (parentHex != null) {
      span.setParentSpanId(ByteString.copyFrom(HexFormat.of().parseHex(parentHex)));
    }
    return span;
  }

  /** The status of a failed span. */
  public static Status error() {
    return Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).build();
  }

  /** A log record with a severity number and text. */
  public static LogRecord log(Instant t, int severity, String text) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(nanos(t))
        .setSeverityNumberValue(severity)
        .setSeverityText(text)
        .build();
  }

  /** The spans of one service in one scope. */
  public static ResourceSpans resourceSpans(String service, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(resource(service))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  /** An export request with the spans of one service. */
  public static ExportTraceServiceRequest traces(String service, Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans(service, List.of(spans)))
        .build();
  }

  /** An export request with the metrics of one service. */
  public static ExportMetricsServiceRequest metrics(String service, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource(service))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  /** An export request with the log records of one service. */
  public static ExportLogsServiceRequest logs(String service, LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(resource(service))
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
        .build();
  }
}
