package dev.vigil.perf.schemas;

import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of the busiest topic's records ({@code vigil.signals.1m}): every window of
 * every series passes through these serdes at least twice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class SerdeBenchmark {
  private SeriesKey key;
  private SignalWindow window;
  private byte[] keyBytes;
  private byte[] windowBytes;

  /** Builds one realistic record. */
  @Setup
  public void setUp() {
    Instant start = Instant.parse("2026-11-24T10:00:00Z");
    key =
        new SeriesKey(
            "checkout",
            "http.server.request.duration",
            List.of(new Attribute("http.route", "/api/pay"), new Attribute("span.kind", "SERVER")));
    window =
        SignalWindow.newBuilder()
            .setWindowStart(start)
            .setWindowEnd(start.plusSeconds(60))
            .setType(SignalType.LATENCY)
            .setUnit("ms")
            .setCount(1_200)
            .setSum(54_000)
            .setMin(3.0)
            .setMax(812.0)
            .setP50(38.0)
            .setP90(95.0)
            .setP95(140.0)
            .setP99(410.0)
            .setRate(20.0)
            .setErrors(3)
            .setTeam("payments")
            .setTier(1)
            .setDomain("checkout")
            .build();
    keyBytes = VigilSerdes.SERIES_KEY.serializer().serialize("t", key);
    windowBytes = VigilSerdes.SIGNAL_WINDOW.serializer().serialize("t", window);
  }

  /** SignalWindow to single-object-encoded bytes. */
  @Benchmark
  public byte[] encodeWindow() {
    return VigilSerdes.SIGNAL_WINDOW.serializer().serialize("t", window);
  }

  /** Bytes to SignalWindow, fingerprint lookup included. */
  @Benchmark
  public SignalWindow decodeWindow() {
    return VigilSerdes.SIGNAL_WINDOW.deserializer().deserialize("t", windowBytes);
  }

  /** SeriesKey to raw Avro bytes. */
  @Benchmark
  public byte[] encodeKey() {
    return VigilSerdes.SERIES_KEY.serializer().serialize("t", key);
  }

  /** Raw Avro bytes to SeriesKey. */
  @Benchmark
  public SeriesKey decodeKey() {
    return VigilSerdes.SERIES_KEY.deserializer().deserialize("t", keyBytes);
  }
}
