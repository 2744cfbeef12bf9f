package dev.vigil.enrichment.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vigil.enrichment.InputLimits;
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
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Checks a decoded raw record before anything is windowed, so that no input can make a key, a state
 * entry or an output record the broker refuses (which under exactly-once fails the transaction and
 * stops the app):
 *
 * <ul>
 *   <li>strings the app keeps are at most {@link InputLimits#maxStringBytes()} (a 300 KB span name
 *       became a state entry over 1 MiB);
 *   <li>event times lie within [{@code record time - maxPast}, {@code record time + maxFuture}]
 *       (year 2100 or {@code Long.MAX_VALUE} made windows the broker refused, and dragged the
 *       watermark along so every later record counted as late).
 * </ul>
 *
 * <p>The reference is the record's Kafka timestamp, not the wall clock: the broker bounds it (it
 * refuses CreateTimes more than {@code message.timestamp.after.max.ms} ahead), and replays, which
 * write records stamped with their recorded event time, stay deterministic.
 */
public final class InputGuard {
  // Span attributes the app reads (edges, failures); the others are never kept.
  private static final Set<String> SPAN_KEYS_READ =
      Set.of(
          "db.system",
          "db.system.name",
          "db.name",
          "db.namespace",
          "messaging.system",
          "messaging.destination.name",
          "peer.service",
          "server.address",
          "net.peer.name",
          "http.response.status_code",
          "http.status_code",
          "service.name");

  // Tags and length varints around a string KeyValue's key and value: 3 fields, each <= 1 + 5
  // bytes.
  private static final int KEY_VALUE_FRAMING = 18;

  private final InputLimits limits;

  /** A guard with these limits. */
  public InputGuard(InputLimits limits) {
    this.limits = limits;
  }

  /**
   * Checks a request of any signal.
   *
   * @param recordTimeMs the record's Kafka timestamp
   * @throws InputRejectedException naming the first field at fault
   */
  public void check(Message request, long recordTimeMs) {
    long from = limits.maxPast().isZero() ? 0 : recordTimeMs - limits.maxPast().toMillis();
    long to = recordTimeMs + limits.maxFuture().toMillis();
    // 0 is "unset" and never a usable event time.
    Range range = new Range(Math.max(1, saturatedNanos(from)), saturatedNanos(to), recordTimeMs);
    if (request instanceof ExportMetricsServiceRequest metrics) {
      checkMetrics(metrics, range);
    } else if (request instanceof ExportTraceServiceRequest traces) {
      checkTraces(traces, range);
    } else if (request instanceof ExportLogsServiceRequest logs) {
      checkLogs(logs, range);
    }
  }

