package dev.vigil.forecast.model;

import java.util.Objects;

/**
 * The embedded forecaster: additive Holt-Winters with a damped trend (ETS(A,Ad,A)), one or two
 * seasonal periods, fitted online in constant memory per series.
 *
 * <ul>
 *   <li><b>Warm-up</b>: the first two longest seasons (two days of 1-minute data; 60 points for a
 *       series without a season) are summed into buckets of {@link Seasonality#slotWidth()} steps.
 *       At the first point after it, {@link ParameterFit} fits α, β, γ and φ on the bucket means
 *       with commons-math3's BOBYQA, and the model starts from its level, trend and seasons.
 *   <li><b>Online</b>: each point updates level, trend and its seasonal slot with the one-step
 *       error (error-correction form), clipped at {@value #CLIP} standard deviations so one outlier
 *       cannot wreck the state. Missing steps advance level and trend without an update.
 *   <li><b>Intervals</b>: the one-step residual variance σ² (an exponential average, seeded from
 *       the warm-up's one-step differences) widened per step with ETS(A,Ad,A)'s analytic variance
 *       {@code σ²(1 + Σ c_j²)}, {@code c_j = α + β Σφ^i + γ[j is a whole season]}; 80% is ±1.28σ.
 *   <li><b>Accuracy</b>: the rolling MASE is the exponential average of the absolute one-step error
 *       over that of the naive forecast (the previous value), both with weight {@value
 *       #ERROR_WEIGHT}: below 1 the model beats carrying the last value forward.
 * </ul>
 *
 * <p>Deterministic and free of the wall clock: the same points in the same order give the same
 * forecasts, in the stream and in {@code vigil replay forecast}.
 */
public final class HoltWinters {
  /** Model name carried by every forecast it makes: {@value}. */
  public static final String ID = "holt-winters";

  /** Standard normal quantile of 0.9: the 80% central interval is ±{@value} σ. */
  public static final double Z80 = 1.2815515655446004;

  static final double CLIP = 4;
  static final double ERROR_WEIGHT = 0.01;
  private static final double VARIANCE_FLOOR_WEIGHT = 0.01;
  private static final long VARIANCE_PRIOR_POINTS = 20;
  private static final int MASE_MIN_POINTS = 30;

  private final Seasonality seasonality;

  /** A model for series of this layout. */
  public HoltWinters(Seasonality seasonality) {
    this.seasonality = Objects.requireNonNull(seasonality, "seasonality");
  }

  /** The layout. */
  public Seasonality seasonality() {
    return seasonality;
  }

  /** A state that has learned nothing. */
  public HoltWintersState newState() {
    return new HoltWintersState(seasonality);
  }

  /**
   * Learns one point.
   *
   * @return false if the point is not after the last one (late or duplicate): ignored
   */
  public boolean update(HoltWintersState s, long t, double y) {
    if (s.lastT != Long.MIN_VALUE && t <= s.lastT) {
      return false;
    }
    long step = seasonality.stepMillis();
    if (!s.ready) {
      long bucket = Math.floorDiv(Math.floorDiv(t, step), (long) seasonality.slotWidth());
      if (s.firstBucket == Long.MIN_VALUE) {
        s.firstBucket = bucket;
      }
      long index = bucket - s.firstBucket;
      if (index < s.bucketSum.length) {
        s.bucketSum[(int) index] += (float) y;
        s.bucketCount[(int) index]++;
        if (s.lastT != Long.MIN_VALUE && t - s.lastT == step) {
          double d = y - s.lastValue;
          s.diffSquares += d * d;
          s.diffCount++;
        }
        s.lastT = t;
        s.lastValue = y;
        s.points++;
        return true;
      }
      finishWarmup(s, t);
    }
    learn(s, t, y);
    return true;
  }

  /**
   * Forecasts {@code horizon} steps after the last point learned.
   *
   * @return the forecast, or null while warming up
   */
  public Prediction forecast(HoltWintersState s, int horizon) {
    if (!s.ready) {
      return null;
    }
    double[] mean = new double[horizon];
    double[] lo = new double[horizon];
    double[] hi = new double[horizon];
    long origin = Math.floorDiv(s.lastT, seasonality.stepMillis());
    double sigma2 = s.variance;
    double phiPower = 1;
    double phiSum = 0;
    double spread = 1;
    int[] periods = seasonality.periods();
    for (int j = 1; j <= horizon; j++) {
      phiPower *= s.phi;
      phiSum += phiPower;
      double m = s.level + phiSum * s.trend;
      for (int i = 0; i < periods.length; i++) {
        m += s.seasons[i][seasonality.slot(i, origin + j)];
      }
      double half = Z80 * Math.sqrt(sigma2 * spread);
      mean[j - 1] = m;
      lo[j - 1] = m - half;
      hi[j - 1] = m + half;
      // Variance of step j+1 adds c_j² (ETS(A,Ad,A), Hyndman et al. 2008, table 6.1).
      double c = s.alpha + s.beta * phiSum;
      for (int period : periods) {
        if (j % period == 0) {
          c += s.gamma;
        }
      }
      spread += c * c;
    }
    return new Prediction(s.lastT, seasonality.stepMillis(), mean, lo, hi, mase(s));
  }

  /** The rolling MASE of a fitted state; NaN before {@value #MASE_MIN_POINTS} scored points. */
  public static double mase(HoltWintersState s) {
    if (!s.ready || s.scored < MASE_MIN_POINTS || !(s.naiveError > 0)) {
      return Double.NaN;
    }
    return s.modelError / s.naiveError;
  }

