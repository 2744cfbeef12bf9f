package dev.vigil.deploy.cli;

import dev.vigil.simulator.Durations;
import dev.vigil.simulator.Fault;
import dev.vigil.simulator.PlatformGenerator;
import dev.vigil.simulator.Scenario;
import dev.vigil.simulator.ScenarioFile;
import dev.vigil.simulator.SimulatorSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The simulator's flags, shared by {@code vigil up --simulate} and {@code vigil simulate}. */
final class SimulateOptions {
  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description = "Faults on a timeline, YAML or JSON (format: simulator/README.md).")
  Path scenario;

  @Option(
      names = "--fault",
      paramLabel = "KIND:TARGET@AT+DURATION[*MAGNITUDE]",
      description =
          "A fault, repeatable, e.g. latency:payment@10m+5m, database:postgresql:orders@30m+5m;"
              + " AT counts from the end of the warm-up.")
  List<String> faults = new ArrayList<>();

  /**
   * The furthest the scenario starts before now: windows a day old are well within the topics'
   * retention (7 days), and an open-ended run at 60× stays behind the clock for a day of simulated
   * time (24 minutes) before it goes on in real time.
   */
  static final Duration MAX_LOOKBACK = Duration.ofHours(24);

  @Option(
      names = "--speed",
      defaultValue = "60",
      description =
          "Simulated seconds per second after the warm-up, 0 = as fast as possible"
              + " (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--services",
      defaultValue = "60",
      description = "Services of the simulated platform, at least 15 (default: ${DEFAULT-VALUE}).")
  int services;

  @Option(
      names = "--rate",
      defaultValue = "300",
      description = "Mean user requests per minute over a day (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--warmup",
      defaultValue = "2h10m",
      description =
          "Simulated history before the scenario, generated at full speed; the anomaly detector"
              + " is fully sensitive after 120 windows (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(
      names = "--deploys-per-hour",
      defaultValue = "1",
      description = "Routine deploys per simulated hour (default: ${DEFAULT-VALUE}).")
  double deploysPerHour;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the platform and of every draw (default: ${DEFAULT-VALUE}).")
  long seed;

  /**
   * The settings these flags describe. The timeline lies in the past: the warm-up before the
   * scenario, and the scenario by as much as time compression gains on the clock (up to {@link
   * #MAX_LOOKBACK}), so a compressed scenario ends about now instead of running hours into the
   * future, whose telemetry enrichment refuses (event time over 55 minutes ahead of ingest) and
   * whose windows the broker would refuse. The pacer keeps a longer run from overtaking the clock.
   *
   * @throws IllegalArgumentException naming the flag or file at fault
   */
  SimulatorSettings settings() throws IOException {
    Scenario base = scenario == null ? Scenario.steady() : ScenarioFile.read(scenario);
    List<Fault> all = new ArrayList<>(base.faults());
    for (String flag : faults) {
      all.add(Fault.parse(flag));
    }
    Scenario effective = new Scenario(base.name(), base.duration(), all);
    Duration warm = Durations.parse(warmup);
    return new SimulatorSettings(
        PlatformGenerator.ecommerce(services, seed),
        effective,
        Instant.now().minus(warm).minus(lookback(effective, speed)),
        warm,
        speed,
        rate,
        deploysPerHour,
        seed);
  }

  /** How far before now the scenario starts: what compression gains on the clock over its run. */
  static Duration lookback(Scenario scenario, double speed) {
    if (speed > 0 && speed <= 1) {
      return Duration.ZERO; // real time or slower: starting now never runs ahead
    }
    Duration length = scenario.duration().orElse(MAX_LOOKBACK);
    if (length.compareTo(MAX_LOOKBACK) > 0) {
      length = MAX_LOOKBACK;
    }
    // speed 0 (as fast as possible): the whole scenario lies in the past.
    double gained = speed == 0 ? 1 : 1 - 1 / speed;
    return Duration.ofMillis((long) (length.toMillis() * gained));
  }
}