  private void checkMetrics(ExportMetricsServiceRequest request, Range range) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      checkResource(rm.getResource());
      for (ScopeMetrics scope : rm.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          string("metric name", metric.getNameBytes());
          string("metric unit", metric.getUnitBytes());
          switch (metric.getDataCase()) {
            case GAUGE ->
                metric
                    .getGauge()
                    .getDataPointsList()
                    .forEach(p -> point(metric, p.getTimeUnixNano(), p.getAttributesList(), range));
            case SUM ->
                metric
                    .getSum()
                    .getDataPointsList()
                    .forEach(p -> point(metric, p.getTimeUnixNano(), p.getAttributesList(), range));
            case HISTOGRAM ->
                metric
                    .getHistogram()
                    .getDataPointsList()
                    .forEach(p -> point(metric, p.getTimeUnixNano(), p.getAttributesList(), range));
            case EXPONENTIAL_HISTOGRAM ->
                metric
                    .getExponentialHistogram()
                    .getDataPointsList()
                    .forEach(p -> point(metric, p.getTimeUnixNano(), p.getAttributesList(), range));
            case SUMMARY ->
                metric
                    .getSummary()
                    .getDataPointsList()
                    .forEach(p -> point(metric, p.getTimeUnixNano(), p.getAttributesList(), range));
            case DATA_NOT_SET -> {}
          }
        }
      }
    }
  }

  private void point(Metric metric, long timeNanos, List<KeyValue> attributes, Range range) {
    // Every attribute of a metric point is part of its series' identity (cumulative state).
    for (KeyValue kv : attributes) {
      attribute("metric point attribute", kv);
    }
    if (range.excludes(timeNanos)) {
      throw outOfRange("data point of " + abbreviate(metric.getName()), timeNanos, range);
    }
  }

  private void checkTraces(ExportTraceServiceRequest request, Range range) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      checkResource(rs.getResource());
      for (ScopeSpans scope : rs.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          string("span name", span.getNameBytes());
          for (KeyValue kv : span.getAttributesList()) {
            if (SPAN_KEYS_READ.contains(kv.getKey())) {
              attribute("span attribute", kv);
            }
          }
          if (range.excludes(span.getStartTimeUnixNano())) {
            throw outOfRange(
                "start of span " + abbreviate(span.getName()), span.getStartTimeUnixNano(), range);
          }
          if (span.getEndTimeUnixNano() != 0 && range.excludes(span.getEndTimeUnixNano())) {
            throw outOfRange(
                "end of span " + abbreviate(span.getName()), span.getEndTimeUnixNano(), range);
          }
        }
      }
    }
  }

  private void checkLogs(ExportLogsServiceRequest request, Range range) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      checkResource(rl.getResource());
      for (ScopeLogs scope : rl.getScopeLogsList()) {
        for (LogRecord log : scope.getLogRecordsList()) {
          string("severity text", log.getSeverityTextBytes());
          // The time the app windows by: the log's time, or else the time it was observed.
          long time =
              log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
          if (range.excludes(time)) {
            throw outOfRange("log record", time, range);
          }
        }
      }
    }
  }

  private void checkResource(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        attribute("resource attribute", kv);
      }
    }
  }

  private void attribute(String what, KeyValue kv) {
    // A string pair short enough that even 3 UTF-8 bytes per char stay under the limit passes
    // unmeasured: the encoded size walks every char, ~4 % of the enrichment thread on metrics.
    AnyValue value = kv.getValue();
    if (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE
        && 3L * (kv.getKey().length() + value.getStringValue().length()) + KEY_VALUE_FRAMING
            <= limits.maxStringBytes()) {
      return;
    }
    // The encoded size bounds the text of any value type (arrays and maps are kept as text).
    int size = kv.getSerializedSize();
    if (size > limits.maxStringBytes()) {
      throw new InputRejectedException(
          InputRejectedException.STRING_TOO_LONG,
          what
              + " '"
              + abbreviate(kv.getKey())
              + "' of "
              + size
              + " bytes is over enrichment.input.max.string.bytes ("
              + limits.maxStringBytes()
              + ")");
    }
  }

  private void string(String what, ByteString bytes) {
    if (bytes.size() > limits.maxStringBytes()) {
      throw new InputRejectedException(
          InputRejectedException.STRING_TOO_LONG,
          what
              + " '"
              + abbreviate(bytes.substring(0, 40).toStringUtf8())
              + "...' of "
              + bytes.size()
              + " bytes is over enrichment.input.max.string.bytes ("
              + limits.maxStringBytes()
              + ")");
    }
  }

  /**
   * The rejection of an event time outside the range. Callers test {@link Range#excludes} first and
   * build the field's description only then: this runs for every point and span, and a string built
   * per item cost ~10 % of the stream thread on metric-heavy input.
   */
  private static InputRejectedException outOfRange(String what, long nanos, Range range) {
    return new InputRejectedException(
        InputRejectedException.TIME_OUT_OF_RANGE,
        what
            + " at "
            + describe(nanos)
            + " is outside ["
            + Instant.ofEpochMilli(range.fromNanos() / 1_000_000L)
            + ", "
            + Instant.ofEpochMilli(range.toNanos() / 1_000_000L)
            + "] around its record time "
            + Instant.ofEpochMilli(range.recordTimeMs())
            + " (enrichment.input.max.past.ms / max.future.ms)");
  }

  private static String describe(long nanos) {
    if (nanos < 0) {
      return Long.toUnsignedString(nanos) + " ns (over 2^63)";
    }
    return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString();
  }

  private static long saturatedNanos(long millis) {
    if (millis <= 0) {
      return 0;
    }
    return millis > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : millis * 1_000_000L;
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  private record Range(long fromNanos, long toNanos, long recordTimeMs) {
    /** Fixed64 on the wire: a value over Long.MAX_VALUE arrives negative, and is excluded too. */
    boolean excludes(long nanos) {
      return nanos < fromNanos || nanos > toNanos;
    }
  }
}
