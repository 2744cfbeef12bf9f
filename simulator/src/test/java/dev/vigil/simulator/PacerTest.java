package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PacerTest {
  @Test
  void aSliceInTheFutureWaitsForTheWallClockWhateverTheSpeed() throws Exception {
    for (double speed : new double[] {0, 1_000}) {
      Instant start = Instant.now().plusMillis(300);
      Pacer.wallClock(speed).awaitSlice(start, Duration.ZERO);
      assertThat(Instant.now()).as("speed %s", speed).isAfterOrEqualTo(start);
    }
  }
}
