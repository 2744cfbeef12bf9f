package dev.vigil.deploy.cli;

import dev.vigil.bridge.BridgeConfig;
import dev.vigil.deploy.broker.EmbeddedBroker;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.runtime.management.ManagementServer;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.topics.ProvisionReport;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
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
      "endpoint. Ctrl-C (SIGINT) or SIGTERM stops everything cleanly."
    })
final class UpCommand implements Callable<Integer> {
  private static final Logger LOGGER = LoggerFactory.getLogger(UpCommand.class);

  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;

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

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

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
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "vigil-shutdown"));
    try {
      start(broker, config, out);
    } catch (RuntimeException e) {
      stopAll();
      throw e;
    }
    stopped.await();
    return 0;
  }

  private void start(EmbeddedBroker broker, CoreConfig config, PrintWriter out) throws Exception {
    LOGGER.info("Effective settings:\n{}", config.describe());
    broker.start(config.startupTimeout());
    running.push(broker);

    TopicCatalog topics = ConfigOptions.topics(config);
    List<AppDefinition> apps = VigilApps.all();
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    apps.forEach(app -> specs.add(topics.dlq(app.name())));
    ProvisionReport report;
    try (Admin admin = Admin.create(config.kafkaClientConfig())) {
      TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));
      report = config.topicProvision() ? provisioner.provision(specs) : provisioner.verify(specs);
    }
    if (!report.missing().isEmpty()) {
      throw new IllegalStateException(
          "topics missing and topic.provision=false: "
              + String.join(", ", report.missing())
              + " (run vigil topics create)");
    }
    report.mismatches().forEach(m -> LOGGER.warn("Topic differs from the catalog: {}", m));

    PrometheusMeterRegistry registry = Metrics.newRegistry();
    ManagementServer management =
        new ManagementServer(config.managementHost(), config.managementPort(), registry);
    running.push(management);
    management.register(new HealthCheck("broker", () -> true, () -> true, () -> "RUNNING"));
    List<VigilService> started = new ArrayList<>();
    for (AppDefinition definition : apps) {
      VigilService app = definition.create(config, topics, registry);
      running.push(app);
      management.register(app.healthCheck());
      app.start();
      started.add(app);
    }

    out.printf("Vigil is up.%n");
    out.printf(
        "  Kafka broker   %s   (kcat -b %s -L)%n",
        broker.bootstrapServers(), broker.bootstrapServers());
    out.printf(
        "  Data           %s   (cluster %s, reused on restart)%n",
        dataDir.toAbsolutePath(), broker.clusterId());
    out.printf(
        "  Topics         %d ready, %d created now%s%n",
        report.verified().size(),
        report.created().size(),
        report.mismatches().isEmpty()
            ? ""
            : ", " + report.mismatches().size() + " differ from the catalog (see log)");
    out.printf(
        "  Management     http://%s:%d/metrics  /health/live  /health/ready%n",
        config.managementHost(), management.port());
    for (VigilService app : started) {
      out.printf("  %-14s %s%n", app.name(), app);
    }
    out.printf("Press Ctrl-C to stop.%n");
    out.flush();
  }

  private void stopAll() {
    synchronized (running) {
      while (!running.isEmpty()) {
        AutoCloseable next = running.pop();
        try {
          next.close();
        } catch (Exception e) {
          LOGGER.warn("Error while stopping {}", next.getClass().getSimpleName(), e);
        }
      }
    }
    stopped.countDown();
    LOGGER.info("Vigil stopped");
  }
}
