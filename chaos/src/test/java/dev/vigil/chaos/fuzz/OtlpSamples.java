package dev.vigil.chaos.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.Random;

/**
 * Valid OTLP export requests made with the real OpenTelemetry proto classes, as an SDK would send
 * them: every metric type (gauge, sums, histograms, exponential histogram, summary), server, client
 * and internal spans with attributes and statuses, logs with and without severity. They are the
 * seeds the {@link OtlpMutator} starts from, and the known-good traffic of the fuzz tests.
 */
public final class OtlpSamples {
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("io.vigil.fuzz").setVersion("1.0").build();

  private OtlpSamples() {}

  /** A valid request of {@code signal} from {@code service}, its times around {@code at}. */
  public static Message sample(OtlpSignal signal, String service, Instant at, Random random) {
    return switch (signal) {
      case METRICS -> metrics(service, at, random);
      case TRACES -> traces(service, at, random);
      case LOGS -> logs(service, at, random);
    };
  }

  /** Metrics of every type, one data point each (so 6 data points). */
  public static ExportMetricsServiceRequest metrics(String service, Instant at, Random random) {
    long t = Otlp.nanos(at);
    long start = t - 60_000_000_000L;
    NumberDataPoint gauge =
        NumberDataPoint.newBuilder()
            .setTimeUnixNano(t)
            .setAsDouble(random.nextDouble() * 100)
            .addAttributes(Otlp.attribute("state", "used"))
            .build();
    NumberDataPoint counter =
        NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(t)
            .setAsInt(random.nextInt(10_000))
            .addAttributes(Otlp.attribute("http.route", "/cart"))
            .build();
    HistogramDataPoint histogram =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(t)
            .setCount(6)
            .setSum(321.5)
            .setMin(1.5)
            .setMax(180)
            .addExplicitBounds(10)
            .addExplicitBounds(100)
            .addBucketCounts(2)
            .addBucketCounts(3)
            .addBucketCounts(1)
            .build();
    ExponentialHistogramDataPoint exponential =
        ExponentialHistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(t)
            .setCount(5)
            .setSum(42)
            .setScale(2)
            .setZeroCount(1)
            .setPositive(
                ExponentialHistogramDataPoint.Buckets.newBuilder()
                    .setOffset(3)
                    .addBucketCounts(2)
                    .addBucketCounts(2))
            .build();
    SummaryDataPoint summary =
        SummaryDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(t)
            .setCount(10)
            .setSum(55)
            .addQuantileValues(
                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(5))
            .addQuantileValues(
                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(10))
            .build();
    ScopeMetrics scope =
        ScopeMetrics.newBuilder()
            .setScope(SCOPE)
            .addMetrics(
                Metric.newBuilder()
                    .setName("system.memory.usage")
                    .setUnit("By")
                    .setGauge(Gauge.newBuilder().addDataPoints(gauge)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("http.server.requests")
                    .setUnit("1")
                    .setSum(
                        Sum.newBuilder()
                            .setIsMonotonic(true)
                            .setAggregationTemporality(
                                AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                            .addDataPoints(counter)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("queue.depth")
                    .setSum(
                        Sum.newBuilder()
                            .setAggregationTemporality(
                                AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                            .addDataPoints(gauge)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("http.server.request.duration")
                    .setUnit("ms")
                    .setHistogram(
                        Histogram.newBuilder()
                            .setAggregationTemporality(
                                AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                            .addDataPoints(histogram)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("rpc.server.duration")
                    .setUnit("ms")
                    .setExponentialHistogram(
                        ExponentialHistogram.newBuilder()
                            .setAggregationTemporality(
                                AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                            .addDataPoints(exponential)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("db.latency")
                    .setUnit("s")
                    .setSummary(Summary.newBuilder().addDataPoints(summary)))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Otlp.resource(service))
                .addScopeMetrics(scope)
                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"))
        .build();
  }

  /** A server span, its client child calling another service, and an internal span (3 spans). */
  public static ExportTraceServiceRequest traces(String service, Instant at, Random random) {
    byte[] trace = new byte[16];
    random.nextBytes(trace);
    byte[] server = new byte[8];
    random.nextBytes(server);
    byte[] client = new byte[8];
    random.nextBytes(client);
    byte[] internal = new byte[8];
    random.nextBytes(internal);
    long t = Otlp.nanos(at);
    Span serverSpan =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(trace))
            .setSpanId(ByteString.copyFrom(server))
            .setName("GET /cart")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(t)
            .setEndTimeUnixNano(t + 40_000_000L)
            .addAttributes(Otlp.attribute("http.route", "/cart"))
            .addAttributes(Otlp.attribute("http.response.status_code", 200))
            .build();
    Span clientSpan =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(trace))
            .setSpanId(ByteString.copyFrom(client))
            .setParentSpanId(ByteString.copyFrom(server))
            .setName("GET")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(t + 1_000_000L)
            .setEndTimeUnixNano(t + 30_000_000L)
            .addAttributes(Otlp.attribute("peer.service", "inventory"))
            .setStatus(random.nextInt(4) == 0 ? Otlp.error() : Status.getDefaultInstance())
            .build();
    Span internalSpan =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(trace))
            .setSpanId(ByteString.copyFrom(internal))
            .setParentSpanId(ByteString.copyFrom(server))
            .setName("render")
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(t + 31_000_000L)
            .setEndTimeUnixNano(t + 39_000_000L)
            .addEvents(
                Span.Event.newBuilder().setName("cache.miss").setTimeUnixNano(t + 32_000_000L))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Otlp.resource(service))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(SCOPE)
                        .addSpans(serverSpan)
                        .addSpans(clientSpan)
                        .addSpans(internalSpan)))
        .build();
  }

  /** An info, a warning and an error record, one without a severity number (3 records). */
  public static ExportLogsServiceRequest logs(String service, Instant at, Random random) {
    LogRecord info = Otlp.log(at, 9, "INFO").toBuilder().setBody(text("cart loaded")).build();
    LogRecord warning =
        Otlp.log(at.plusMillis(5), 0, "WARN").toBuilder()
            .setBody(text("slow inventory: " + random.nextInt(1000) + " ms"))
            .build();
    LogRecord error =
        Otlp.log(at.plusMillis(9), 17, "ERROR").toBuilder()
            .setBody(text("payment declined"))
            .addAttributes(Otlp.attribute("exception.type", "PaymentException"))
            .build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(Otlp.resource(service))
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .setScope(SCOPE)
                        .addLogRecords(info)
                        .addLogRecords(warning)
                        .addLogRecords(error)))
        .build();
  }

  private static AnyValue text(String text) {
    return AnyValue.newBuilder().setStringValue(text).build();
  }
}
