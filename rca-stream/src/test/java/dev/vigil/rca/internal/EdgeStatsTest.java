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

  @Test
  void aRevisionReplacesTheLatestWindowAndTheBaselineTakesItOnce() {
    EdgeStats before = warm(10.0, 0);
    EdgeWindow early = window(20, 40.0, 100);
    EdgeWindow revision = revision(window(20, 80.0, 300));

    EdgeStats revised = before.next(early, TEN_MINUTES).next(revision, TEN_MINUTES);
    EdgeStats finalOnly = before.next(window(20, 80.0, 300), TEN_MINUTES);

    assertThat(revised)
        .as("first emission then revision = the final window alone, baseline updated once")
        .isEqualTo(finalOnly);
    assertThat(revised.windows()).isEqualTo(21);
    assertThat(revised.p99()).isEqualTo(80.0);
    assertThat(revised.errors()).isEqualTo(300);
    // The next window is folded in against the revised state, as if the early one never was.
    assertThat(revised.next(window(21, 10.0, 0), TEN_MINUTES))
        .isEqualTo(finalOnly.next(window(21, 10.0, 0), TEN_MINUTES));
  }

  @Test
  void aRevisionOfAnEdgesOnlyWindowIsItsFirstWindow() {
    EdgeStats first = EdgeStats.first("a", "b", window(0, 10.0, 0));
    EdgeWindow revision = revision(window(0, 30.0, 5));
    assertThat(first.replaces(revision)).isTrue();
    assertThat(first.next(revision, TEN_MINUTES))
        .isEqualTo(EdgeStats.first("a", "b", window(0, 30.0, 5)));
  }

  @Test
  void ignoresARevisionOfAnOlderWindowOrOfAStateWithoutItsPrevious() {
    EdgeStats edge = warm(10.0, 0);
    EdgeWindow older = revision(window(5, 500.0, 0));
    assertThat(edge.replaces(older)).isFalse();
    assertThat(edge.next(older, TEN_MINUTES)).isSameAs(edge);
    assertThat(edge.next(window(19, 500.0, 0), TEN_MINUTES))
        .as("not a revision: a late duplicate of the latest window")
        .isSameAs(edge);
    EdgeStats stored = StateCodec.read(withoutPrevious(edge), EdgeStats.class);
    assertThat(stored.previous()).isNull();
    assertThat(stored.replaces(revision(window(19, 500.0, 0))))
        .as("stored before revisions existed: nothing to replace against")
        .isFalse();
  }

  @Test
  void theStoredStateKeepsThePreviousEdgeForARevisionAfterARestart() {
    EdgeStats edge = warm(10.0, 0).next(window(20, 40.0, 0), TEN_MINUTES);
    EdgeStats restored = StateCodec.read(StateCodec.write(edge), EdgeStats.class);
    assertThat(restored).isEqualTo(edge);
    EdgeWindow revision = revision(window(20, 90.0, 0));
    assertThat(restored.next(revision, TEN_MINUTES)).isEqualTo(edge.next(revision, TEN_MINUTES));
  }

  /** The JSON of an edge as a version before revisions stored it: no previous. */
  private static byte[] withoutPrevious(EdgeStats edge) {
    String json = new String(StateCodec.write(edge), java.nio.charset.StandardCharsets.UTF_8);
    int at = json.indexOf(",\"previous\":");
    assertThat(at).isPositive();
    return (json.substring(0, at) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static EdgeWindow revision(EdgeWindow w) {
    w.setRevision(1);
    return w;
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
