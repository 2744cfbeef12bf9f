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
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;

/**
 * Splits decoded OTLP requests into the batches the windowing tasks take: one per resource keyed by
 * service (a resource is one service), and, for pairing, one per trace keyed by trace id. A batch
 * that crosses a repartition topic stays protobuf, so it carries many points and costs one record.
 */
public final class Splitters {
  private static final HexFormat HEX = HexFormat.of();

  private Splitters() {}

  /**
   * One {@code ResourceMetrics} per batch, keyed by service.
   *
   * @param local whether a service's windows live in the splitting task
   */
  public static List<KeyValue<String, ServiceBatch<ResourceMetrics>>> metricsByService(
      OtlpRequest<ExportMetricsServiceRequest> r, Predicate<String> local) {
    return byService(r.message().getResourceMetricsList(), ResourceMetrics::getResource, r, local);
  }

  /** One {@code ResourceSpans} per batch, keyed by service. */
  public static List<KeyValue<String, ServiceBatch<ResourceSpans>>> spansByService(
      OtlpRequest<ExportTraceServiceRequest> r, Predicate<String> local) {
    return byService(r.message().getResourceSpansList(), ResourceSpans::getResource, r, local);
  }

  /** One {@code ResourceLogs} per batch, keyed by service. */
  public static List<KeyValue<String, ServiceBatch<ResourceLogs>>> logsByService(
      OtlpRequest<ExportLogsServiceRequest> r, Predicate<String> local) {
    return byService(r.message().getResourceLogsList(), ResourceLogs::getResource, r, local);
  }

  /**
   * One batch per resource, keyed by its service. A batch that leaves the task takes its bytes as
   * the record holds them where it can ({@link OtlpRequest#batches}: located once per record, on
   * the first such batch), else the decoded resource encoded again.
   */
  private static <B extends Message> List<KeyValue<String, ServiceBatch<B>>> byService(
      List<B> batches,
      Function<B, Resource> resource,
      OtlpRequest<?> raw,
      Predicate<String> local) {
    List<KeyValue<String, ServiceBatch<B>>> out = new ArrayList<>(batches.size());
    ResourceBatches located = null;
    boolean lookedUp = false;
    for (int i = 0; i < batches.size(); i++) {
      B batch = batches.get(i);
      String service = Otlp.serviceName(resource.apply(batch));
      if (local.test(service)) {
        out.add(KeyValue.pair(service, ServiceBatch.local(batch)));
        continue;
      }
      if (!lookedUp) {
        located = raw.batches(batches.size());
        lookedUp = true;
      }
      byte[] bytes = located != null ? located.batch(i) : batch.toByteArray();
      out.add(KeyValue.pair(service, ServiceBatch.moving(batch, bytes)));
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
