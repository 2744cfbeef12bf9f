package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import org.junit.jupiter.api.Test;

class EdgeStatsTest {
  private static final long TEN_MINUTES = 600_000;

  @Test
  void scoresLatencyRatiosAndErrorIncreases() {
    EdgeStats edge = warm(10.0, 0);
    EdgeStats slow = edge.next(window(20, 78.0, 0), TEN_MINUTES);
    // (78 + 2) / (10 + 2) = x6.67 -> (r - 1) / (r + 1) = 0.74
    assertThat(slow.peakLatencyRatio()).isCloseTo(6.667, within(0.01));
    assertThat(slow.degradation()).isCloseTo(0.739, within(0.001));

    EdgeStats failing = edge.next(window(20, 10.0, 450), TEN_MINUTES);
    // 45 points more errors: 0.45 / (0.45 + 0.05) = 0.9
    assertThat(failing.degradation()).isCloseTo(0.9, within(0.001));
  }

  @Test
  void degradedWindowsBarelyMoveTheBaseline() {
    EdgeStats edge = warm(10.0, 0);
    for (int m = 20; m < 30; m++) {
      edge = edge.next(window(m, 100.0, 0), TEN_MINUTES);
    }
    assertThat(edge.baselineP99()).as("ten degraded minutes").isLessThan(30);
    assertThat(edge.peakBaselineP99()).isCloseTo(10.0, within(0.5));
  }

  @Test
  void remembersThePeakWhileDegradedAndForgetsItAfterwards() {
    EdgeStats edge = warm(10.0, 0).next(window(20, 100.0, 0), TEN_MINUTES);
    edge = edge.next(window(21, 10.0, 0), TEN_MINUTES);
    assertThat(edge.degradation()).as("one healthy minute later").isGreaterThan(0.7);
    for (int m = 22; m <= 32; m++) {
      edge = edge.next(window(m, 10.0, 0), TEN_MINUTES);
    }
    assertThat(edge.degradation()).as("eleven healthy minutes later").isLessThan(0.1);
  }

  @Test
  void ignoresWindowsThatAreNotNewer() {
    EdgeStats edge = warm(10.0, 0);
    assertThat(edge.next(window(5, 500.0, 0), TEN_MINUTES)).isSameAs(edge);
  }

  private static EdgeStats warm(double p99, long errors) {
    EdgeStats edge = EdgeStats.first("a", "b", window(0, p99, errors));
    for (int m = 1; m < 20; m++) {
      edge = edge.next(window(m, p99, errors), TEN_MINUTES);
    }
    return edge;
  }

  static EdgeWindow window(int minute, double p99, long errors) {
    return EdgeWindow.newBuilder()
        .setWindowStart(Scenario.minute(minute))
        .setWindowEnd(Scenario.minute(minute + 1))
        .setServerKind(NodeKind.SERVICE)
        .setCalls(1_000)
        .setErrors(errors)
        .setP99(p99)
        .build();
  }
}
