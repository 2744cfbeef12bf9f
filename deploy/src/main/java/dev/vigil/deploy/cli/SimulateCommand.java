package dev.vigil.deploy.cli;

import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.simulator.ControlPlane;
import dev.vigil.simulator.KafkaControlPlane;
import dev.vigil.simulator.OtlpSink;
import dev.vigil.simulator.Simulator;
import dev.vigil.simulator.SimulatorSettings;
import dev.vigil.simulator.SimulatorStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil simulate}: the e-commerce simulator feeding any OTLP endpoint. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate an e-commerce platform and send its telemetry to an OTLP endpoint.",
      "",
      "Traces, metrics and logs go through the OpenTelemetry SDK's OTLP exporters to",
      "--otlp-endpoint (an ingest bridge, a Collector, any OTLP receiver); with --bootstrap-server",
      "the service catalog and deploy events go to vigil.catalog.services and vigil.changes.",
      "Runs until the scenario ends, or until Ctrl-C without one."
    })
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;
  @Mixin SimulateOptions simulate;

  @Option(
      names = "--otlp-endpoint",
      defaultValue = "http://127.0.0.1:4317",
      description = "OTLP receiver (default: ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(
      names = "--protocol",
      defaultValue = "grpc",
      description = "grpc, or http for OTLP/HTTP protobuf (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description = "Kafka for the catalog and change events; without it they are not published.")
  String bootstrap;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SimulatorSettings settings = simulate.settings();
    ControlPlane control = ControlPlane.none();
    if (bootstrap != null) {
      CoreConfig config =
          configOptions.load(Map.of(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
      control = new KafkaControlPlane(config.kafkaClientConfig(), config.topicCatalog());
    }
    try (OtlpSink sink = OtlpSink.create(endpoint, protocol);
        ControlPlane plane = control;
        Simulator simulator = new Simulator(settings, sink, plane)) {
      Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "vigil-simulate-stop"));
      out.printf(
          "Simulating %d services to %s (%s), scenario '%s', %s× after a %s warm-up%n",
          settings.platform().services().size(),
          endpoint,
          protocol,
          settings.scenario().name(),
          settings.speed() == 0 ? "max" : String.valueOf(settings.speed()),
          settings.warmup());
      out.flush();
      simulator.start();
      while (!simulator.awaitDone(Duration.ofSeconds(10))) {
        line(out, simulator.stats());
      }
      line(out, simulator.stats());
    }
    return 0;
  }

  private static void line(PrintWriter out, SimulatorStats stats) {
    out.printf(
        "sim %s%s | %,d requests, %,d spans, %,d points, %,d logs, %,d changes | faults %s | %d failed exports%n",
        stats.simulatedTime(),
        stats.warmingUp() ? " (warm-up)" : "",
        stats.requests(),
        stats.spans(),
        stats.points(),
        stats.logs(),
        stats.changes(),
        stats.activeFaults().isEmpty() ? "none" : stats.activeFaults(),
        stats.failedExports());
    out.flush();
  }
}
