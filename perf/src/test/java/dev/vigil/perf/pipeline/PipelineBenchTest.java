package dev.vigil.perf.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.simulator.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchTest {
  private static final List<Fault> DEFAULT_FAULTS =
      List.of(
          Fault.parse("latency:search@90s+150s*10"),
          Fault.parse("errors:fraud@5m+150s*0.5"),
          Fault.parse("latency:pricing@510s+150s*10"));

  @Test
  void extendsAScenarioThatEndsWithItsLastFault() {
    // pricing ends at 11:00, in the minute [10:00, 11:00): that window is emitted once event time
    // passes 11:05, and judged (service health) when the window [11:00, 12:00) arrives after 12:05
    assertThat(PipelineBench.scenarioCovering(Duration.ofMinutes(11), DEFAULT_FAULTS))
        .isEqualTo(Duration.ofMinutes(13));
  }

  @Test
  void roundsAFaultEndingWithinAMinuteUpToThatMinutesEnd() {
    assertThat(
            PipelineBench.scenarioCovering(
                Duration.ofMinutes(3), List.of(Fault.parse("latency:search@90s+150s*10"))))
        .isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void keepsALongerScenario() {
    assertThat(PipelineBench.scenarioCovering(Duration.ofMinutes(20), DEFAULT_FAULTS))
        .isEqualTo(Duration.ofMinutes(20));
    assertThat(PipelineBench.scenarioCovering(Duration.ofMinutes(5), List.of()))
        .isEqualTo(Duration.ofMinutes(5));
  }
}
