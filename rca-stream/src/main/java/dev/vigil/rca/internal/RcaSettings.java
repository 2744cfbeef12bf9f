package dev.vigil.rca.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine needs to know, parsed once from the app's settings.
 *
 * @param window width of the upstream windows (signals, edges), e.g. 1 minute
 * @param correlationWindow anomalies further apart than this never join one incident
 * @param maxHops how far apart in the call graph two anomalous services may be and still be linked
 * @param healthyWindows windows every member must be healthy before an incident resolves
 * @param episodeStale an anomaly episode without any event for this long counts as ended
 * @param edgeTtl an edge without calls for this long leaves the graph
 * @param changeLookback changes this long before a candidate's first anomaly count as evidence
 * @param evaluateInterval stream-time period of re-ranking, merging, resolution and ageing
 * @param evaluateDelay wall-clock time after the first record of an evaluation time T after which T
 *     is evaluated without waiting for a later record; zero disables the wall-clock trigger
 * @param maxRootCauses root causes kept per incident
 * @param generatorUrl template of the alerts' generatorURL ({@code {incident}} is replaced); empty
 *     for none
 */
public record RcaSettings(
    Duration window,
    Duration correlationWindow,
    int maxHops,
    int healthyWindows,
    Duration episodeStale,
    Duration edgeTtl,
    Duration changeLookback,
    Duration evaluateInterval,
    Duration evaluateDelay,
    int maxRootCauses,
    String generatorUrl) {

  /** Checks the settings. */
  public RcaSettings {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(correlationWindow, "correlationWindow");
    Objects.requireNonNull(episodeStale, "episodeStale");
    Objects.requireNonNull(edgeTtl, "edgeTtl");
    Objects.requireNonNull(changeLookback, "changeLookback");
    Objects.requireNonNull(evaluateInterval, "evaluateInterval");
    Objects.requireNonNull(evaluateDelay, "evaluateDelay");
    Objects.requireNonNull(generatorUrl, "generatorUrl");
    positive(window, "window");
    positive(correlationWindow, "correlationWindow");
    positive(episodeStale, "episodeStale");
    positive(edgeTtl, "edgeTtl");
    positive(changeLookback, "changeLookback");
    positive(evaluateInterval, "evaluateInterval");
    if (evaluateDelay.isNegative() || evaluateDelay.compareTo(evaluateInterval) >= 0) {
      throw new IllegalArgumentException(
          "evaluateDelay must be in [0, evaluateInterval "
              + evaluateInterval.toMillis()
              + " ms), got "
              + evaluateDelay.toMillis()
              + " ms");
    }
    if (maxHops < 1 || healthyWindows < 1 || maxRootCauses < 1) {
      throw new IllegalArgumentException(
          "maxHops, healthyWindows and maxRootCauses must be >= 1, got "
              + maxHops
              + ", "
              + healthyWindows
              + ", "
              + maxRootCauses);
    }
  }

  /** The defaults of the app's settings. */
  public static RcaSettings defaults() {
    return new RcaSettings(
        Duration.ofMinutes(1),
        Duration.ofMinutes(10),
        2,
        5,
        Duration.ofMinutes(30),
        Duration.ofMinutes(30),
        Duration.ofMinutes(30),
        Duration.ofMinutes(1),
        Duration.ofSeconds(5),
        5,
        "");
  }

  /** The same settings with another wall-clock evaluation delay (zero: event time only). */
  public RcaSettings withEvaluateDelay(Duration delay) {
    return new RcaSettings(
        window,
        correlationWindow,
        maxHops,
        healthyWindows,
        episodeStale,
        edgeTtl,
        changeLookback,
        evaluateInterval,
        delay,
        maxRootCauses,
        generatorUrl);
  }

  /** How long every member must be healthy before an incident resolves. */
  public long healthyMillis() {
    return window.toMillis() * healthyWindows;
  }

  private static void positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
