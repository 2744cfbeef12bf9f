package dev.vigil.enrichment;

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

/** Builders of OTLP requests for the tests, as an SDK or the Collector would send them. */
final class Otlp {
  private Otlp() {}

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(attr("service.name", service))
        .addAttributes(attr("host.name", "node-7"))
        .build();
  }

  static ExportMetricsServiceRequest metrics(String service, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource(service))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  static ExportTraceServiceRequest traces(String service, Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource(service))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build();
  }

  static ExportLogsServiceRequest logs(String service, LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(resource(service))
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
        .build();
  }

  static Span.Builder span(
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

  static Status error() {
    return Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).build();
  }

  static LogRecord log(Instant t, int severity, String text) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(nanos(t))
        .setSeverityNumberValue(severity)
        .setSeverityText(text)
        .build();
  }
}
