package dev.vigil.forecast.internal;

import dev.vigil.forecast.sagemaker.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The forecast stream's self-metrics.
 *
 * <ul>
 *   <li>{@code vigil_forecast_windows_total{outcome}}: windows read: {@code learned}, {@code
 *       warmup} (learned, too early to forecast), {@code late} (not after the series' last window:
 *       ignored), {@code no_value}, {@code not_selected}
 *   <li>{@code vigil_forecast_revisions_total}: revisions of a window the series already learned
 *       ({@code revision > 0}, not after its last window): counted, not learned again
 *   <li>{@code vigil_forecast_forecasts_total{model,fallback}}: forecasts written, by model ({@code
 *       holt-winters}, {@code sagemaker}) and, for the embedded model answering for SageMaker, why
 *       ({@code none} otherwise)
 *   <li>{@code vigil_forecast_sagemaker_calls_total{outcome}}: batches: {@code ok}, {@code
 *       timeout}, {@code throttled}, {@code error}, {@code bad_response}, {@code breaker_open},
 *       {@code saturated}; {@code vigil_forecast_sagemaker_call_seconds}: their duration
 *   <li>{@code vigil_forecast_state_bytes}: size of each stored series state
 *   <li>{@code vigil_forecast_state_resets_total}: stored states this version could not read (the
 *       series learns again)
 * </ul>
 */
public final class ForecastMetrics {
  /** What became of one input window. */
  public enum Outcome {
    LEARNED,
    WARMUP,
    LATE,
    NO_VALUE,
    NOT_SELECTED
  }

  private final MeterRegistry registry;
  private final Map<Outcome, Counter> windows = new EnumMap<>(Outcome.class);
  private final Counter stateResets;
  private final Counter revisions;
  private final DistributionSummary stateBytes;
  private final Timer callTime;

  /** Registers the metrics. */
  public ForecastMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      windows.put(
          o,
          Counter.builder("vigil.forecast.windows")
              .description("Signal windows read by the forecast stream, by outcome")
              .tag("outcome", o.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    revisions =
        Counter.builder("vigil.forecast.revisions")
            .description("Revisions of a window already learned: counted, not learned again")
            .register(registry);
    stateResets =
        Counter.builder("vigil.forecast.state.resets")
            .description("Stored series states that could not be read; the series learns again")
            .register(registry);
    stateBytes =
        DistributionSummary.builder("vigil.forecast.state.bytes")
            .description("Bytes of a stored series state")
            .baseUnit("bytes")
            .register(registry);
    callTime =
        Timer.builder("vigil.forecast.sagemaker.call")
            .description("Duration of SageMaker batches, from submission to result")
            .register(registry);
  }

  void window(Outcome outcome) {
    windows.get(outcome).increment();
  }

  void revision() {
    revisions.increment();
  }

  void stateReset() {
    stateResets.increment();
  }

  void stateBytes(int bytes) {
    stateBytes.record(bytes);
  }

  void forecast(String model, FailureReason fallback) {
    Counter.builder("vigil.forecast.forecasts")
        .description("Forecasts written, by model and fallback reason")
        .tag("model", model)
        .tag("fallback", fallback == null ? "none" : fallback.label())
        .register(registry)
        .increment();
  }

  /** Counts one SageMaker batch. */
  public void call(FailureReason reason, long nanos) {
    Counter.builder("vigil.forecast.sagemaker.calls")
        .description("SageMaker batches, by outcome")
        .tag("outcome", reason == null ? "ok" : reason.label())
        .register(registry)
        .increment();
    if (nanos > 0) {
      callTime.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
