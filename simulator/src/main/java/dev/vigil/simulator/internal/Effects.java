package dev.vigil.simulator.internal;

import dev.vigil.simulator.Fault;
import dev.vigil.simulator.FaultKind;
import java.util.List;

/**
 * What the faults active at one moment do to the platform. Faults act on a node's own work; callers
 * feel them through their calls, as in a real platform.
 */
public final class Effects {
  /** No fault. */
  public static final Effects NONE = new Effects(List.of());

  private final List<Fault> active;

  /** The effects of {@code active} faults. */
  public Effects(List<Fault> active) {
    this.active = List.copyOf(active);
  }

  /** The active faults. */
  public List<Fault> active() {
    return active;
  }

  /** Factor on the node's own work time. */
  public double latencyFactor(String node) {
    double factor = 1;
    for (Fault f : active) {
      if (!f.target().equals(node)) {
        continue;
      }
      factor *=
          switch (f.kind()) {
            case LATENCY, CPU -> f.magnitude();
            case BAD_DEPLOY -> 1.5;
            case DATABASE -> 10;
            default -> 1;
          };
    }
    return factor;
  }

  /** Probability that the node's own work fails, given its usual rate. */
  public double errorRate(String node, double usual) {
    double ok = 1 - usual;
    for (Fault f : active) {
      if (f.target().equals(node)
          && (f.kind() == FaultKind.ERRORS
              || f.kind() == FaultKind.BAD_DEPLOY
              || f.kind() == FaultKind.DATABASE)) {
        ok *= 1 - f.magnitude();
      }
    }
    return 1 - ok;
  }

  /**
   * Factor on the duration of calls from {@code caller} to {@code callee} as the caller sees them.
   */
  public double dependencyFactor(String caller, String callee) {
    double factor = 1;
    for (Fault f : active) {
      if (f.kind() == FaultKind.DEPENDENCY_LATENCY
          && f.target().equals(caller)
          && callee.equals(f.dependency())) {
        factor *= f.magnitude();
      }
    }
    return factor;
  }

  /** Whether the node's CPU is saturated by a fault. */
  public boolean cpuSaturated(String node) {
    return active.stream().anyMatch(f -> f.kind() == FaultKind.CPU && f.target().equals(node));
  }

  /** Factor on user traffic. */
  public double traffic() {
    double factor = 1;
    for (Fault f : active) {
      if (f.kind() == FaultKind.SURGE) {
        factor *= f.magnitude();
      }
    }
    return factor;
  }
}
