package dev.vigil.perf.sinks;

import dev.vigil.sinks.prometheus.RemoteWriteEncoder;
import dev.vigil.sinks.prometheus.SeriesId;
import dev.vigil.sinks.prometheus.prompb.Label;
import dev.vigil.sinks.prometheus.prompb.Sample;
import dev.vigil.sinks.prometheus.prompb.TimeSeries;
import dev.vigil.sinks.prometheus.prompb.WriteRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
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
 * The Prometheus sink's hot path: samples to remote-write requests (protobuf + snappy), per sample.
 * One batch is what a put() of 500 series windows gives: 500 series of 4 samples (count, sum, p99,
 * errors of one window each over 4 minutes), labels as the sink sets them. Ceilings in the same
 * run: serialising the same, already built {@code WriteRequest} (protobuf alone), and snappy alone
 * on its bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class RemoteWriteBenchmark {
  private static final int SERIES = 500;
  private static final int SAMPLES_PER_SERIES = 4;
  private static final int SAMPLES = SERIES * SAMPLES_PER_SERIES;

  private Map<SeriesId, NavigableMap<Long, Double>> batch;
  private RemoteWriteEncoder encoder;
  private WriteRequest built;
  private byte[] protobuf;

  /** Builds one batch. */
  @Setup
  public void setUp() {
    batch = new LinkedHashMap<>();
    WriteRequest.Builder request = WriteRequest.newBuilder();
    long t0 = 1_780_000_000_000L;
    for (int s = 0; s < SERIES; s++) {
      Map<String, String> labels =
          Map.of(
              "service", "service-" + (s % 50),
              "http_route", "/api/v1/resource/" + s,
              "team", "team-" + (s % 7),
              "quantile", "0.99");
      SeriesId id = new SeriesId("http_server_request_duration_milliseconds:quantile1m", labels);
      NavigableMap<Long, Double> samples = new TreeMap<>();
      TimeSeries.Builder series = TimeSeries.newBuilder();
      series.addLabels(Label.newBuilder().setName("__name__").setValue(id.name()));
      id.labels().forEach((k, v) -> series.addLabels(Label.newBuilder().setName(k).setValue(v)));
      for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
        double value = 100 + s * 0.37 + i * 1.5;
        samples.put(t0 + i * 60_000L, value);
        series.addSamples(Sample.newBuilder().setTimestamp(t0 + i * 60_000L).setValue(value));
      }
      batch.put(id, samples);
      request.addTimeseries(series);
    }
    encoder = new RemoteWriteEncoder(4 * 1024 * 1024);
    built = request.build();
    protobuf = built.toByteArray();
  }

  /** The sink's path: build the protobuf from the grouped samples, serialise, snappy. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public List<RemoteWriteEncoder.Batch> encodeAndCompress() {
    return encoder.encode(batch);
  }

  /** Ceiling: serialising an already built request (no building, no compression). */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public byte[] protobufSerialisationOnly() {
    return built.toByteArray();
  }

  /** Snappy alone on the same bytes. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public byte[] snappyOnly() {
    return RemoteWriteEncoder.compress(protobuf);
  }
}
