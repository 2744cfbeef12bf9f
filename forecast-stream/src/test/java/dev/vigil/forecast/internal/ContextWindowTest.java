package dev.vigil.forecast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.forecast.sagemaker.SeriesContext;
import org.junit.jupiter.api.Test;

class ContextWindowTest {
  private static final long STEP = 60_000L;

  @Test
  void keepsTheLastPointsWithMissingStepsAsNaN() {
    ContextWindow w = new ContextWindow(STEP, 4);
    w.add(0, 1);
    w.add(STEP, 2);
    w.add(3 * STEP, 4);
    w.add(3 * STEP, 99);
    SeriesContext c = w.context();
    assertThat(c.start()).isZero();
    assertThat(c.target()).containsExactly(1, 2, Double.NaN, 4);
    assertThat(c.origin()).isEqualTo(3 * STEP);

    w.add(4 * STEP, 5);
    w.add(5 * STEP, 6);
    assertThat(w.context().target())
        .as("bounded: the oldest leave")
        .containsExactly(Double.NaN, 4, 5, 6);
    assertThat(w.context().start()).isEqualTo(2 * STEP);
  }

  @Test
  void roundTripsAndStartsEmptyForAnotherLayout() {
    ContextWindow w = new ContextWindow(STEP, 3);
    w.add(0, 1);
    w.add(STEP, 2);
    byte[] bytes = w.toBytes();
    assertThat(bytes).hasSize(21 + 4 * 3);
    assertThat(ContextWindow.fromBytes(bytes, STEP, 3).context().target()).containsExactly(1, 2);
    assertThat(ContextWindow.fromBytes(bytes, STEP, 5).context()).isNull();
    assertThat(ContextWindow.fromBytes(bytes, 2 * STEP, 3).context()).isNull();
  }
}
