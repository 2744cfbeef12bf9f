package dev.vigil.simulator.internal;

import dev.vigil.simulator.Platform;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What each service served in the current minute (for its RED metrics), and how busy it is: a
 * service is provisioned for 4× its mean load, so it runs at 12–38% over the day and its latency
 * grows as a queue's, {@code (1 − ρ₀)/(1 − ρ)}, when a surge pushes it towards saturation.
 */
public final class ServiceStats {
  /** Histogram bucket bounds of request durations, ms. */
  static final double[] BOUNDS = {
    5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000
  };

  private static final double HEADROOM = 4;
  private static final double RHO0 = 0.25;

  private final Platform platform;
  private final Map<String, Minute> minute = new HashMap<>();
  private double seasonal = 1;

  /** Stats of {@code platform}'s services. */
  public ServiceStats(Platform platform) {
    this.platform = platform;
  }

  /** Simulated time moved to {@code t}. */
  public void at(Instant t) {
    seasonal = Traffic.seasonal(t);
  }

  /** The utilization of {@code service}'s capacity now, given the active faults. */
  public double utilization(String service, Effects effects) {
    if (!platform.node(service).isService()) {
      return 0;
    }
    return Math.min(0.95, seasonal * effects.traffic() / HEADROOM);
  }

  /** Factor on the service's own work time from queueing at its current utilization. */
  public double queueing(String service, Effects effects) {
    if (!platform.node(service).isService()) {
      return 1;
    }
    return (1 - RHO0) / (1 - utilization(service, effects));
  }

  /** A request served by {@code service}. */
  public void served(String service, double durationMs, boolean failed) {
    minute.computeIfAbsent(service, s -> new Minute()).add(durationMs, failed);
  }

  /** The minute's figures, and a fresh minute. */
  public Map<String, Minute> drain() {
    Map<String, Minute> done = new HashMap<>(minute);
    minute.clear();
    return done;
  }

  /** One service's requests in one minute. */
  public static final class Minute {
    long count;
    long errors;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    final long[] buckets = new long[BOUNDS.length + 1];

    void add(double ms, boolean failed) {
      count++;
      errors += failed ? 1 : 0;
      sum += ms;
      min = Math.min(min, ms);
      max = Math.max(max, ms);
      int i = 0;
      while (i < BOUNDS.length && ms > BOUNDS[i]) {
        i++;
      }
      buckets[i]++;
    }

    /** Requests served. */
    public long count() {
      return count;
    }

    /** Requests failed. */
    public long errors() {
      return errors;
    }
  }
}
