package dev.vigil.deploy.cli;

import dev.vigil.bridge.BridgeConfig;
import dev.vigil.deploy.broker.EmbeddedBroker;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.simulator.SimulatorSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil up}: an embedded broker, the topics and every app in one JVM. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run everything on this machine: broker, topics, apps, management endpoint.",
      "",
      "Starts an embedded single-node Kafka broker (data kept in --data-dir and reused on restart),",
      "creates every topic of the catalog, runs every stream app of this build and the management",
      "endpoint. Ctrl-C (SIGINT) or SIGTERM stops everything cleanly.",
      "With --simulate, the e-commerce simulator feeds it and a live view shows what it finds."
    })
final class UpCommand implements Callable<Integer> {
  private static final Logger LOGGER = LoggerFactory.getLogger(UpCommand.class);

  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;
  @Mixin SimulateOptions simulateOptions;

  @Option(
      names = "--simulate",
      description =
          "Also run the e-commerce simulator into the ingest bridge, with a live view"
              + " (see --scenario, --speed, --services).")
  boolean simulate;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Where the broker's logs and the apps' state live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Interface the broker listens on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "Broker port for clients such as kcat (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--controller-port",
      defaultValue = "9093",
      description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EmbeddedBroker broker = new EmbeddedBroker(dataDir, host, kafkaPort, controllerPort);
    CoreConfig config =
        configOptions.load(
            Map.of(
                CoreConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                CoreConfig.STATE_DIR_CONFIG,
                dataDir.resolve("streams").toString(),
                CoreConfig.MANAGEMENT_HOST_CONFIG,
                host,
                BridgeConfig.HOST_CONFIG,
                host));
    SimulatorSettings simulation = simulate ? simulateOptions.settings() : null;
    try (AppRunner runner = new AppRunner()) {
      broker.start(config.startupTimeout());
      runner.own(broker, new HealthCheck("broker", () -> true, () -> true, () -> "RUNNING"));
      runner.start(config, VigilApps.all());
      out.printf("Vigil is up.%n");
      out.printf(
          "  Kafka broker   %s   (kcat -b %s -L)%n",
          broker.bootstrapServers(), broker.bootstrapServers());
      out.printf(
          "  Data           %s   (cluster %s, reused on restart)%n",
          dataDir.toAbsolutePath(), broker.clusterId());
      runner.printSummary(out, config);
      if (simulation != null) {
        SimulationSession session =
            new SimulationSession(
                simulation,
                "http://" + host + ":" + new BridgeConfig(config).grpcPort(),
                config.kafkaClientConfig(),
                config.topicCatalog(),
                runner.registry(),
                out);
        runner.own(session, session.healthCheck());
        session.start(runner::close);
      }
      runner.awaitStop();
    } finally {
      broker.close();
    }
    return 0;
  }
}
