package dev.vigil.perf.anomaly;

import dev.vigil.anomaly.AnomalySettings;
import dev.vigil.anomaly.detector.Assessment;
import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.anomaly.detector.Sense;
import dev.vigil.anomaly.internal.Episode;
import dev.vigil.perf.KeyValueArgs;
import dev.vigil.simulator.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which per-minute latency statistic, or pair of them, catches a latency fault on a service with
 * few calls a minute, and how many false episodes each starts on the same platform without a fault.
 * Simulates the platform twice with the same seed (without and with {@code faults}), takes each
 * service's server-span durations per minute, and runs {@link SeasonalDetector} with its defaults
 * on the log of each statistic (as the anomaly stage scores LATENCY). A pair is scored as the
 * anomaly stage does: the larger score, Šidák-corrected for two tests ({@code max(c1, c2)^2}), or
 * uncorrected for comparison; optionally the first statistic only from a number of calls up.
 * Episodes as the stage opens them: three windows at 0.99 or one at 0.9999. Quantiles are taken at
 * the ranks the enrichment's sketch answers: index {@code floor(q·(n−1))}.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.anomaly.LatencyStatistics \
 *   [services=500] [rate=100] [history=130] [minutes=120] \
 *   [faults=latency:search@30m+20m*10,latency:pricing@70m+20m*10] [timeouts=0.002]
 * </pre>
 */
public final class LatencyStatistics {
  /** The stage's episode rules: three windows at 0.99 or one critical, five below 0.95 end it. */
  private static final AnomalySettings SETTINGS = AnomalySettings.defaults();

  private LatencyStatistics() {}

  /** A per-minute statistic of sorted durations. */
  enum Statistic {
    P95,
    MEAN,
    /**
     * Mean of the calls up to the p95's rank, the last one by its fraction: the slowest 5 % left
     * out, but below 21 calls part of the slowest call kept (the enrichment until 2026-12-06).
     */
    TRIMMED_MEAN,
    /**
     * The trimmed mean as the enrichment computes it now: up to the p95's rank, and never the
     * slowest call, so one timeout does not count in a window of fewer than 21 calls either.
     */
    TRIMMED_MEAN_SLOWEST_OUT,
    /**
     * The trimmed mean of the calls as an explicit histogram has them: each bucket's count spread
     * evenly over its width (16 points at most, as the enrichment's {@code Aggregate.addSpread}).
     */
    BUCKETED_TRIMMED_MEAN,
    P50;

    double of(List<Double> sorted) {
      int n = sorted.size();
      // ranks as the enrichment's DDSketch answers them: the value at rank q·(n−1) is the first
      // whose cumulative count exceeds it, i.e. index floor(q·(n−1))
      double rank = 0.95 * (n - 1);
      return switch (this) {
        case P95 -> HistogramQuantileNoise.p95(sorted, HistogramQuantileNoise.Estimate.EXACT);
        case P50 -> sorted.get((int) Math.floor(0.5 * (n - 1)));
        case MEAN -> sorted.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        case TRIMMED_MEAN -> meanOfFirst(sorted, rank + 1);
        case TRIMMED_MEAN_SLOWEST_OUT ->
            meanOfFirst(sorted, Math.min(rank + 1, Math.max(1, n - 1)));
        case BUCKETED_TRIMMED_MEAN -> TRIMMED_MEAN.of(bucketSpread(sorted));
      };
    }

    /** Mean of the first {@code keep} values, the last one weighted by its fraction. */
    private static double meanOfFirst(List<Double> sorted, double keep) {
      double taken = 0;
      double sum = 0;
      for (int i = 0; i < sorted.size() && taken < keep; i++) {
        double w = Math.min(1, keep - taken);
        taken += w;
        sum += w * sorted.get(i);
      }
      return sum / taken;
    }

    private static List<Double> bucketSpread(List<Double> sorted) {
      double[] bounds = HistogramQuantileNoise.BOUNDS;
      List<Double> spread = new ArrayList<>();
      int i = 0;
      for (int b = 0; b <= bounds.length; b++) {
        double lower = b == 0 ? sorted.get(0) : bounds[b - 1];
        double upper = b < bounds.length ? bounds[b] : sorted.get(sorted.size() - 1);
        int n = 0;
        while (i < sorted.size() && (b == bounds.length || sorted.get(i) <= bounds[b])) {
          i++;
          n++;
        }
        int steps = Math.min(n, 16);
        for (int j = 0; j < steps; j++) {
          int share = n / steps + (j < n % steps ? 1 : 0);
          for (int k = 0; k < share; k++) {
            spread.add(upper > lower ? lower + (j + 0.5) * (upper - lower) / steps : lower);
          }
        }
      }
      return spread;
    }
  }

  /**
   * How one window's scores become the window's score. The first statistic's score counts only in
   * windows of at least {@code minCallsForFirst} calls (its baseline learns from every window).
   */
  record Policy(String name, List<Statistic> statistics, boolean corrected, int minCallsForFirst) {
    Policy(String name, List<Statistic> statistics, boolean corrected) {
      this(name, statistics, corrected, 0);
    }

    double combine(double[] scores) {
      double max = 0;
      for (double s : scores) {
        max = Math.max(max, s);
      }
      return corrected ? Math.pow(max, scores.length) : max;
    }
  }

