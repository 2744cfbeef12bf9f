package dev.vigil.deploy.cli;

import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.config.CoreConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil run APP...}: some apps of Vigil against an existing Kafka cluster. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run one or more apps against an existing Kafka cluster (one pod per app in Kubernetes).",
      "",
      "Provisions the topics (unless topic.provision=false), serves the management endpoint and",
      "stops cleanly on SIGTERM. Apps: ${COMPLETION-CANDIDATES}."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;

  @Parameters(
      arity = "1..*",
      paramLabel = "APP",
      completionCandidates = AppNames.class,
      description = "App names.")
  List<String> names;

  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description = "Kafka to connect to (default: bootstrap.servers from the settings).")
  String bootstrapServer;

  @Override
  public Integer call() throws Exception {
    List<AppDefinition> apps = new ArrayList<>();
    for (String name : names) {
      apps.add(
          VigilApps.all().stream()
              .filter(app -> app.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(),
                          "unknown app '"
                              + name
                              + "'; apps: "
                              + String.join(", ", new AppNames()))));
    }
    CoreConfig config =
        configOptions.load(
            bootstrapServer == null
                ? Map.of()
                : Map.of(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer));
    PrintWriter out = spec.commandLine().getOut();
    try (AppRunner runner = new AppRunner()) {
      runner.start(config, apps);
      out.printf("Vigil is running against %s.%n", config.bootstrapServers());
      runner.printSummary(out, config);
      runner.awaitStop();
    }
    return 0;
  }

  /** The names of the apps in this build, for help and completion. */
  static final class AppNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    AppNames() {
      super(VigilApps.all().stream().map(AppDefinition::name).toList());
    }
  }
}
