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
   * The settings these flags describe; the warm-up lies in the past so that the scenario starts at
   * the current time.
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
        Instant.now().minus(warm),
        warm,
        speed,
        rate,
        deploysPerHour,
        seed);
  }
}
