package dev.vigil.forecast.model;

import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Fits the smoothing parameters of additive Holt-Winters on a warm-up window of bucket means: the
 * first season initialises level, trend and seasons; the parameters minimise the one-step squared
 * error over the second, found with commons-math3's BOBYQA (bounded, derivative-free). The best
 * point evaluated is kept, so a fit that runs out of evaluations still returns its best.
 *
 * <p>Parameters (per bucket): α in [0.01, 0.95], β in [0, 0.2], γ in [0, 0.5], damping φ in [0.8,
 * 1]. With fewer than a quarter of the second half's buckets present, the defaults are kept.
 */
final class ParameterFit {
  static final double[] DEFAULTS = {0.2, 0.01, 0.1, 0.98};
  private static final double[] LOWER = {0.01, 0.0, 0.0, 0.8};
  private static final double[] UPPER = {0.95, 0.2, 0.5, 1.0};
  private static final int MAX_EVALUATIONS = 400;

  private final double[] z;
  private final int[][] slotOf;
  private final int[] slots;
  private final int half;

  /**
   * A fit over bucket means.
   *
   * @param z bucket means, NaN where a bucket saw no data; its length is even
   * @param slotOf for each seasonal period, the slot of each bucket
   * @param slots slots of each seasonal period
   */
  ParameterFit(double[] z, int[][] slotOf, int[] slots) {
    this.z = z;
    this.slotOf = slotOf;
    this.slots = slots;
    this.half = z.length / 2;
  }

  /** Fits and returns the model at the end of the window. */
  Result fit() {
    int present = 0;
    for (int j = half; j < z.length; j++) {
      present += Double.isNaN(z[j]) ? 0 : 1;
    }
    boolean seasonal = slots.length > 0;
    if (present < Math.max(2, half / 4)) {
      return run(DEFAULTS);
    }
    int dims = seasonal ? 4 : 3;
    double[] best = DEFAULTS.clone();
    double[] bestError = {run(DEFAULTS).meanSquaredError};
    ObjectiveFunction objective =
        new ObjectiveFunction(
            x -> {
              double[] params = expand(x, seasonal);
              double error = run(params).meanSquaredError;
              if (error < bestError[0]) {
                bestError[0] = error;
                System.arraycopy(params, 0, best, 0, best.length);
              }
              return Double.isFinite(error) ? error : Double.MAX_VALUE;
            });
    try {
      new BOBYQAOptimizer(2 * dims + 1, 0.03, 1e-4)
          .optimize(
              new MaxEval(MAX_EVALUATIONS),
              objective,
              GoalType.MINIMIZE,
              new InitialGuess(shrink(DEFAULTS, seasonal)),
              new SimpleBounds(shrink(LOWER, seasonal), shrink(UPPER, seasonal)));
    } catch (MathIllegalStateException e) {
      // Out of evaluations or a degenerate window: the best point seen so far stands.
    }
    return run(best);
  }

  private static double[] expand(double[] x, boolean seasonal) {
    return seasonal ? x.clone() : new double[] {x[0], x[1], 0, x[2]};
  }

  private static double[] shrink(double[] p, boolean seasonal) {
    return seasonal ? p.clone() : new double[] {p[0], p[1], p[3]};
  }

  /** Runs the recursion with {@code params} = α, β, γ, φ over the window. */
  Result run(double[] params) {
    double alpha = params[0];
    double beta = params[1];
    double gamma = params[2];
    double phi = params[3];
    double first = mean(0, half);
    double second = mean(half, z.length);
    double trend = Double.isNaN(first) || Double.isNaN(second) ? 0 : (second - first) / half;
    double centre = Double.isNaN(first) ? (Double.isNaN(second) ? 0 : second) : first;
    double level = centre - trend * (half + 1) / 2.0;
    double[][] seasons = initialSeasons(centre, trend);
    double sse = 0;
    int n = 0;
    for (int j = 0; j < z.length; j++) {
      double levelPrior = level + phi * trend;
      double trendPrior = phi * trend;
      double seasonal = 0;
      for (int i = 0; i < seasons.length; i++) {
        seasonal += seasons[i][slotOf[i][j]];
      }
      level = levelPrior;
      trend = trendPrior;
      if (Double.isNaN(z[j])) {
        continue;
      }
      double e = z[j] - levelPrior - seasonal;
      if (j >= half) {
        sse += e * e;
        n++;
      }
      level += alpha * e;
      trend += beta * e;
      for (int i = 0; i < seasons.length; i++) {
        seasons[i][slotOf[i][j]] += gamma / seasons.length * e;
      }
    }
    return new Result(params, level, trend, seasons, n == 0 ? Double.NaN : sse / n);
  }

  private double[][] initialSeasons(double centre, double trend) {
    double[][] seasons = new double[slots.length][];
    // Seasons start from the whole window (two of the longest season): each slot of the longest
    // season then averages two observations instead of one.
    double[] deviation = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      deviation[j] = z[j] - (centre + trend * (j - (half - 1) / 2.0));
    }
    for (int i = 0; i < slots.length; i++) {
      double[] sum = new double[slots[i]];
      int[] count = new int[slots[i]];
      for (int j = 0; j < z.length; j++) {
        if (!Double.isNaN(deviation[j])) {
          double d = deviation[j];
          for (int shorter = 0; shorter < i; shorter++) {
            d -= seasons[shorter][slotOf[shorter][j]];
          }
          sum[slotOf[i][j]] += d;
          count[slotOf[i][j]]++;
        }
      }
      seasons[i] = new double[slots[i]];
      for (int s = 0; s < slots[i]; s++) {
        seasons[i][s] = count[s] == 0 ? 0 : sum[s] / count[s];
      }
    }
    return seasons;
  }

  private double mean(int from, int to) {
    double sum = 0;
    int n = 0;
    for (int j = from; j < to; j++) {
      if (!Double.isNaN(z[j])) {
        sum += z[j];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * A fitted model at the end of the window, per bucket.
   *
   * @param params α, β, γ, φ
   * @param level level after the last bucket
   * @param trend trend after the last bucket
   * @param seasons seasonal slots per period
   * @param meanSquaredError one-step mean squared error over the second half; NaN if none
   */
  record Result(
      double[] params, double level, double trend, double[][] seasons, double meanSquaredError) {}
}
