package dev.vigil.deploy.replay;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.stream.LongStream;

/**
 * The event time of one export request: its earliest span start, data point time or log time (the
 * observed time for a log without one), the same times enrichment windows by. Requests are merged
 * across files in this order, so each reaches the topologies roughly when it happened.
 */
final class OtlpEventTime {
  /** A request with no timestamp at all. */
  static final long NONE = Long.MAX_VALUE;

  private OtlpEventTime() {}

  /** Earliest event time in nanoseconds since the epoch, or {@link #NONE}. */
  static long earliestNanos(Message request) {
    LongStream times;
    if (request instanceof ExportTraceServiceRequest traces) {
      times = spans(traces);
    } else if (request instanceof ExportMetricsServiceRequest metrics) {
      times = points(metrics);
    } else if (request instanceof ExportLogsServiceRequest logs) {
      times = logs(logs);
    } else {
      throw new IllegalArgumentException(
          "not an export request: " + request.getDescriptorForType().getFullName());
    }
    return times.filter(t -> t > 0).min().orElse(NONE);
  }

  private static LongStream spans(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .map(ResourceSpans::getScopeSpansList)
        .flatMap(scopes -> scopes.stream().map(ScopeSpans::getSpansList))
        .flatMap(spans -> spans.stream())
        .mapToLong(Span::getStartTimeUnixNano);
  }

  private static LongStream points(ExportMetricsServiceRequest request) {
    return request.getResourceMetricsList().stream()
        .map(ResourceMetrics::getScopeMetricsList)
        .flatMap(scopes -> scopes.stream().map(ScopeMetrics::getMetricsList))
        .flatMap(metrics -> metrics.stream())
        .flatMapToLong(OtlpEventTime::pointTimes);
  }

  private static LongStream pointTimes(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE ->
          metric.getGauge().getDataPointsList().stream().mapToLong(p -> p.getTimeUnixNano());
      case SUM -> metric.getSum().getDataPointsList().stream().mapToLong(p -> p.getTimeUnixNano());
      case HISTOGRAM ->
          metric.getHistogram().getDataPointsList().stream().mapToLong(p -> p.getTimeUnixNano());
      case EXPONENTIAL_HISTOGRAM ->
          metric.getExponentialHistogram().getDataPointsList().stream()
              .mapToLong(p -> p.getTimeUnixNano());
      case SUMMARY ->
          metric.getSummary().getDataPointsList().stream().mapToLong(p -> p.getTimeUnixNano());
      case DATA_NOT_SET -> LongStream.empty();
    };
  }

  private static LongStream logs(ExportLogsServiceRequest request) {
    return request.getResourceLogsList().stream()
        .map(ResourceLogs::getScopeLogsList)
        .flatMap(scopes -> scopes.stream().map(ScopeLogs::getLogRecordsList))
        .flatMap(records -> records.stream())
        .mapToLong(OtlpEventTime::logTime);
  }

  private static long logTime(LogRecord record) {
    return record.getTimeUnixNano() > 0
        ? record.getTimeUnixNano()
        : record.getObservedTimeUnixNano();
  }
}
