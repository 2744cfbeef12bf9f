package dev.vigil.simulator;

import java.util.Locale;

/** What a fault does; each kind has a default magnitude. */
public enum FaultKind {
  /** The target's own work is slower: latency × magnitude (default 5). */
  LATENCY(5),
  /** Calls from the target to its {@code dependency} are slower (network, sidecar): × magnitude. */
  DEPENDENCY_LATENCY(5),
  /** The target fails a share of its requests: error probability = magnitude (default 0.3). */
  ERRORS(0.3),
  /** The target's CPU saturates (utilization ~97%), its work slows by × magnitude (default 4). */
  CPU(4),
  /**
   * A new version of the target is deployed (a DEPLOY change event) and fails a share of its
   * requests (magnitude, default 0.25) and runs 1.5× slower until the fault ends (a ROLLBACK).
   */
  BAD_DEPLOY(0.25),
  /**
   * A database (or cache) fails: its calls fail with probability magnitude (default 0.5) and the
   * others take 10× longer.
   */
  DATABASE(0.5),
  /** User traffic at the entry × magnitude (default 3); busy services queue and slow down. */
  SURGE(3);

  private final double defaultMagnitude;

  FaultKind(double defaultMagnitude) {
    this.defaultMagnitude = defaultMagnitude;
  }

  /** The magnitude used when a fault does not give one. */
  public double defaultMagnitude() {
    return defaultMagnitude;
  }

  /** Parses {@code latency}, {@code bad-deploy}, {@code BAD_DEPLOY}… (case and dashes ignored). */
  public static FaultKind parse(String text) {
    String normal = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return valueOf(normal);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown fault kind '" + text + "'; one of " + names(), e);
    }
  }

  /** The kinds as written in scenario files. */
  public static String names() {
    StringBuilder sb = new StringBuilder();
    for (FaultKind kind : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(kind.label());
    }
    return sb.toString();
  }

  /** The kind as written in scenario files, e.g. {@code bad-deploy}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
