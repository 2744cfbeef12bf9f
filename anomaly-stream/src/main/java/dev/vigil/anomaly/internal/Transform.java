package dev.vigil.anomaly.internal;

/**
 * A monotonic transform applied to a signal's value before scoring, so the detector's additive,
 * constant-spread model fits: logs for multiplicative signals (latency, traffic), the Anscombe
 * square root for counts (Poisson noise of spread about 1 whatever the rate).
 */
enum Transform {
  IDENTITY {
    @Override
    double forward(double v) {
      return v;
    }

    @Override
    double inverse(double y) {
      return y;
    }
  },
  LOG {
    @Override
    double forward(double v) {
      return Math.log(Math.max(v, 0) + LOG_OFFSET);
    }

    @Override
    double inverse(double y) {
      return Math.max(0, Math.exp(y) - LOG_OFFSET);
    }
  },
  ANSCOMBE {
    @Override
    double forward(double v) {
      return 2 * Math.sqrt(Math.max(v, 0) + 0.375);
    }

    @Override
    double inverse(double y) {
      double half = Math.max(y, 0) / 2;
      return Math.max(0, half * half - 0.375);
    }
  };

  /** Keeps log(0) finite: a thousandth of the unit (1 µs for milliseconds). */
  static final double LOG_OFFSET = 1e-3;

  abstract double forward(double v);

  abstract double inverse(double y);
}
