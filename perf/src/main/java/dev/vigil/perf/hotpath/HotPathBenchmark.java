package dev.vigil.perf.hotpath;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.enrichment.InputLimits;
import dev.vigil.enrichment.internal.Aggregate;
import dev.vigil.enrichment.internal.InputGuard;
import dev.vigil.enrichment.internal.Otlp;
import dev.vigil.enrichment.internal.OtlpRequest;
import dev.vigil.enrichment.internal.SeriesIds;
import dev.vigil.enrichment.internal.Splitters;
import dev.vigil.schemas.SeriesKey;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-point work of the enrichment stream, without Kafka: decoding one OTLP record as the
 * ingest bridge writes it (one resource), building the series id of a data point from its
 * attributes (and its {@link SeriesKey} on emission), and the DDSketch work of distributions
 * (recording histogram buckets, merging two sketches, the sketch inside the window state's
 * encode/decode). Scores are per data point, span or operation, as the method says.
 *
 * <p>Detector update and RCA ranking on a 500-service graph are {@code DetectorBenchmark} and
 * {@code RankingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class HotPathBenchmark {
  /** Data points in one metrics record (one resource), as the bridge splits requests. */
  public static final int POINTS = 200;

  /** Spans in one traces record. */
  public static final int SPANS = 200;

  // The Kafka timestamp of the records: the event time of their points.
  private static final long RECORD_TIME_MS = 1_764_000_000_000L;

  private byte[] metricsRecord;
  private byte[] spansRecord;
  private List<List<KeyValue>> pointAttributes;
  private Set<String> allowed;
  private String[] ids;
  private DDSketch left;
  private DDSketch right;
  private Aggregate histogram;
  private byte[] histogramBytes;
  private double[] bucketBounds;
  private long[] bucketCounts;
  private int next;
  private final InputGuard guard = new InputGuard(InputLimits.defaults());

  /** Builds one metrics record, one traces record, attribute sets and two filled sketches. */
  @Setup
  public void setUp() {
    allowed = Set.copyOf(EnrichmentSettings.DEFAULT_DIMENSIONS);
    metricsRecord = metrics().toByteArray();
    spansRecord = spans().toByteArray();
    pointAttributes = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      pointAttributes.add(
          List.of(
              attribute("http.route", "/api/v1/items/" + (i % 40)),
              attribute("http.request.method", i % 3 == 0 ? "POST" : "GET"),
              attribute("http.response.status_code", i % 17 == 0 ? "500" : "200"),
              attribute("net.peer.name", "10.0.0." + (i % 250)),
              attribute("thread.id", Integer.toString(i))));
    }
    ids = new String[pointAttributes.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] =
          SeriesIds.series(
              "checkout",
              "http.server.request.duration",
              Otlp.dims(pointAttributes.get(i), allowed));
    }
    Random random = new Random(42);
    left = DDSketches.collapsingLowestDense(0.01, Aggregate.MAX_BINS);
    right = DDSketches.collapsingLowestDense(0.01, Aggregate.MAX_BINS);
    for (int i = 0; i < 10_000; i++) {
      left.accept(Math.exp(3 + random.nextGaussian()));
      right.accept(Math.exp(3.5 + random.nextGaussian()));
    }
    bucketBounds = new double[] {5, 10, 25, 50, 75, 100, 250, 500, 750, 1000};
    bucketCounts = new long[] {3, 12, 40, 80, 30, 12, 6, 3, 1, 1, 0};
    histogram = new Aggregate(Aggregate.Kind.HISTOGRAM, "ms", 0.01);
    for (int i = 0; i < 6; i++) {
      addHistogramPoint(histogram);
    }
    histogramBytes = histogram.encode();
  }

  /** Decode one metrics record of {@value #POINTS} gauge points; score per data point. */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public ExportMetricsServiceRequest otlpDecodeMetrics() throws Exception {
    return ExportMetricsServiceRequest.parseFrom(metricsRecord);
  }

  /**
   * What the enrichment's metrics source did per raw record when every batch crossed the
   * repartition topic with its resource encoded again: decode, the input check ({@code
   * InputGuard}), the split by service and the batch's bytes; score per data point. The decode
   * alone is {@link #otlpDecodeMetrics}.
   */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public int otlpDecodeCheckSplitMetrics() throws Exception {
    return repartitionBytes(new OtlpRequest<>(otlpDecodeCheckMetrics(), metricsRecord, false));
  }

  /**
   * The same for a batch that crosses the repartition topic now: its bytes are copied from the
   * record ({@code OtlpRequest}) instead of encoded again; score per data point.
   */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public int otlpDecodeCheckSplitMetricsRaw() throws Exception {
    return repartitionBytes(new OtlpRequest<>(otlpDecodeCheckMetrics(), metricsRecord, true));
  }

  /**
   * The same for a batch already in its service's task (every record the bridge wrote): no bytes at
   * all, the window processor takes the decoded resource; score per data point.
   */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public Object otlpDecodeCheckSplitMetricsLocal() throws Exception {
    return Splitters.metricsByService(
        new OtlpRequest<>(otlpDecodeCheckMetrics(), metricsRecord, true), service -> true);
  }

  private static int repartitionBytes(OtlpRequest<ExportMetricsServiceRequest> request) {
    int bytes = 0;
    for (var batch : Splitters.metricsByService(request, service -> false)) {
      bytes += batch.value.bytes().length;
    }
    return bytes;
  }

  /** Decode and input check of one metrics record, no split; score per data point. */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public ExportMetricsServiceRequest otlpDecodeCheckMetrics() throws Exception {
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(metricsRecord);
    guard.check(request, RECORD_TIME_MS);
    return request;
  }

  /** Decode one traces record of {@value #SPANS} spans; score per span. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public ExportTraceServiceRequest otlpDecodeSpans() throws Exception {
    return ExportTraceServiceRequest.parseFrom(spansRecord);
  }

  /** The series id of one data point: allow-listed dimensions sorted, then the compact id. */
  @Benchmark
  public String seriesId() {
    List<KeyValue> attributes = pointAttributes.get(next++ & 1023);
    return SeriesIds.series(
        "checkout", "http.server.request.duration", Otlp.dims(attributes, allowed));
  }

  /** The Avro {@link SeriesKey} of a series id, built once per emitted window. */
  @Benchmark
  public SeriesKey seriesKeyFromId() {
    return SeriesIds.seriesKey(ids[next++ & 1023], null);
  }

  /** Merge two sketches of 10,000 log-normal latencies each (1 % accuracy, dense bins). */
  @Benchmark
  public DDSketch sketchMerge() {
    DDSketch merged = left.copy();
    merged.mergeWith(right);
    return merged;
  }

  /** Record one 10-bucket histogram data point into a window's aggregate. */
  @Benchmark
  public void sketchAddHistogramPoint(Blackhole blackhole) {
    addHistogramPoint(histogram);
    blackhole.consume(histogram);
  }

  /**
   * A distribution aggregate with its sketch from bytes and back (the window state's round trip).
   */
  @Benchmark
  public byte[] sketchAggregateRoundTrip() {
    return Aggregate.decode(histogramBytes, 0.01).encode();
  }

  private void addHistogramPoint(Aggregate aggregate) {
    double lower = 0;
    long n = 0;
    for (int b = 0; b < bucketCounts.length; b++) {
      double upper = b < bucketBounds.length ? bucketBounds[b] : lower * 2;
      aggregate.addObservations((lower + upper) / 2, bucketCounts[b]);
      n += bucketCounts[b];
      lower = upper;
    }
    aggregate.addDistribution(n, n * 60.0, 1.0, 1500.0);
  }

  private static ExportMetricsServiceRequest metrics() {
    Gauge.Builder gauge = Gauge.newBuilder();
    long now = 1_764_000_000_000_000_000L;
    for (int p = 0; p < POINTS; p++) {
      gauge.addDataPoints(
          NumberDataPoint.newBuilder()
              .setTimeUnixNano(now + p)
              .setAsDouble(p * 0.5)
              .addAttributes(attribute("http.route", "/api/" + (p % 20)))
              .addAttributes(attribute("http.request.method", "GET"))
              .addAttributes(attribute("pod", "pod-" + (p % 7))));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource())
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("http.server.active_requests")
                                .setUnit("1")
                                .setGauge(gauge))))
        .build();
  }

  private static ExportTraceServiceRequest spans() {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    Random random = new Random(7);
    long now = 1_764_000_000_000_000_000L;
    for (int s = 0; s < SPANS; s++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      byte[] parent = new byte[8];
      random.nextBytes(trace);
      random.nextBytes(span);
      random.nextBytes(parent);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
              .setSpanId(com.google.protobuf.ByteString.copyFrom(span))
              .setParentSpanId(com.google.protobuf.ByteString.copyFrom(parent))
              .setName("GET /api/items")
              .setKind(s % 2 == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
              .setStartTimeUnixNano(now + s * 1_000_000L)
              .setEndTimeUnixNano(now + s * 1_000_000L + 35_000_000L)
              .addAttributes(attribute("http.route", "/api/items"))
              .addAttributes(attribute("http.request.method", "GET"))
              .addAttributes(attribute("http.response.status_code", "200"))
              .addAttributes(attribute("server.address", "inventory")));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(scope))
        .build();
  }

  private static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", "checkout"))
        .addAttributes(attribute("service.version", "1.4.2"))
        .addAttributes(attribute("host.name", "node-17"))
        .addAttributes(attribute("k8s.pod.name", "checkout-7d9f8-abcde"))
        .build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
