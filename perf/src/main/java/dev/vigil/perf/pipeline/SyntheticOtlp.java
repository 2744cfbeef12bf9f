package dev.vigil.perf.pipeline;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.SplittableRandom;

/**
 * Synthetic OTLP built with the real OpenTelemetry proto classes, event time = now: the ramp's
 * load. One unit of load is one request of each signal: metrics ({@value #SERVICES_PER_REQUEST}
 * services × {@value #SERIES} gauge series = {@value #POINTS_PER_UNIT} points), traces ({@value
 * #SPANS_PER_UNIT} spans: client spans of five services paired with the server spans of their
 * callees) and logs ({@value #LOGS_PER_UNIT} records). Requests rotate over {@value #SERVICES}
 * services, so the platform has {@value #SERVICES} × {@value #SERIES} metric series plus the span
 * and log series of each service.
 */
public final class SyntheticOtlp {
  static final int SERVICES = 50;
  static final int SERVICES_PER_REQUEST = 5;
  static final int SERIES = 100;
  static final int CALLS_PER_SERVICE = 10;
  static final int LOGS_PER_SERVICE = 10;

  /** Data points in one metrics request. */
  public static final int POINTS_PER_UNIT = SERVICES_PER_REQUEST * SERIES;

  static final int SPANS_PER_UNIT = SERVICES_PER_REQUEST * CALLS_PER_SERVICE * 2;
  static final int LOGS_PER_UNIT = SERVICES_PER_REQUEST * LOGS_PER_SERVICE;

  /** Items in one record as the bridge splits requests (one resource each). */
  static final int POINTS_PER_RECORD = SERIES;

  static final int SPANS_PER_RECORD = CALLS_PER_SERVICE;
  static final int LOGS_PER_RECORD = LOGS_PER_SERVICE;

  private final SplittableRandom random = new SplittableRandom(11);
  private final Resource[] resources = new Resource[SERVICES];
  private long unit;

  /** The load from its first unit, values from a fixed seed. */
  public SyntheticOtlp() {
    for (int s = 0; s < SERVICES; s++) {
      resources[s] =
          Resource.newBuilder()
              .addAttributes(attribute("service.name", service(s)))
              .addAttributes(attribute("service.version", "1.0." + s))
              .addAttributes(attribute("host.name", "node-" + (s % 7)))
              .build();
    }
  }

  static String service(int s) {
    return String.format("bench-%03d", s);
  }

  /** The next unit of load, stamped {@code nowNanos}. */
  synchronized Unit next(long nowNanos) {
    int first = nextFirst();
    return new Unit(metrics(first, nowNanos), traces(first, nowNanos), logs(first, nowNanos));
  }

  /**
   * The next request of {@code signal} alone, stamped {@code nowNanos}: the services rotate as with
   * {@link #next(long)}, without building the other signals' requests.
   */
  public synchronized Message next(OtlpSignal signal, long nowNanos) {
    int first = nextFirst();
    return switch (signal) {
      case METRICS -> metrics(first, nowNanos);
      case TRACES -> traces(first, nowNanos);
      case LOGS -> logs(first, nowNanos);
    };
  }

  private int nextFirst() {
    return (int) ((unit++ * SERVICES_PER_REQUEST) % SERVICES);
  }

  private ExportMetricsServiceRequest metrics(int first, long now) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    for (int i = 0; i < SERVICES_PER_REQUEST; i++) {
      Gauge.Builder gauge = Gauge.newBuilder();
      for (int p = 0; p < SERIES; p++) {
        gauge.addDataPoints(
            NumberDataPoint.newBuilder()
                .setTimeUnixNano(now)
                .setAsDouble(50 + 10 * random.nextDouble())
                .addAttributes(attribute("http.route", "/api/r" + p))
                .addAttributes(attribute("pod", "pod-" + (p % 3))));
      }
      request.addResourceMetrics(
          ResourceMetrics.newBuilder()
              .setResource(resources[first + i])
              .addScopeMetrics(
                  ScopeMetrics.newBuilder()
                      .addMetrics(
                          Metric.newBuilder()
                              .setName("bench.queue.depth")
                              .setUnit("1")
                              .setGauge(gauge))));
    }
    return request.build();
  }

  private ExportTraceServiceRequest traces(int first, long now) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < SERVICES_PER_REQUEST; i++) {
      int client = first + i;
      int server = (client + 1) % SERVICES;
      ScopeSpans.Builder clientSpans = ScopeSpans.newBuilder();
      ScopeSpans.Builder serverSpans = ScopeSpans.newBuilder();
      for (int c = 0; c < CALLS_PER_SERVICE; c++) {
        ByteString trace = bytes(16);
        ByteString clientId = bytes(8);
        long duration = (long) (20_000_000 * (1 + random.nextDouble()));
        long start = now - duration - 2_000_000;
        clientSpans.addSpans(
            Span.newBuilder()
                .setTraceId(trace)
                .setSpanId(clientId)
                .setParentSpanId(bytes(8))
                .setName("GET " + service(server))
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + duration + 1_000_000)
                .addAttributes(attribute("server.address", service(server))));
        serverSpans.addSpans(
            Span.newBuilder()
                .setTraceId(trace)
                .setSpanId(bytes(8))
                .setParentSpanId(clientId)
                .setName("GET /api/r" + c)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(start + 500_000)
                .setEndTimeUnixNano(start + 500_000 + duration)
                .addAttributes(attribute("http.route", "/api/r" + c))
                .addAttributes(attribute("http.request.method", "GET"))
                .addAttributes(attribute("http.response.status_code", "200")));
      }
      request.addResourceSpans(
          ResourceSpans.newBuilder().setResource(resources[client]).addScopeSpans(clientSpans));
      request.addResourceSpans(
          ResourceSpans.newBuilder().setResource(resources[server]).addScopeSpans(serverSpans));
    }
    return request.build();
  }

  private ExportLogsServiceRequest logs(int first, long now) {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    for (int i = 0; i < SERVICES_PER_REQUEST; i++) {
      ScopeLogs.Builder scope = ScopeLogs.newBuilder();
      for (int l = 0; l < LOGS_PER_SERVICE; l++) {
        boolean error = random.nextInt(50) == 0;
        scope.addLogRecords(
            LogRecord.newBuilder()
                .setTimeUnixNano(now)
                .setObservedTimeUnixNano(now)
                .setSeverityNumber(
                    error
                        ? SeverityNumber.SEVERITY_NUMBER_ERROR
                        : SeverityNumber.SEVERITY_NUMBER_INFO)
                .setSeverityText(error ? "ERROR" : "INFO")
                .setBody(
                    AnyValue.newBuilder()
                        .setStringValue(
                            error ? "payment declined: upstream timeout" : "order accepted"))
                .setTraceId(bytes(16))
                .setSpanId(bytes(8)));
      }
      request.addResourceLogs(
          ResourceLogs.newBuilder().setResource(resources[first + i]).addScopeLogs(scope));
    }
    return request.build();
  }

  private ByteString bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(b);
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** One request of each signal. */
  record Unit(
      ExportMetricsServiceRequest metrics,
      ExportTraceServiceRequest traces,
      ExportLogsServiceRequest logs) {
    /** The request of {@code signal}. */
    Message request(OtlpSignal signal) {
      return switch (signal) {
        case METRICS -> metrics;
        case TRACES -> traces;
        case LOGS -> logs;
      };
    }
  }
}
