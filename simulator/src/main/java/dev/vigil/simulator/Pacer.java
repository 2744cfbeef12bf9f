package dev.vigil.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Decides when the simulator may generate the next slice once the warm-up is over. The default
 * follows the wall clock ({@link #wallClock}); a test can instead wait for the pipeline to have
 * processed everything sent so far, which makes a run independent of the machine's speed.
 */
@FunctionalInterface
public interface Pacer {
  /**
   * Blocks until the slice starting at {@code t} may be generated.
   *
   * @param t the slice's simulated start, at or after the scenario start
   * @param sinceScenarioStart simulated time elapsed since the scenario started
   */
  void awaitSlice(Instant t, Duration sinceScenarioStart) throws InterruptedException;

  /**
   * {@code speed} simulated seconds per wall-clock second from the first call on; 0 = no pacing.
   * Either way never ahead of the wall clock: a slice starting in the future waits until its start
   * (receivers refuse telemetry from the future, Kafka windows stamped over an hour ahead), so a
   * compressed run that catches up with the present goes on in real time.
   */
  static Pacer wallClock(double speed) {
    long[] anchor = {0};
    return (t, elapsed) -> {
      if (speed > 0) {
        if (anchor[0] == 0) {
          anchor[0] = System.nanoTime() - (long) (elapsed.toNanos() / speed);
        }
        long wait = anchor[0] + (long) (elapsed.toNanos() / speed) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      long ahead = Duration.between(Instant.now(), t).toNanos();
      if (ahead > 0) {
        TimeUnit.NANOSECONDS.sleep(ahead);
      }
    };
  }
}
