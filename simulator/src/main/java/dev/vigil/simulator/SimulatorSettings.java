package dev.vigil.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How a simulation runs.
 *
 * @param platform the simulated platform
 * @param scenario faults after the warm-up
 * @param start event time at which the warm-up begins (aligned down to the minute)
 * @param warmup simulated time before the scenario, generated as fast as the receiver takes it: the
 *     anomaly detector needs 120 one-minute windows of a series before it alerts
 * @param speed simulated seconds per wall-clock second after the warm-up; 0 = as fast as possible
 * @param requestsPerMinute mean user requests a minute over a day (the daily cycle is 0.5×–1.5×)
 * @param deploysPerHour routine (healthy) deploys across the platform per simulated hour
 * @param seed seed of every random draw: the same settings give the same telemetry
 */
public record SimulatorSettings(
    Platform platform,
    Scenario scenario,
    Instant start,
    Duration warmup,
    double speed,
    double requestsPerMinute,
    double deploysPerHour,
    long seed) {

  /** Default warm-up: {@code 2h10m}, 120 windows plus a margin. */
  public static final Duration DEFAULT_WARMUP = Duration.ofMinutes(130);

  /** Default speed: {@value}× (a simulated hour in a minute). */
  public static final double DEFAULT_SPEED = 60;

  /** Default mean user requests per minute: {@value}. */
  public static final double DEFAULT_RATE = 300;

  /** Validates; aligns the start to the minute. */
  public SimulatorSettings {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(warmup, "warmup");
    start = start.truncatedTo(ChronoUnit.MINUTES);
    warmup = Duration.ofMinutes(warmup.toMinutes());
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup must not be negative");
    }
    if (speed < 0 || Double.isNaN(speed)) {
      throw new IllegalArgumentException("speed must be >= 0 (0 = as fast as possible)");
    }
    if (!(requestsPerMinute > 0)) {
      throw new IllegalArgumentException("rate must be positive");
    }
    if (deploysPerHour < 0) {
      throw new IllegalArgumentException("deploys per hour must not be negative");
    }
    scenario.validateAgainst(platform);
  }

  /**
   * Defaults for {@code platform} and {@code scenario}: warm-up in the past so that the scenario
   * starts at the current time, 60×, 300 requests a minute, one routine deploy an hour, seed 1.
   */
  public static SimulatorSettings defaults(Platform platform, Scenario scenario) {
    return new SimulatorSettings(
        platform,
        scenario,
        Instant.now().minus(DEFAULT_WARMUP),
        DEFAULT_WARMUP,
        DEFAULT_SPEED,
        DEFAULT_RATE,
        1,
        1);
  }

  /** A copy with another start. */
  public SimulatorSettings withStart(Instant newStart) {
    return new SimulatorSettings(
        platform, scenario, newStart, warmup, speed, requestsPerMinute, deploysPerHour, seed);
  }

  /** Event time at which the scenario (its faults' offsets) begins. */
  public Instant scenarioStart() {
    return start.plus(warmup);
  }
}
