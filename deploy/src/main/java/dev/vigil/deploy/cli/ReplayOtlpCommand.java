package dev.vigil.deploy.cli;

import dev.vigil.deploy.replay.OtlpReplay;
import dev.vigil.deploy.replay.ReplayInputException;
import dev.vigil.runtime.app.AppDefinition;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil replay otlp}: recorded OTLP through enrichment, anomaly and rca. */
@Command(
    name = "otlp",
    mixinStandardHelpOptions = true,
    description = {
      "Replay recorded OpenTelemetry data through enrichment, anomaly and rca.",
      "",
      "Runs the whole chain in event time and writes every incident version as one JSON line.",
      "Input: a folder of OTLP/JSON lines files as the OpenTelemetry Collector's file exporter",
      "writes them (one Export*ServiceRequest per line; .gz files are read too). Which signal a",
      "line holds is read from its content. Requests are merged across files in event-time",
      "order. The chain runs on a private embedded broker with the default settings (change",
      "them with --set, e.g. --set anomaly.warmup.points=30) and never reads the wall clock",
      "for the data. It exits when the input is drained and every window has closed. A malformed",
      "line stops the replay with its file and line (exit 3) and leaves no output."
    })
final class ReplayOtlpCommand implements Callable<Integer> {
  /** The apps a replay runs, in pipeline order. */
  private static final Set<String> CHAIN = Set.of("enrichment", "anomaly", "rca");

  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "DIR",
      description = "Folder of recorded OTLP/JSON lines files (sub-folders included).")
  Path in;

  @Option(
      names = "--incidents",
      required = true,
      paramLabel = "FILE",
      description = "Where incident versions go, one JSON line each.")
  Path incidents;

  @Option(
      names = "--anomalies",
      paramLabel = "FILE",
      description = "Also write the anomaly events, one JSON line each.")
  Path anomalies;

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      description = "Also write the alerts (Alertmanager v2 shape), one JSON line each.")
  Path alerts;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(in)) {
      err.printf("vigil replay otlp: %s: no such folder%n", in);
      return ReplayCommand.BAD_INPUT;
    }
    if (System.getenv("VIGIL_LOG_LEVEL") == null) {
      // The replay prints its own progress; the apps' per-incident lines and the clients' start-up
      // chatter would bury it. VIGIL_LOG_LEVEL brings them back.
      Configurator.setLevel("dev.vigil", Level.WARN);
      Configurator.setLevel("org.apache.kafka", Level.ERROR);
    }
    List<AppDefinition> apps =
        VigilApps.all().stream().filter(app -> CHAIN.contains(app.name())).toList();
    OtlpReplay replay =
        new OtlpReplay(
            configOptions::load,
            config -> {
              AppRunner runner = new AppRunner();
              runner.start(config, apps);
              return runner;
            },
            err);
    try {
      OtlpReplay.Summary summary =
          replay.run(in, new OtlpReplay.Outputs(incidents, anomalies, alerts));
      err.printf(
          "vigil replay otlp: %,d requests from %d files (%s .. %s) in %.1f s: %,d incident"
              + " versions written to %s%n",
          summary.requests(),
          summary.files(),
          summary.first(),
          summary.last(),
          summary.took().toMillis() / 1000.0,
          summary.incidentVersions(),
          incidents);
      return 0;
    } catch (ReplayInputException e) {
      err.println("vigil replay otlp: " + e.getMessage());
      return ReplayCommand.BAD_INPUT;
    } finally {
      err.flush();
    }
  }
}
