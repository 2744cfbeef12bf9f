package dev.vigil.enrichment.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.ResourceBatches;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;

/**
 * Splits decoded OTLP requests into the batches the windowing tasks take: one per resource keyed by
 * service (a resource is one service), and, for pairing, one per trace keyed by trace id. Batches
 * stay protobuf, so a repartition record carries many points and costs one record.
 */
public final class Splitters {
  private static final HexFormat HEX = HexFormat.of();

  private Splitters() {}

  /**
   * One {@code ResourceMetrics} per record, keyed by service, each encoded again from the decoded
   * request: the fallback of the next method, kept callable for perf's {@code HotPathBenchmark}.
   */
  public static List<KeyValue<String, byte[]>> metricsByService(ExportMetricsServiceRequest r) {
    return byService(r.getResourceMetricsList(), ResourceMetrics::getResource, null);
  }

  /** The same, each resource's bytes taken from the record where they can be. */
  public static List<KeyValue<String, byte[]>> metricsByService(
      OtlpRequest<ExportMetricsServiceRequest> r) {
    return byService(r.message().getResourceMetricsList(), ResourceMetrics::getResource, r);
  }

  /**
   * One {@code ResourceSpans} per record, keyed by service: its bytes taken from the record where
   * they can be.
   */
  public static List<KeyValue<String, byte[]>> spansByService(
      OtlpRequest<ExportTraceServiceRequest> r) {
    return byService(r.message().getResourceSpansList(), ResourceSpans::getResource, r);
  }

  /**
   * One {@code ResourceLogs} per record, keyed by service: its bytes taken from the record where
   * they can be.
   */
  public static List<KeyValue<String, byte[]>> logsByService(
      OtlpRequest<ExportLogsServiceRequest> r) {
    return byService(r.message().getResourceLogsList(), ResourceLogs::getResource, r);
  }

  /**
   * One record per resource batch, keyed by its service: the batch's bytes as {@code raw} holds
   * them when it has them ({@link OtlpRequest#batches}), else the decoded batch encoded again.
   */
  private static <B extends Message> List<KeyValue<String, byte[]>> byService(
      List<B> batches, Function<B, Resource> resource, OtlpRequest<?> raw) {
    ResourceBatches bytes = raw == null ? null : raw.batches(batches.size());
    List<KeyValue<String, byte[]>> out = new ArrayList<>(batches.size());
    for (int i = 0; i < batches.size(); i++) {
      B batch = batches.get(i);
      out.add(
          KeyValue.pair(
              Otlp.serviceName(resource.apply(batch)),
              bytes != null ? bytes.batch(i) : batch.toByteArray()));
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
