package dev.vigil.deploy.cli;

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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs apps in this process the way {@code vigil up} and {@code vigil run} both do: topics
 * provisioned (or verified), one management endpoint, every app started, and everything stopped in
 * reverse order on SIGINT/SIGTERM.
 */
final class AppRunner implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(AppRunner.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<HealthCheck> extraChecks = new ArrayList<>();
  private ProvisionReport report;
  private ManagementServer management;
  private PrometheusMeterRegistry registry;
  private final List<VigilService> started = new ArrayList<>();

  /** Stops everything when the JVM is asked to exit. */
  AppRunner() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "vigil-shutdown"));
  }

  /** Something started before the apps (a broker) that must stop after them. */
  void own(AutoCloseable resource, HealthCheck check) {
    synchronized (running) {
      running.push(resource);
    }
    extraChecks.add(check);
  }

  /**
   * Provisions topics, opens the management endpoint and starts the apps.
   *
   * @throws IllegalStateException if topics are missing and may not be created
   */
  void start(CoreConfig config, List<AppDefinition> apps) throws Exception {
    LOGGER.info("Effective settings:\n{}", config.describe());
    TopicCatalog topics = config.topicCatalog();
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    apps.forEach(app -> specs.addAll(app.ownTopics(topics)));
    try (Admin admin = Admin.create(config.kafkaClientConfig())) {
      TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));
      report = config.topicProvision() ? provisioner.provision(specs) : provisioner.verify(specs);
    }
    if (!report.missing().isEmpty()) {
      throw new IllegalStateException(
          (config.topicProvision()
                  ? "topics missing after provisioning: "
                  : "topics missing and topic.provision=false: ")
              + String.join(", ", report.missing())
              + " (run vigil topics create)");
    }
    report.mismatches().forEach(m -> LOGGER.warn("Topic differs from the catalog: {}", m));

    registry = Metrics.newRegistry();
    management = new ManagementServer(config.managementHost(), config.managementPort(), registry);
    synchronized (running) {
      running.push(management);
    }
    extraChecks.forEach(management::register);
    for (AppDefinition definition : apps) {
      VigilService app = definition.create(config, topics, registry);
      synchronized (running) {
        running.push(app);
      }
      management.register(app.healthCheck());
      app.start();
      started.add(app);
    }
  }

  /** The apps' meters (after {@link #start}). */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Prints what was provisioned and where everything serves. */
  void printSummary(PrintWriter out, CoreConfig config) {
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

  /** Blocks until everything has stopped. */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops apps, endpoint and owned resources, newest first; safe to call twice. */
  @Override
  public void close() {
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
    if (stopped.getCount() > 0) {
      stopped.countDown();
      LOGGER.info("Vigil stopped");
    }
  }
}
