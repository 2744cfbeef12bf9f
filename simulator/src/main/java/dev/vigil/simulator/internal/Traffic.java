package dev.vigil.simulator.internal;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * User traffic over the day: a daily cycle (trough at 03:00 UTC at half the mean, peak at 15:00 at
 * 1.5×), a slowly wandering noise of a few percent, and Poisson arrivals on top.
 */
public final class Traffic {
  private static final double AMPLITUDE = 0.5;
  private final double meanPerMinute;
  private double wander;

  /** Traffic averaging {@code meanPerMinute} user requests a minute over a day. */
  public Traffic(double meanPerMinute) {
    if (!(meanPerMinute > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + meanPerMinute);
    }
    this.meanPerMinute = meanPerMinute;
  }

  /** The daily cycle at {@code t}: 0.5 … 1.5, 1 on average. */
  public static double seasonal(Instant t) {
    double hour = t.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() / 3600.0;
    return 1 + AMPLITUDE * Math.sin(2 * Math.PI * (hour - 9) / 24);
  }

  /**
   * Expected requests in {@code seconds} from {@code t}; {@code noise} is a standard normal draw
   * that moves the wander (an AR(1) process with a few minutes' memory).
   */
  public double expected(Instant t, double seconds, double noise) {
    wander = 0.98 * wander + 0.006 * noise;
    return meanPerMinute * seasonal(t) * Math.exp(wander) * seconds / 60.0;
  }
}
