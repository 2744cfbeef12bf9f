package dev.vigil.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One injected fault on the scenario's timeline.
 *
 * @param kind what happens
 * @param target the faulted node (a service; a database or cache for {@link FaultKind#DATABASE};
 *     the entry service for {@link FaultKind#SURGE})
 * @param dependency for {@link FaultKind#DEPENDENCY_LATENCY}: the callee whose calls slow down;
 *     else null
 * @param at start, from the beginning of the scenario (after warm-up)
 * @param duration how long it lasts
 * @param magnitude strength, see {@link FaultKind}
 */
public record Fault(
    FaultKind kind,
    String target,
    String dependency,
    Duration at,
    Duration duration,
    double magnitude) {

  private static final Pattern FLAG =
      Pattern.compile(
          "(?<kind>[a-zA-Z_-]+):(?<target>[^@>]+?)(?:->(?<dep>[^@]+))?@(?<at>[^+]+)\\+(?<dur>[^*]+)"
              + "(?:\\*(?<mag>[0-9.]+))?");

  /** Validates. */
  public Fault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(duration, "duration");
    if (at.isNegative()) {
      throw new IllegalArgumentException(
          "fault " + kind.label() + " on " + target + ": negative at");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "fault " + kind.label() + " on " + target + ": duration must be positive");
    }
    if ((kind == FaultKind.DEPENDENCY_LATENCY) != (dependency != null)) {
      throw new IllegalArgumentException(
          "fault "
              + kind.label()
              + " on "
              + target
              + ": a dependency is required for"
              + " dependency-latency and only there");
    }
    if (!(magnitude > 0)) {
      throw new IllegalArgumentException(
          "fault " + kind.label() + " on " + target + ": magnitude must be positive");
    }
    boolean probability =
        kind == FaultKind.ERRORS || kind == FaultKind.BAD_DEPLOY || kind == FaultKind.DATABASE;
    if (probability && magnitude > 1) {
      throw new IllegalArgumentException(
          "fault " + kind.label() + " on " + target + ": magnitude is a probability, at most 1");
    }
  }

  /**
   * Parses the {@code --fault} flag: {@code KIND:TARGET[->DEPENDENCY]@AT+DURATION[*MAGNITUDE]},
   * e.g. {@code latency:payment@30m+10m}, {@code dependency-latency:checkout->payment@1h+5m*8},
   * {@code database:postgresql:orders@45m+5m*0.8}.
   */
  public static Fault parse(String flag) {
    Matcher m = FLAG.matcher(flag.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "fault '"
              + flag
              + "' is not KIND:TARGET[->DEPENDENCY]@AT+DURATION[*MAGNITUDE]"
              + " (e.g. latency:payment@30m+10m)");
    }
    FaultKind kind = FaultKind.parse(m.group("kind"));
    String mag = m.group("mag");
    return new Fault(
        kind,
        m.group("target").trim(),
        m.group("dep") == null ? null : m.group("dep").trim(),
        Durations.parse(m.group("at")),
        Durations.parse(m.group("dur")),
        mag == null ? kind.defaultMagnitude() : Double.parseDouble(mag));
  }

  /** The end, from the beginning of the scenario. */
  public Duration end() {
    return at.plus(duration);
  }

  /** Whether the fault is active at {@code offset} from the beginning of the scenario. */
  public boolean activeAt(Duration offset) {
    return offset.compareTo(at) >= 0 && offset.compareTo(end()) < 0;
  }

  /** The node that a correct root-cause analysis blames. */
  public String rootCause() {
    return target;
  }

  @Override
  public String toString() {
    return kind.label()
        + ":"
        + target
        + (dependency == null ? "" : "->" + dependency)
        + "@"
        + Durations.format(at)
        + "+"
        + Durations.format(duration)
        + "*"
        + magnitude;
  }
}
