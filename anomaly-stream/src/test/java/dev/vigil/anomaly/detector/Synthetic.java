package dev.vigil.anomaly.detector;

import java.util.Random;

/** Synthetic production-like series: a daily cycle plus Gaussian noise, on a fixed step. */
final class Synthetic {
  /** Midnight UTC, a Monday: 2026-11-23. */
  static final long T0 = 1_795_392_000_000L;

  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;

  private final Random random;
  private final double base;
  private final double amplitude;
  private final double noise;

  Synthetic(long seed, double base, double amplitude, double noise) {
    this.random = new Random(seed);
    this.base = base;
    this.amplitude = amplitude;
    this.noise = noise;
  }

  /** The value at a time: base + amplitude * daily sine (peak at 06:00) + noise. */
  double at(long t) {
    double hourOfDay = Math.floorMod(t, 24 * HOUR) / (double) HOUR;
    return base
        + amplitude * Math.sin(2 * Math.PI * hourOfDay / 24)
        + noise * random.nextGaussian();
  }

  /** The noise-free value at a time. */
  double mean(long t) {
    double hourOfDay = Math.floorMod(t, 24 * HOUR) / (double) HOUR;
    return base + amplitude * Math.sin(2 * Math.PI * hourOfDay / 24);
  }
}