  /** Runs both simulations and prints one line per policy. */
  public static void main(String[] args) {
    Map<String, String> opts = KeyValueArgs.parse(args);
    int services = Integer.parseInt(opts.getOrDefault("services", "500"));
    double rate = Double.parseDouble(opts.getOrDefault("rate", "100"));
    Duration history = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("history", "130")));
    Duration minutes = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("minutes", "120")));
    Instant start = Instant.parse(opts.getOrDefault("start", "2026-12-05T08:00:00Z"));
    List<Fault> faults = new ArrayList<>();
    for (String flag :
        opts.getOrDefault("faults", "latency:search@30m+20m*10,latency:pricing@70m+20m*10")
            .split(",")) {
      faults.add(Fault.parse(flag));
    }
    // The simulator's noise is log-normal; production latency also has the odd timeout. timeouts=p
    // turns each call into a 30 s one with probability p (the same calls in both runs).
    double timeouts = Double.parseDouble(opts.getOrDefault("timeouts", "0"));
    Map<String, TreeMap<Long, List<Double>>> quiet =
        withTimeouts(
            HistogramQuantileNoise.simulate(services, rate, history, minutes, start, List.of()),
            timeouts);
    Map<String, TreeMap<Long, List<Double>>> faulty =
        withTimeouts(
            HistogramQuantileNoise.simulate(services, rate, history, minutes, start, faults),
            timeouts);
    System.out.printf(
        "%d services, %.0f requests/min, %d + %d min, timeouts %.4f%n",
        services, rate, history.toMinutes(), minutes.toMinutes(), timeouts);
    List<Policy> policies =
        List.of(
            new Policy("p95 (before 12-06)", List.of(Statistic.P95), false),
            new Policy("mean", List.of(Statistic.MEAN), false),
            new Policy("trimmed mean", List.of(Statistic.TRIMMED_MEAN), false),
            new Policy("p50", List.of(Statistic.P50), false),
            new Policy("p95|mean", List.of(Statistic.P95, Statistic.MEAN), false),
            new Policy("p95|mean Šidák", List.of(Statistic.P95, Statistic.MEAN), true),
            new Policy(
                "p95|trimmed (12-06 03:00)", List.of(Statistic.P95, Statistic.TRIMMED_MEAN), false),
            new Policy("p95|trimmed Šidák", List.of(Statistic.P95, Statistic.TRIMMED_MEAN), true),
            new Policy("bucketed trimmed", List.of(Statistic.BUCKETED_TRIMMED_MEAN), false),
            new Policy("trimmed, slowest out", List.of(Statistic.TRIMMED_MEAN_SLOWEST_OUT), false),
            new Policy(
                "p95|trimmed, slowest out",
                List.of(Statistic.P95, Statistic.TRIMMED_MEAN_SLOWEST_OUT),
                false),
            new Policy(
                "p95 from 22 calls|trimmed, slowest out (now)",
                List.of(Statistic.P95, Statistic.TRIMMED_MEAN_SLOWEST_OUT),
                false,
                22));
    long origin = start.plus(history).toEpochMilli();
    for (Policy policy : policies) {
      int falseStarts = 0;
      int[] windows = new int[2];
      for (TreeMap<Long, List<Double>> series : quiet.values()) {
        List<Long> starts = starts(series, policy, windows);
        falseStarts += starts.size();
      }
      StringBuilder found = new StringBuilder();
      for (Fault fault : faults) {
        long at = origin + fault.at().toMillis();
        long end = at + fault.duration().toMillis();
        String delay = "none";
        for (long s : starts(faulty.get(fault.target()), policy, new int[2])) {
          if (s >= at - 60_000 && s < end) {
            delay = "window " + Math.floorDiv(s - at, 60_000);
            break;
          }
        }
        found.append(String.format(" %s %s;", fault.target(), delay));
      }
      System.out.printf(
          "%-38s fault-free: %4d STARTs, %,5d of %,d windows >= 0.99 | faults, START in window"
              + " (0: the injection's):%s%n",
          policy.name(), falseStarts, windows[1], windows[0], found);
    }
  }

  private static Map<String, TreeMap<Long, List<Double>>> withTimeouts(
      Map<String, TreeMap<Long, List<Double>>> durations, double p) {
    if (p > 0) {
      Random random = new Random(7);
      new TreeMap<>(durations)
          .values()
          .forEach(
              series ->
                  series
                      .values()
                      .forEach(
                          calls -> calls.replaceAll(d -> random.nextDouble() < p ? 30_000.0 : d)));
    }
    return durations;
  }

  /** Starts of the windows whose scoring started an episode (the START goes out at its end). */
  private static List<Long> starts(
      TreeMap<Long, List<Double>> series, Policy policy, int[] windows) {
    List<Long> starts = new ArrayList<>();
    if (series == null) {
      return starts;
    }
    SeasonalDetector detector = new SeasonalDetector(DetectorSettings.defaults());
    List<SeasonalState> states = new ArrayList<>();
    for (int i = 0; i < policy.statistics().size(); i++) {
      states.add(detector.newState(60_000, 0.02));
    }
    Episode episode = new Episode();
    for (Map.Entry<Long, List<Double>> minute : series.entrySet()) {
      List<Double> values = minute.getValue();
      if (values.size() < 2 || minute.getKey().equals(series.lastKey())) {
        continue;
      }
      Collections.sort(values);
      double[] scores = new double[states.size()];
      boolean warm = true;
      for (int i = 0; i < scores.length; i++) {
        double value = policy.statistics().get(i).of(values);
        Assessment a = detector.assess(states.get(i), minute.getKey(), Math.log(value), Sense.UP);
        warm &= a != null && a.warm();
        boolean counts = i > 0 || values.size() >= policy.minCallsForFirst();
        scores[i] = a == null || !counts ? 0 : a.score();
      }
      if (!warm) {
        continue;
      }
      double score = policy.combine(scores);
      windows[0]++;
      windows[1] += score >= SETTINGS.threshold() ? 1 : 0;
      if (episode.observe(SETTINGS, score, minute.getKey()) == Episode.Transition.START) {
        starts.add(minute.getKey());
      }
    }
    return starts;
  }
}
