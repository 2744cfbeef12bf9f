package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** The trimmed mean: what it keeps and leaves out, and where it has nothing to say. */
class AggregateTest {
  private static final double ACCURACY = 0.01;

  @Test
  void trimmedMeanLeavesOutTheSlowestFivePercentAndNotMore() {
    Aggregate a = new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY);
    // 100 calls: 1..95 ms and five 30 s timeouts. The mean is 1,545.6 ms; ranks 0..94.05 (p95's
    // rank 0.95·99) hold 1..95 and 0.05 of a timeout: (4,560 + 0.05·30,000) / 95.05 = 63.8 ms.
    for (int ms = 1; ms <= 95; ms++) {
      a.addCall(ms, false);
    }
    for (int i = 0; i < 5; i++) {
      a.addCall(30_000, false);
    }
    assertThat(a.sum() / a.count()).isCloseTo(1_545.6, withinPercentage(0.01));
    assertThat(a.trimmedMean(0.95)).isCloseTo(63.8, withinPercentage(2));
  }

  @Test
  void trimmedMeanOfFewCallsLeavesOutTheSlowestOne() {
    Aggregate a = new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY);
    // ten calls of 10..19 ms and one 30 s timeout: the p95's rank 0.95·10 = 9.5 lies between the
    // slowest normal call and the timeout, so the p95 is 19 ms but the mean of ranks 0..9.5 would
    // be (145 + 0.5·30,000) / 10.5 = 1,442 ms. Without the slowest call: 145 / 10 = 14.5 ms.
    for (int ms = 10; ms < 20; ms++) {
      a.addCall(ms, false);
    }
    a.addCall(30_000, false);
    assertThat(a.quantile(0.95)).isCloseTo(19.0, withinPercentage(2));
    assertThat(a.trimmedMean(0.95)).isCloseTo(14.5, withinPercentage(2));
  }

  @Test
  void trimmedMeanOfOneCallIsThatCall() {
    Aggregate a = new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY);
    a.addCall(42, false);
    assertThat(a.trimmedMean(0.95)).isCloseTo(42.0, withinPercentage(1));
  }

  @Test
  void aShiftOfTheWholeBodyMovesTheTrimmedMeanByTheSameFactor() {
    Aggregate before = new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY);
    Aggregate after = new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY);
    for (int ms = 10; ms < 60; ms++) {
      before.addCall(ms, false);
      after.addCall(1.4 * ms, false);
    }
    assertThat(after.trimmedMean(0.95) / before.trimmedMean(0.95))
        .isCloseTo(1.4, withinPercentage(2));
  }

  @Test
  void explicitHistogramBucketsGiveNoTrimmedMeanAlsoAfterARestore() {
    Aggregate a = new Aggregate(Aggregate.Kind.HISTOGRAM, "ms", ACCURACY);
    a.addDistribution(20, 900, 20, 80);
    a.addSpread(20, 50, 10);
    a.addSpread(50, 80, 10);
    assertThat(a.quantile(0.95)).as("the quantile stays").isBetween(50.0, 80.0);
    assertThat(a.trimmedMean(0.95)).isNaN();
    assertThat(Aggregate.decode(a.encode(), ACCURACY).trimmedMean(0.95)).isNaN();
    Aggregate spans = new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY);
    spans.addCall(40, false);
    assertThat(Aggregate.decode(spans.encode(), ACCURACY).trimmedMean(0.95))
        .isCloseTo(40.0, withinPercentage(2));
  }

  @Test
  void nothingToSayWithoutASketch() {
    Aggregate summary = new Aggregate(Aggregate.Kind.SUMMARY, "ms", ACCURACY);
    summary.addDistribution(10, 100, 1, 30);
    summary.setQuantiles(new double[] {8, 15, 20, 28}, 1);
    assertThat(summary.trimmedMean(0.95)).isNaN();
    assertThat(new Aggregate(Aggregate.Kind.SPAN, "ms", ACCURACY).trimmedMean(0.95)).isNaN();
  }
}
