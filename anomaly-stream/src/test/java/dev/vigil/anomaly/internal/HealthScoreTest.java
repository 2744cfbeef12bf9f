package dev.vigil.anomaly.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.anomaly.AnomalySettings;
import dev.vigil.anomaly.detector.Calibration;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

/** How a service's health score combines its signal types' corrected maxima. */
class HealthScoreTest {
  private static final double THRESHOLD = AnomalySettings.defaults().threshold();

  @Test
  void typesThatAgreeAreCombinedByFishersMethod() {
    // Three types (latency, errors, traffic) with one series each; where Fisher's term is the
    // larger.
    int[] one = {1, 1, 1, 0, 0};
    for (double[] max :
        new double[][] {{0.99, 0.99, 0}, {0.999, 0.99, 0.5}, {0.95, 0.95, 0.95}, {0.9, 0.8, 0.7}}) {
      double x = 0;
      for (double m : max) {
        x -= 2 * Math.log(1 - m);
      }
      double chiSquared = new ChiSquaredDistribution(6).cumulativeProbability(x);
      assertThat(
              HealthProcessor.score(new double[] {max[0], max[1], max[2], 0, 0}, one, 0, THRESHOLD))
          .as("health of %s", Arrays.toString(max))
          .isCloseTo(chiSquared, within(1e-12));
    }
  }

  @Test
  void oneClearlyAnomalousTypeIsEnoughAndTwoThatAgreeRaiseIt() {
    int[] series = {20, 1, 1, 0, 0};
    // A series critical on its own (0.99999) keeps its service critical, Šidák-corrected for three
    // types: 0.99999^3.
    assertThat(
            HealthProcessor.score(
                new double[] {Math.pow(0.99999, 1.0 / 20), 0.3, 0, 0, 0}, series, 1, THRESHOLD))
        .isCloseTo(Math.pow(0.99999, 3), within(1e-12))
        .isGreaterThanOrEqualTo(AnomalySettings.CRITICAL_SCORE);
    // Errors and traffic each at 0.998 (below WARNING alone, 0.994 once corrected for three types)
    // are anomalous together.
    double together =
        HealthProcessor.score(new double[] {0, 0.998, 0.998, 0, 0}, series, 0, THRESHOLD);
    assertThat(together).isGreaterThan(Math.pow(0.998, 3)).isGreaterThan(0.999);
    // A type with no series does not count: the same two types alone score higher.
    assertThat(
            HealthProcessor.score(
                new double[] {0, 0.998, 0.998, 0, 0}, new int[] {0, 1, 1, 0, 0}, 0, THRESHOLD))
        .isGreaterThan(together);
    assertThat(HealthProcessor.score(new double[] {1, 0, 0, 0, 0}, series, 1, THRESHOLD))
        .isEqualTo(1);
    assertThat(HealthProcessor.score(new double[5], series, 0, THRESHOLD)).isZero();
  }

  @Test
  void manySeriesOfOneTypeThatAgreeAreAnomalousTogether() {
    int[] series = {20, 1, 1, 0, 0};
    double[] max = {0.999, 0, 0, 0, 0};
    // Every route 0.999: the type's maximum, corrected for 20 series, is only 0.98.
    assertThat(HealthProcessor.score(max, series, 1, THRESHOLD)).isLessThan(THRESHOLD);
    assertThat(HealthProcessor.score(max, series, 20, THRESHOLD))
        .isGreaterThanOrEqualTo(AnomalySettings.CRITICAL_SCORE);
    // Three anomalous series of 22 happen by chance once in ~750 windows (at 1% each): threshold.
    assertThat(HealthProcessor.score(max, series, 3, THRESHOLD))
        .isCloseTo(1 - 0.001336, within(1e-6))
        .isBetween(THRESHOLD, 0.999);
    assertThat(HealthProcessor.binomialBelow(3, 22, 0.01))
        .isCloseTo(new BinomialDistribution(22, 0.01).cumulativeProbability(2), within(1e-14));
  }

  /**
   * Noise alone: each series' score is the calibrated score of a t(4) statistic on its bad side, as
   * the detector's is. A service with 5 latency series, one error and one traffic series should be
   * as often above the threshold and the critical score as one series is. The noisy-OR of the three
   * types' maxima (the health score before 2026-12-06) is computed alongside, to show what the test
   * would catch.
   */
  @Test
  void underNoiseAloneHealthIsAsOftenHighAsOneSeries() {
    Random random = new Random(7);
    int windows = 1_000_000;
    int[] series = {5, 1, 1, 0, 0};
    long[] single = new long[2];
    long[] health = new long[2];
    long[] noisyOr = new long[2];
    double[] max = new double[5];
    for (int w = 0; w < windows; w++) {
      Arrays.fill(max, 0);
      int anomalous = 0;
      for (int type = 0; type < 3; type++) {
        for (int s = 0; s < series[type]; s++) {
          double score = noiseScore(random);
          max[type] = Math.max(max[type], score);
          if (score >= THRESHOLD) {
            anomalous++;
          }
          if (type == 1) {
            count(single, score);
          }
        }
      }
      count(health, HealthProcessor.score(max, series, anomalous, THRESHOLD));
      double healthy = 1;
      for (int type = 0; type < 3; type++) {
        healthy *= 1 - Math.pow(max[type], series[type]);
      }
      count(noisyOr, 1 - healthy);
    }
    System.out.printf(
        "noise, %,d windows: above threshold / critical: one series %d / %d, health %d / %d,"
            + " noisy-OR %d / %d%n",
        windows, single[0], single[1], health[0], health[1], noisyOr[0], noisyOr[1]);
    // One series: 0.5% above 0.99 and 0.005% above 0.9999 (half its scores are 0, on the good
    // side).
    assertThat(single[0]).isBetween(4_500L, 5_500L);
    assertThat(single[1]).isBetween(30L, 75L);
    assertThat(health[0]).as("health above threshold").isLessThanOrEqualTo(single[0] * 3 / 2);
    assertThat(health[1]).as("health critical").isLessThanOrEqualTo(single[1] * 2);
    assertThat(noisyOr[1]).as("the noisy-OR, for contrast").isGreaterThan(single[1] * 10);
  }

  private static void count(long[] counts, double score) {
    if (score >= THRESHOLD) {
      counts[0]++;
    }
    if (score >= AnomalySettings.CRITICAL_SCORE) {
      counts[1]++;
    }
  }

  /** The calibrated score of a t(4) statistic on its bad side: 0 for half of all windows. */
  private static double noiseScore(Random random) {
    double chi = 0;
    for (int i = 0; i < 4; i++) {
      double g = random.nextGaussian();
      chi += g * g;
    }
    return Calibration.score(random.nextGaussian() / Math.sqrt(chi / 4));
  }
}
