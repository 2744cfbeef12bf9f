package dev.vigil.perf.anomaly;

import dev.vigil.anomaly.detector.Assessment;
import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.anomaly.detector.Sense;
import java.util.Random;
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
 * The default detector's cost per point: {@code update} scores and learns one point of a warm
 * series with daily and weekly profiles enabled (1-minute step, rotating over 1,024 series so the
 * state is not always in L1); {@code updateWithStateRoundTrip} adds what the stream does around it
 * (state from bytes, state to bytes), as for every window read from and written to the store. The
 * state size per series is printed at set-up ({@code state bytes per series}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class DetectorBenchmark {
  private static final int SERIES = 1024;
  private static final long STEP = 60_000L;
  private static final long T0 = 1_795_392_000_000L;

  private final SeasonalDetector detector = new SeasonalDetector(DetectorSettings.defaults());
  private final SeasonalState[] states = new SeasonalState[SERIES];
  private final byte[][] stored = new byte[SERIES][];
  private final double[] values = new double[4096];
  private long tick;
  private int next;

  /** Warms 1,024 series up with two days of 1-minute points each. */
  @Setup
  public void setUp() {
    Random random = new Random(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = 100 + 30 * Math.sin(i / 229.0) + 3 * random.nextGaussian();
    }
    for (int s = 0; s < SERIES; s++) {
      states[s] = detector.newState(STEP, 0);
    }
    for (tick = 0; tick < 2 * 1440; tick++) {
      for (int s = 0; s < SERIES; s++) {
        detector.assess(states[s], T0 + tick * STEP, values[(int) (tick + s) & 4095], Sense.BOTH);
      }
    }
    for (int s = 0; s < SERIES; s++) {
      stored[s] = detector.serialize(states[s]);
    }
    System.out.println("state bytes per series: " + stored[0].length);
  }

  /** One point of one series: score and learn. */
  @Benchmark
  public Assessment update() {
    int s = next;
    if (++next == SERIES) {
      next = 0;
      tick++;
    }
    return detector.assess(
        states[s], T0 + tick * STEP, values[(int) (tick + s) & 4095], Sense.BOTH);
  }

  /** One point of one series as the stream handles it: deserialize, score and learn, serialize. */
  @Benchmark
  public byte[] updateWithStateRoundTrip() {
    int s = next;
    if (++next == SERIES) {
      next = 0;
      tick++;
    }
    SeasonalState state = detector.deserialize(stored[s]);
    detector.assess(state, T0 + tick * STEP, values[(int) (tick + s) & 4095], Sense.BOTH);
    stored[s] = detector.serialize(state);
    return stored[s];
  }
}
