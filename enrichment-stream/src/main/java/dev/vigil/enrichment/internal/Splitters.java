package dev.vigil.enrichment.internal;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;

/**
 * Splits decoded OTLP requests into the batches the windowing tasks take: one per resource keyed by
 * service (a resource is one service), and, for pairing, one per trace keyed by trace id. Batches
 * stay protobuf, so a repartition record carries many points and costs one record.
 */
public final class Splitters {
  private static final HexFormat HEX = HexFormat.of();

  private Splitters() {}

  /** One {@code ResourceMetrics} per record, keyed by service. */
  public static List<KeyValue<String, byte[]>> metricsByService(ExportMetricsServiceRequest r) {
    List<KeyValue<String, byte[]>> out = new ArrayList<>(r.getResourceMetricsCount());
    for (ResourceMetrics rm : r.getResourceMetricsList()) {
      out.add(KeyValue.pair(Otlp.serviceName(rm.getResource()), rm.toByteArray()));
    }
    return out;
  }

  /** One {@code ResourceSpans} per record, keyed by service. */
  public static List<KeyValue<String, byte[]>> spansByService(ExportTraceServiceRequest r) {
    List<KeyValue<String, byte[]>> out = new ArrayList<>(r.getResourceSpansCount());
    for (ResourceSpans rs : r.getResourceSpansList()) {
      out.add(KeyValue.pair(Otlp.serviceName(rs.getResource()), rs.toByteArray()));
    }
    return out;
  }

  /** One {@code ResourceLogs} per record, keyed by service. */
  public static List<KeyValue<String, byte[]>> logsByService(ExportLogsServiceRequest r) {
    List<KeyValue<String, byte[]>> out = new ArrayList<>(r.getResourceLogsCount());
    for (ResourceLogs rl : r.getResourceLogsList()) {
      out.add(KeyValue.pair(Otlp.serviceName(rl.getResource()), rl.toByteArray()));
    }
    return out;
  }

  /** The pairing view of every span, one batch per trace, keyed by the hex trace id. */
  public static List<KeyValue<String, byte[]>> spansByTrace(ExportTraceServiceRequest r) {
    Map<ByteString, List<SpanRef>> traces = new LinkedHashMap<>();
    for (ResourceSpans rs : r.getResourceSpansList()) {
      String service = Otlp.serviceName(rs.getResource());
      for (ScopeSpans scope : rs.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          if (span.getTraceId().isEmpty() || span.getSpanId().isEmpty()) {
            continue;
          }
          traces
              .computeIfAbsent(span.getTraceId(), t -> new ArrayList<>())
              .add(SpanRef.of(span, service));
        }
      }
    }
    List<KeyValue<String, byte[]>> out = new ArrayList<>(traces.size());
    traces.forEach(
        (trace, spans) ->
            out.add(KeyValue.pair(HEX.formatHex(trace.toByteArray()), SpanRef.encodeAll(spans))));
    return out;
  }
}
