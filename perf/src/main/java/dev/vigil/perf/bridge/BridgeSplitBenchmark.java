package dev.vigil.perf.bridge;

import dev.vigil.bridge.internal.OtlpDecoder;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.bridge.internal.SplitRequest;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
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

/**
 * The bridge's per-request work before Kafka, for a protobuf metrics request of {@value #RESOURCES}
 * services × {@value #POINTS_PER_RESOURCE} gauge points (the ramp's request): decode, then the
 * split into one record per resource, either copied from the request's bytes (as the bridge does
 * for protobuf) or encoded again (as it does for OTLP/JSON, and did for all before 2026-12-06).
 * Score per data point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class BridgeSplitBenchmark {
  static final int RESOURCES = 5;
  static final int POINTS_PER_RESOURCE = 100;
  private static final int POINTS = RESOURCES * POINTS_PER_RESOURCE;

  private final RequestSplitter splitter = new RequestSplitter(900 * 1024);
  private byte[] request;

  @Setup
  public void setUp() {
    ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
    for (int r = 0; r < RESOURCES; r++) {
      Gauge.Builder gauge = Gauge.newBuilder();
      for (int p = 0; p < POINTS_PER_RESOURCE; p++) {
        gauge.addDataPoints(
            NumberDataPoint.newBuilder()
                .setTimeUnixNano(1_764_000_000_000_000_000L)
                .setAsDouble(50 + p)
                .addAttributes(attribute("http.route", "/api/r" + p))
                .addAttributes(attribute("pod", "pod-" + (p % 3))));
      }
      builder.addResourceMetrics(
          ResourceMetrics.newBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(attribute("service.name", "bench-" + r))
                      .addAttributes(attribute("host.name", "node-" + r)))
              .addScopeMetrics(
                  ScopeMetrics.newBuilder()
                      .addMetrics(
                          Metric.newBuilder()
                              .setName("bench.queue.depth")
                              .setUnit("1")
                              .setGauge(gauge))));
    }
    request = builder.build().toByteArray();
  }

  /** Decode, then each resource's record copied from the request's bytes. */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public SplitRequest decodeSplitCopy() throws Exception {
    return splitter.split(
        OtlpSignal.METRICS, OtlpDecoder.protobuf(OtlpSignal.METRICS, request), request);
  }

  /** Decode, then each resource encoded again into its record. */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public SplitRequest decodeSplitEncode() throws Exception {
    return splitter.split(OtlpSignal.METRICS, OtlpDecoder.protobuf(OtlpSignal.METRICS, request));
  }

  /** The decode alone. */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public Object decode() throws Exception {
    return OtlpDecoder.protobuf(OtlpSignal.METRICS, request);
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
