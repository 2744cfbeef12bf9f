package dev.vigil.perf.bridge;

import dev.vigil.bridge.internal.OtlpDecoder;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.bridge.internal.SplitRequest;
import dev.vigil.perf.pipeline.SyntheticOtlp;
import dev.vigil.runtime.otlp.OtlpSignal;
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
 * The bridge's per-request work before Kafka, for the ramp's protobuf metrics request ({@link
 * SyntheticOtlp}: 5 services × 100 gauge points): the split into one record per resource, copied
 * from the request's bytes after a scan that counts the points without decoding them (as the bridge
 * does for protobuf since 2026-12-07), against the full decode it did before, and the decode
 * followed by encoding each resource again (as it does for OTLP/JSON). Score per data point.
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
  private static final int POINTS = SyntheticOtlp.POINTS_PER_UNIT;

  private final RequestSplitter splitter = new RequestSplitter(900 * 1024);
  private byte[] request;

  @Setup
  public void setUp() {
    request =
        new SyntheticOtlp().next(OtlpSignal.METRICS, 1_764_000_000_000_000_000L).toByteArray();
  }

  /**
   * Scan, then each resource's record copied from the request's bytes: the bridge's protobuf path.
   */
  @Benchmark
  @OperationsPerInvocation(POINTS)
  public SplitRequest scanSplitCopy() throws Exception {
    return splitter.split(OtlpSignal.METRICS, request);
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
}
