package dev.vigil.perf.anomaly;

import dev.vigil.anomaly.AnomalySettings;
import dev.vigil.anomaly.detector.Assessment;
import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.anomaly.detector.Sense;
import dev.vigil.anomaly.internal.Episode;
import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.enrichment.internal.Aggregate;
import dev.vigil.perf.KeyValueArgs;
import dev.vigil.simulator.ControlPlane;
import dev.vigil.simulator.Fault;
import dev.vigil.simulator.PlatformGenerator;
import dev.vigil.simulator.Scenario;
import dev.vigil.simulator.Simulator;
import dev.vigil.simulator.SimulatorSettings;
import dev.vigil.simulator.TelemetrySink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How many false latency episodes the detector starts on a fault-free platform when the p95 it
 * scores comes from histogram buckets rather than from the durations themselves. Simulates the
 * platform without faults, takes each service's server-span durations per minute and computes the
 * p95 four ways: the midpoint of the bucket holding it (what the enrichment did with an explicit
 * histogram until 2026-12-05: every bucket's count at its midpoint), linear interpolation within
 * that bucket (Prometheus' {@code histogram_quantile}), the enrichment's own estimate (its {@code
 * Aggregate}), and the exact order statistic (what {@code span.duration} gives); then runs {@link
 * SeasonalDetector} with its defaults on each and counts episode STARTs (three windows at 0.99 or
 * one at 0.9999). Bucket bounds are the simulator's (5, 10, 25, 50, 75, 100, 250, 500, 750, 1000,
 * 2500, 5000, 7500, 10000 ms).
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.anomaly.HistogramQuantileNoise \
 *   [services=500] [rate=100] [history=12] [minutes=13] [start=2026-12-05T13:39:00Z]
 * </pre>
 *
 * Measured 2026-12-05 (perf/README, "Why search and pricing go unnamed"): 500 services, 100
 * requests/min, 12 + 13 minutes: 30 / 2 / 0 STARTs; 130 + 120 minutes: 963 / 289 / 0.
 */
public final class HistogramQuantileNoise {
  /** The stage's episode rules: three windows at 0.99 or one critical, five below 0.95 end it. */
  private static final AnomalySettings SETTINGS = AnomalySettings.defaults();

  static final double[] BOUNDS = {
    5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000
  };
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

  private HistogramQuantileNoise() {}

  /** How the p95 of a minute is estimated. */
  enum Estimate {
    BUCKET_MIDPOINT,
    BUCKET_INTERPOLATED,
    /** The enrichment's own {@link Aggregate}: each bucket spread over its width, then sketched. */
    ENRICHMENT,
    EXACT
  }

  /** Runs the simulation and prints one line per estimate. */
  public static void main(String[] args) {
    Map<String, String> opts = KeyValueArgs.parse(args);
    int services = Integer.parseInt(opts.getOrDefault("services", "500"));
    double rate = Double.parseDouble(opts.getOrDefault("rate", "100"));
    Duration history = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("history", "12")));
    Duration minutes = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("minutes", "13")));
    Instant start = Instant.parse(opts.getOrDefault("start", "2026-12-05T13:39:00Z"));
    Map<String, TreeMap<Long, List<Double>>> durations =
        simulate(services, rate, history, minutes, start, List.of());
    for (Estimate estimate : Estimate.values()) {
      int[] counts = count(durations, estimate);
      System.out.printf(
          "%-19s %d + %d min, %d services: %,d scored series-minutes, %d episode STARTs (%d on a"
              + " critical score) in %d services%n",
          estimate,
          history.toMinutes(),
          minutes.toMinutes(),
          services,
          counts[0],
          counts[1],
          counts[2],
          counts[3]);
    }
  }

  /** Server-span durations (ms) per service and minute of start, with {@code faults} injected. */
  static Map<String, TreeMap<Long, List<Double>>> simulate(
      int services,
      double rate,
      Duration history,
      Duration minutes,
      Instant start,
      List<Fault> faults) {
    SimulatorSettings settings =
        new SimulatorSettings(
            PlatformGenerator.ecommerce(services, 1),
            new Scenario("histogram-noise", Optional.of(minutes), faults),
            start,
            history,
            0,
            rate,
            0,
            1);
    Map<String, TreeMap<Long, List<Double>>> durations = new HashMap<>();
    TelemetrySink sink =
        new TelemetrySink() {
          @Override
          public boolean export(
              List<SpanData> spans, List<MetricData> metrics, List<LogRecordData> logs) {
            for (SpanData span : spans) {
              if (span.getKind() != SpanKind.SERVER && span.getKind() != SpanKind.CONSUMER) {
                continue;
              }
              long minute = span.getStartEpochNanos() / 60_000_000_000L * 60_000L;
              durations
                  .computeIfAbsent(span.getResource().getAttribute(SERVICE), k -> new TreeMap<>())
                  .computeIfAbsent(minute, k -> new ArrayList<>())
                  .add((span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6);
            }
            return true;
          }

          @Override
          public void close() {}
        };
    new Simulator(settings, sink, ControlPlane.none(), (t, sinceStart) -> {}).run();
    return durations;
  }

  /** Scored series-minutes, episode STARTs, of them on a critical score, services with one. */
  private static int[] count(Map<String, TreeMap<Long, List<Double>>> durations, Estimate how) {
    int scored = 0;
    int starts = 0;
    int critical = 0;
    int servicesWithStart = 0;
    for (TreeMap<Long, List<Double>> series : durations.values()) {
      SeasonalDetector detector = new SeasonalDetector(DetectorSettings.defaults());
      SeasonalState state = detector.newState(60_000, 0.02);
      Episode episode = new Episode();
      boolean any = false;
      for (Map.Entry<Long, List<Double>> minute : series.entrySet()) {
        List<Double> values = minute.getValue();
        // the last minute is cut by the end of the simulation
        if (values.size() < 2 || minute.getKey().equals(series.lastKey())) {
          continue;
        }
        Collections.sort(values);
        Assessment a =
            detector.assess(state, minute.getKey(), Math.log(p95(values, how)), Sense.UP);
        if (a == null || !a.warm()) {
          continue;
        }
        scored++;
        if (episode.observe(SETTINGS, a.score(), minute.getKey()) == Episode.Transition.START) {
          starts++;
          any = true;
          if (a.score() >= AnomalySettings.CRITICAL_SCORE) {
            critical++;
          }
        }
      }
      servicesWithStart += any ? 1 : 0;
    }
    return new int[] {scored, starts, critical, servicesWithStart};
  }

  /**
   * The p95 of sorted {@code values}: for exact durations the value at index floor(0.95·(n−1)), the
   * one the enrichment's sketch answers for rank 0.95·(n−1).
   */
  static double p95(List<Double> values, Estimate how) {
    int n = values.size();
    double rank = 0.95 * (n - 1);
    if (how == Estimate.EXACT) {
      return values.get((int) Math.floor(rank));
    }
    long[] counts = new long[BOUNDS.length + 1];
    for (double v : values) {
      int i = 0;
      while (i < BOUNDS.length && v > BOUNDS[i]) {
        i++;
      }
      counts[i]++;
    }
    if (how == Estimate.ENRICHMENT) {
      Aggregate aggregate =
          new Aggregate(
              Aggregate.Kind.HISTOGRAM, "ms", EnrichmentSettings.defaults().relativeAccuracy());
      for (int i = 0; i <= BOUNDS.length; i++) {
        double lower = i == 0 ? values.get(0) : BOUNDS[i - 1];
        double upper = i < BOUNDS.length ? BOUNDS[i] : values.get(n - 1);
        aggregate.addSpread(lower, upper, counts[i]);
      }
      return aggregate.quantile(0.95);
    }
    long below = 0;
    for (int i = 0; i <= BOUNDS.length; i++) {
      if (counts[i] > 0 && below + counts[i] > rank) {
        // open ends closed by the exact min and max, as the enrichment does with a point's min/max
        double lower = i == 0 ? values.get(0) : BOUNDS[i - 1];
        double upper = i < BOUNDS.length ? BOUNDS[i] : values.get(n - 1);
        return how == Estimate.BUCKET_MIDPOINT
            ? (lower + upper) / 2
            : lower + (rank - below + 0.5) / counts[i] * (upper - lower);
      }
      below += counts[i];
    }
    return values.get(n - 1);
  }
}
