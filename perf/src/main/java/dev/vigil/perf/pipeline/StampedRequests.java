package dev.vigil.perf.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Requests of one signal of {@link SyntheticOtlp}, encoded once and stamped with the send time at
 * each send: a copy of the encoded request with its event times overwritten in place.
 *
 * <p>Why: the ramp's load generator shares the 2 cores with the chain it measures. Building and
 * encoding every request with the proto classes took ~30 % of the process's CPU samples at 200,000
 * points/s (JFR, 2026-12-06), CPU a production deployment spends on the services' own hosts, and
 * which the ceiling's producer (sending pre-built records) never pays. Stamping a copy costs a
 * copy.
 *
 * <p>Only requests whose items carry nothing but the event time that must change per send: data
 * points and log records (a log record's trace and span ids are never paired). Spans are not
 * stamped: their ids must be new per send, or the pairing would match old spans.
 */
final class StampedRequests {
  /** The event time of the templates: an exact 64-bit pattern no other field of them holds. */
  private static final long TEMPLATE_NANOS = 0x0123_4567_89AB_CDEFL;

  private final List<Template> templates = new ArrayList<>();
  private int next;

  /**
   * {@code variants} requests (each with its own values) of every group of services of the load.
   *
   * @param build builds the next request of the signal, stamped with the given nanoseconds
   */
  StampedRequests(OtlpSignal signal, int variants, LongFunction<Message> build) {
    if (signal == OtlpSignal.TRACES) {
      throw new IllegalArgumentException("spans need new ids per send; build them per send");
    }
    int groups = SyntheticOtlp.SERVICES / SyntheticOtlp.SERVICES_PER_REQUEST;
    for (int i = 0; i < groups * variants; i++) {
      Template template = Template.of(build.apply(TEMPLATE_NANOS).toByteArray());
      template.verify(signal);
      templates.add(template);
    }
  }

  /** The next request, every event time set to {@code nowNanos}. */
  byte[] next(long nowNanos) {
    Template template = templates.get(next);
    next = (next + 1) % templates.size();
    return template.stamp(nowNanos);
  }

  /** An encoded request and where its event times are. */
  private record Template(byte[] bytes, int[] timeOffsets) {
    static Template of(byte[] bytes) {
      List<Integer> offsets = new ArrayList<>();
      for (int i = 1; i + Long.BYTES <= bytes.length; i++) {
        // Event times are fixed64 fields: a tag byte with wire type 1 precedes the value.
        if ((bytes[i - 1] & 0x7) == 1 && readLong(bytes, i) == TEMPLATE_NANOS) {
          offsets.add(i);
        }
      }
      return new Template(bytes, offsets.stream().mapToInt(Integer::intValue).toArray());
    }

    byte[] stamp(long nowNanos) {
      byte[] out = bytes.clone();
      for (int offset : timeOffsets) {
        for (int b = 0; b < Long.BYTES; b++) {
          out[offset + b] = (byte) (nowNanos >>> (8 * b));
        }
      }
      return out;
    }

    /** Fails unless stamping sets every event time of the request and nothing else. */
    void verify(OtlpSignal signal) {
      long stampNanos = 42L;
      byte[] stamped = stamp(stampNanos);
      List<Long> times = new ArrayList<>();
      try {
        if (signal == OtlpSignal.METRICS) {
          for (ResourceMetrics rm :
              ExportMetricsServiceRequest.parseFrom(stamped).getResourceMetricsList()) {
            for (ScopeMetrics scope : rm.getScopeMetricsList()) {
              for (Metric metric : scope.getMetricsList()) {
                for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                  times.add(p.getTimeUnixNano());
                }
              }
            }
          }
        } else {
          for (ResourceLogs rl :
              ExportLogsServiceRequest.parseFrom(stamped).getResourceLogsList()) {
            for (ScopeLogs scope : rl.getScopeLogsList()) {
              for (LogRecord log : scope.getLogRecordsList()) {
                times.add(log.getTimeUnixNano());
                times.add(log.getObservedTimeUnixNano());
              }
            }
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a stamped " + signal + " request does not parse", e);
      }
      if (times.size() != timeOffsets.length || times.stream().anyMatch(t -> t != stampNanos)) {
        throw new IllegalStateException(
            "stamping a "
                + signal
                + " request set "
                + timeOffsets.length
                + " fields, but it has "
                + times.size()
                + " event times: "
                + times.stream().filter(t -> t != stampNanos).limit(3).toList()
                + " not stamped");
      }
    }

    private static long readLong(byte[] bytes, int offset) {
      long value = 0;
      for (int b = Long.BYTES - 1; b >= 0; b--) {
        value = (value << 8) | (bytes[offset + b] & 0xFF);
      }
      return value;
    }
  }
}
