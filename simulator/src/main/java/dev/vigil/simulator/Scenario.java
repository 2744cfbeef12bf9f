package dev.vigil.simulator;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A timeline of faults after the warm-up.
 *
 * @param name shown in the live view and summary
 * @param duration how long the scenario runs after warm-up; empty = until stopped
 * @param faults the faults, each with its start and duration from the beginning of the scenario
 */
public record Scenario(String name, Optional<Duration> duration, List<Fault> faults) {
  /** Validates and sorts the faults by start. */
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(duration, "duration");
    faults = faults.stream().sorted(Comparator.comparing(Fault::at)).toList();
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      throw new IllegalArgumentException("scenario " + name + ": duration must be positive");
    }
  }

  /** No faults, runs until stopped. */
  public static Scenario steady() {
    return new Scenario("steady", Optional.empty(), List.of());
  }

  /** Checks that every fault names a node of {@code platform} of the right kind. */
  public void validateAgainst(Platform platform) {
    for (Fault fault : faults) {
      if (!platform.has(fault.target())) {
        throw new IllegalArgumentException(
            "fault " + fault + ": no node '" + fault.target() + "' in the platform");
      }
      Node target = platform.node(fault.target());
      boolean wantsService = fault.kind() != FaultKind.DATABASE;
      if (wantsService != target.isService()) {
        throw new IllegalArgumentException(
            "fault "
                + fault
                + ": "
                + fault.target()
                + (wantsService ? " is not a service" : " is not a database or cache"));
      }
      if (fault.kind() == FaultKind.SURGE && !fault.target().equals(platform.entry())) {
        throw new IllegalArgumentException(
            "fault " + fault + ": a surge arrives at the entry service " + platform.entry());
      }
      if (fault.dependency() != null
          && target.calls().stream().noneMatch(c -> c.target().equals(fault.dependency()))) {
        throw new IllegalArgumentException(
            "fault " + fault + ": " + fault.target() + " does not call " + fault.dependency());
      }
    }
  }

  /** When the scenario ends: its duration, else 15 minutes after the last fault, else never. */
  public Optional<Duration> end() {
    if (duration.isPresent()) {
      return duration;
    }
    return faults.stream()
        .map(Fault::end)
        .max(Comparator.naturalOrder())
        .map(d -> d.plus(Duration.ofMinutes(15)));
  }
}
