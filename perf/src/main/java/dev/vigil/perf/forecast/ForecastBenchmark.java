package dev.vigil.perf.forecast;

import dev.vigil.forecast.model.HoltWinters;
import dev.vigil.forecast.model.HoltWintersState;
import dev.vigil.forecast.model.Prediction;
import dev.vigil.forecast.model.Seasonality;
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
 * The embedded forecaster's costs, on 1,024 warm series of 1-minute points with a daily season (288
 * slots), rotating so the state is not always in L1:
 *
 * <ul>
 *   <li>{@code update}: learn one point;
 *   <li>{@code updateWithStateRoundTrip}: what the stream does per window (state from bytes, learn,
 *       state to bytes);
 *   <li>{@code stateRoundTrip}: the bytes alone, the ceiling of the previous one;
 *   <li>{@code forecast60}: a 60-step forecast with its intervals;
 *   <li>{@code warmupFit}: the one-off BOBYQA fit at the end of a series' two-day warm-up.
 * </ul>
 *
 * The state size per series is printed at set-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class ForecastBenchmark {
  private static final int SERIES = 1024;
  private static final long STEP = 60_000L;
  private static final long T0 = 1_795_392_000_000L;

  private final HoltWinters model = new HoltWinters(Seasonality.of(STEP, 1440));
  private final HoltWintersState[] states = new HoltWintersState[SERIES];
  private final byte[][] stored = new byte[SERIES][];
  private final double[] values = new double[4096];
  private HoltWintersState warming;
  private long tick;
  private int next;

  /** Warms 1,024 series up with two days and an hour of 1-minute points each. */
  @Setup
  public void setUp() {
    Random random = new Random(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = 100 + 30 * Math.sin(i / 229.0) + 3 * random.nextGaussian();
    }
    for (int s = 0; s < SERIES; s++) {
      states[s] = model.newState();
    }
    for (tick = 0; tick < 2 * 1440 + 60; tick++) {
      for (int s = 0; s < SERIES; s++) {
        model.update(states[s], T0 + tick * STEP, value(s));
      }
    }
    for (int s = 0; s < SERIES; s++) {
      stored[s] = model.serialize(states[s]);
    }
    warming = model.newState();
    for (int t = 0; t < 2 * 1440; t++) {
      model.update(warming, T0 + t * STEP, values[t & 4095]);
    }
    System.out.println(
        "state bytes per series: "
            + stored[0].length
            + " fitted, "
            + model.serialize(warming).length
            + " while warming up");
  }

  private double value(int s) {
    return values[(int) (tick + s) & 4095];
  }

  private int nextSeries() {
    int s = next;
    if (++next == SERIES) {
      next = 0;
      tick++;
    }
    return s;
  }

  /** One point of one warm series. */
  @Benchmark
  public boolean update() {
    int s = nextSeries();
    return model.update(states[s], T0 + tick * STEP, value(s));
  }

  /** One window as the stream handles it: state from bytes, learn, state to bytes. */
  @Benchmark
  public byte[] updateWithStateRoundTrip() {
    int s = nextSeries();
    HoltWintersState state = model.deserialize(stored[s]);
    model.update(state, T0 + tick * STEP, value(s));
    stored[s] = model.serialize(state);
    return stored[s];
  }

  /** The ceiling of the previous: state from bytes and back, no learning. */
  @Benchmark
  public byte[] stateRoundTrip() {
    int s = nextSeries();
    return model.serialize(model.deserialize(stored[s]));
  }

  /** A 60-step forecast with 80% intervals. */
  @Benchmark
  public Prediction forecast60() {
    return model.forecast(states[nextSeries()], 60);
  }

  /** The fit at the end of a warm-up (copy of a state one point before it, then that point). */
  @Benchmark
  public HoltWintersState warmupFit() {
    HoltWintersState state = model.deserialize(model.serialize(warming));
    model.update(state, T0 + 2 * 1440 * STEP, 100);
    return state;
  }
}
