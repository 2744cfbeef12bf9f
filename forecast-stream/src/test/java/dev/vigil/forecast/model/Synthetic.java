package dev.vigil.forecast.model;

import java.util.Random;

/** Synthetic seasonal series with known structure, for accuracy tests. */
final class Synthetic {
  static final long T0 = 1_795_000_000_000L - Math.floorMod(1_795_000_000_000L, 604_800_000L);

  private Synthetic() {}

  /** Minutely: 100 + 30·sin(day) + N(0, 4). */
  static double[] minutelyDaily(int days, long seed) {
    Random r = new Random(seed);
    double[] y = new double[days * 1440];
    for (int t = 0; t < y.length; t++) {
      y[t] = 100 + 30 * Math.sin(2 * Math.PI * t / 1440) + 4 * r.nextGaussian();
    }
    return y;
  }

  /** Minutely disk usage: 40% + 0.004 points/min + a 5-point daily cycle + N(0, 0.5). */
  static double[] minutelyTrend(int days, long seed) {
    Random r = new Random(seed);
    double[] y = new double[days * 1440];
    for (int t = 0; t < y.length; t++) {
      y[t] = 40 + 0.004 * t + 5 * Math.sin(2 * Math.PI * t / 1440) + 0.5 * r.nextGaussian();
    }
    return y;
  }

  /** Hourly: 500 + 200·daily + 80 lower on weekends + N(0, 20). */
  static double[] hourlyDailyWeekly(int weeks, long seed) {
    Random r = new Random(seed);
    double[] y = new double[weeks * 168];
    for (int t = 0; t < y.length; t++) {
      int hourOfWeek = t % 168;
      double weekend = hourOfWeek >= 120 ? -80 : 0;
      y[t] = 500 + 200 * Math.sin(2 * Math.PI * t / 24) + weekend + 20 * r.nextGaussian();
    }
    return y;
  }
}
