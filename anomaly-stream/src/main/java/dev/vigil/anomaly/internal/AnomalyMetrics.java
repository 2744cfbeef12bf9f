package dev.vigil.anomaly.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The anomaly stream's self-metrics.
 *
 * <ul>
 *   <li>{@code vigil_anomaly_windows_total{outcome}}: windows read, by outcome: {@code scored},
 *       {@code warmup} (scored but too early to alert), {@code late} (not newer than the series'
 *       last window: ignored), {@code no_value} (nothing to score, e.g. errors of zero calls)
 *   <li>{@code vigil_anomaly_events_total{scope,phase}}: events written, {@code scope} series or
 *       service
 *   <li>{@code vigil_anomaly_revisions_total}: revisions of a window the series already scored
 *       ({@code revision > 0}, not newer than its last window): counted, not scored again
 *   <li>{@code vigil_anomaly_health_fast_starts_total}: service-health episodes started while their
 *       window's series still arrived
 *   <li>{@code vigil_anomaly_relearned_total}: lasting level shifts accepted as the new normal
 *   <li>{@code vigil_anomaly_state_resets_total}: stored states this version could not read (the
 *       series learns again from scratch)
 * </ul>
 */
public final class AnomalyMetrics {
  /** What became of one input window. */
  public enum Outcome {
    SCORED,
    WARMUP,
    LATE,
    NO_VALUE
  }

  private final MeterRegistry registry;
  private final Map<Outcome, Counter> windows = new EnumMap<>(Outcome.class);
  private final Counter relearned;
  private final Counter revisions;
  private final Counter healthFastStarts;
  private final Counter stateResets;

  /** Registers the metrics. */
  public AnomalyMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      windows.put(
          o,
          Counter.builder("vigil.anomaly.windows")
              .description("Signal windows read by the anomaly stream, by outcome")
              .tag("outcome", o.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    relearned =
        Counter.builder("vigil.anomaly.relearned")
            .description("Lasting level shifts accepted as the new normal")
            .register(registry);
    revisions =
        Counter.builder("vigil.anomaly.revisions")
            .description("Revisions of a window already scored: counted, not scored again")
            .register(registry);
    healthFastStarts =
        Counter.builder("vigil.anomaly.health.fast.starts")
            .description("Service-health episodes started before their window was complete")
            .register(registry);
    stateResets =
        Counter.builder("vigil.anomaly.state.resets")
            .description("Stored series states that could not be read; the series learns again")
            .register(registry);
  }

  void stateReset() {
    stateResets.increment();
  }

  void window(Outcome outcome) {
    windows.get(outcome).increment();
  }

  void revision() {
    revisions.increment();
  }

  void healthFastStart() {
    healthFastStarts.increment();
  }

  void relearned() {
    relearned.increment();
  }

  void event(String scope, Episode.Transition phase) {
    Counter.builder("vigil.anomaly.events")
        .description("Anomaly events written, by scope (series, service) and phase")
        .tag("scope", scope)
        .tag("phase", phase.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }
}
