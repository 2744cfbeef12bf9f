package dev.vigil.deploy.cli;

import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.simulator.KafkaControlPlane;
import dev.vigil.simulator.OtlpSink;
import dev.vigil.simulator.Simulator;
import dev.vigil.simulator.SimulatorSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator inside {@code vigil up --simulate}: telemetry over OTLP/gRPC to this process's
 * ingest bridge, catalog and changes to the broker, and the {@link LiveView}. When the scenario
 * ends it lets the pipeline finish the last windows, then calls {@code onEnd} (which stops {@code
 * vigil up}); {@link #close()} prints the summary.
 */
final class SimulationSession implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(SimulationSession.class);

  private final OtlpSink sink;
  private final KafkaControlPlane control;
  private final Simulator simulator;
  private final LiveView view;
  private final AtomicBoolean closed = new AtomicBoolean();

  SimulationSession(
      SimulatorSettings settings,
      String otlpEndpoint,
      Map<String, Object> clientConfig,
      TopicCatalog topics,
      MeterRegistry registry,
      PrintWriter out) {
    this.sink = OtlpSink.create(otlpEndpoint, "grpc");
    this.control = new KafkaControlPlane(clientConfig, topics);
    this.simulator = new Simulator(settings, sink, control);
    this.view =
        new LiveView(
            clientConfig, topics, registry, simulator.stats(), out, System.console() != null);
  }

  /** Its health for the management endpoint: live while the simulator runs or has ended well. */
  HealthCheck healthCheck() {
    return new HealthCheck(
        "simulator", () -> true, () -> true, () -> simulator.isDone() ? "DONE" : "RUNNING");
  }

  /** Starts the simulator and the view; {@code onEnd} runs once the scenario is over. */
  void start(Runnable onEnd) {
    view.start();
    simulator.start();
    Thread watcher =
        new Thread(
            () -> {
              try {
                simulator.awaitDone(Duration.ofDays(3650));
                if (closed.get()) {
                  return;
                }
                // The last windows close 1.5 simulated minutes after the data; give the chain that
                // and a few seconds of processing.
                double speed = Math.max(1, simulator.settings().speed());
                Thread.sleep((long) (5_000 + 180_000 / speed));
                LOGGER.info("Scenario over");
                onEnd.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vigil-simulation-end");
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      simulator.close();
      view.close();
      sink.close();
      control.close();
    }
  }
}
