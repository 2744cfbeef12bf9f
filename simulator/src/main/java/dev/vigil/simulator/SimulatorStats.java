package dev.vigil.simulator;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What a simulator has produced so far; read from other threads (live view, tests, benchmarks). */
public final class SimulatorStats {
  final AtomicLong requests = new AtomicLong();
  final AtomicLong spans = new AtomicLong();
  final AtomicLong points = new AtomicLong();
  final AtomicLong logs = new AtomicLong();
  final AtomicLong changes = new AtomicLong();
  final AtomicLong failedExports = new AtomicLong();
  private volatile Instant simulatedTime = Instant.EPOCH;
  private volatile boolean warmingUp = true;
  private volatile List<Fault> activeFaults = List.of();

  /** User requests simulated. */
  public long requests() {
    return requests.get();
  }

  /** Spans exported (or attempted). */
  public long spans() {
    return spans.get();
  }

  /** Metric data points exported (or attempted). */
  public long points() {
    return points.get();
  }

  /** Log records exported (or attempted). */
  public long logs() {
    return logs.get();
  }

  /** Change events published. */
  public long changes() {
    return changes.get();
  }

  /** Slices whose export failed after the exporter's retries: their telemetry is lost. */
  public long failedExports() {
    return failedExports.get();
  }

  /** The event time reached. */
  public Instant simulatedTime() {
    return simulatedTime;
  }

  /** Whether the warm-up is still running. */
  public boolean warmingUp() {
    return warmingUp;
  }

  /** The faults active at the simulated time. */
  public List<Fault> activeFaults() {
    return activeFaults;
  }

  void advance(Instant t, boolean warmup, List<Fault> active) {
    simulatedTime = t;
    warmingUp = warmup;
    activeFaults = active;
  }
}