  /**
   * The step of the series a serialized state belongs to, so the right model can read it.
   *
   * @throws IllegalArgumentException if the bytes are too short to be a state
   */
  public static long stepOf(byte[] bytes) {
    if (bytes.length < 9) {
      throw new IllegalArgumentException("not a Holt-Winters state: " + bytes.length + " bytes");
    }
    return java.nio.ByteBuffer.wrap(bytes, 1, 8).getLong();
  }

  /** The state as bytes, for a changelogged store. */
  public byte[] serialize(HoltWintersState s) {
    return s.toBytes();
  }

  /**
   * A state from {@link #serialize}.
   *
   * @throws IllegalArgumentException if the bytes are not a state of this model's layout
   */
  public HoltWintersState deserialize(byte[] bytes) {
    return HoltWintersState.fromBytes(bytes, seasonality);
  }

  private void finishWarmup(HoltWintersState s, long t) {
    int buckets = s.bucketSum.length;
    int width = seasonality.slotWidth();
    double[] z = new double[buckets];
    for (int j = 0; j < buckets; j++) {
      z[j] = s.bucketCount[j] == 0 ? Double.NaN : (double) s.bucketSum[j] / s.bucketCount[j];
    }
    int[] periods = seasonality.periods();
    int[][] slotOf = new int[periods.length][buckets];
    int[] slots = new int[periods.length];
    for (int i = 0; i < periods.length; i++) {
      slots[i] = seasonality.slots(i);
      for (int j = 0; j < buckets; j++) {
        slotOf[i][j] = seasonality.slot(i, (s.firstBucket + j) * width);
      }
    }
    ParameterFit.Result fit = new ParameterFit(z, slotOf, slots).fit();
    double[] p = fit.params();
    // The fit is per bucket of `width` steps; per step, the same forgetting per unit of time.
    s.alpha = 1 - Math.pow(1 - p[0], 1.0 / width);
    s.beta = p[1] / ((double) width * width);
    s.gamma = 1 - Math.pow(1 - p[2], 1.0 / width);
    s.phi = Math.pow(p[3], 1.0 / width);
    s.level = fit.level();
    s.trend = fit.trend() / width;
    s.seasons = new float[periods.length][];
    for (int i = 0; i < periods.length; i++) {
      s.seasons[i] = new float[slots[i]];
      for (int k = 0; k < slots[i]; k++) {
        s.seasons[i][k] = (float) fit.seasons()[i][k];
      }
    }
    double variance;
    if (s.diffCount > 0) {
      variance = s.diffSquares / s.diffCount / 2;
    } else {
      double mse = fit.meanSquaredError();
      variance = Double.isFinite(mse) ? mse * width : 0;
    }
    s.variance = variance;
    s.modelError = Math.sqrt(variance) * Math.sqrt(2 / Math.PI);
    s.naiveError =
        s.diffCount > 0 ? Math.sqrt(s.diffSquares / s.diffCount) * Math.sqrt(2 / Math.PI) : 0;
    s.scored = 0;
    s.trainedAt = t;
    s.ready = true;
    s.bucketSum = null;
    s.bucketCount = null;
    // The model now stands at the last step of the window; the point at t continues from there.
    s.lastT = ((s.firstBucket + buckets) * width - 1) * seasonality.stepMillis();
    s.lastValue = Double.NaN;
  }

  private void learn(HoltWintersState s, long t, double y) {
    long step = seasonality.stepMillis();
    long gap = Math.max(1, (t - s.lastT) / step);
    long stepIndex = Math.floorDiv(t, step);
    double phiGap = Math.pow(s.phi, gap);
    double trendSum = s.phi == 1 ? gap : s.phi * (1 - phiGap) / (1 - s.phi);
    double levelPrior = s.level + trendSum * s.trend;
    double trendPrior = phiGap * s.trend;
    int[] periods = seasonality.periods();
    double seasonal = 0;
    for (int i = 0; i < periods.length; i++) {
      seasonal += s.seasons[i][seasonality.slot(i, stepIndex)];
    }
    double e = y - levelPrior - seasonal;
    double sigma = Math.sqrt(s.variance);
    double clipped = sigma > 0 ? Math.max(-CLIP * sigma, Math.min(CLIP * sigma, e)) : e;
    s.level = levelPrior + s.alpha * clipped;
    s.trend = trendPrior + s.beta * clipped;
    // With two seasons each takes its share of the error, so together they learn at rate γ.
    double seasonalGain = periods.length == 0 ? 0 : s.gamma / periods.length;
    for (int i = 0; i < periods.length; i++) {
      int slot = seasonality.slot(i, stepIndex);
      s.seasons[i][slot] = (float) (s.seasons[i][slot] + seasonalGain * clipped);
    }
    if (gap == 1) {
      // Squared errors winsorised like the updates: one outlier must not blow up the intervals.
      double w = Math.max(VARIANCE_FLOOR_WEIGHT, 1.0 / (VARIANCE_PRIOR_POINTS + s.scored + 1));
      s.variance = (1 - w) * s.variance + w * clipped * clipped;
      s.modelError = (1 - ERROR_WEIGHT) * s.modelError + ERROR_WEIGHT * Math.abs(e);
      if (!Double.isNaN(s.lastValue)) {
        double naive = Math.abs(y - s.lastValue);
        s.naiveError = (1 - ERROR_WEIGHT) * s.naiveError + ERROR_WEIGHT * naive;
        s.scored++;
      }
    }
    s.lastT = t;
    s.lastValue = y;
    s.points++;
  }
}
