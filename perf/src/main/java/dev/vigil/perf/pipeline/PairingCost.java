package dev.vigil.perf.pipeline;

import dev.vigil.enrichment.EnrichmentConfig;
import dev.vigil.enrichment.EnrichmentTopology;
import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * CPU of the enrichment stream thread per span, for span-heavy input: the synthetic load's traces
 * (client spans of one service paired with server spans of the next) over {@code minutes} of event
 * time are written to {@code otlp_spans} first, then one enrichment stream thread (exactly-once,
 * the app's settings, real broker) folds and pairs them. Reports the stream thread's CPU time
 * (ThreadMXBean), which a shared machine's load disturbs much less than wall-clock throughput.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.pipeline.PairingCost [units] [minutes] [key=value]...
 * </pre>
 *
 * <p>{@code key=value} arguments are Vigil settings, e.g. {@code
 * kafka.statestore.cache.max.bytes=67108864}, except {@code order=children-first}: each callee's
 * spans are written before their callers', as an SDK exports a server span that ended before its
 * client span. Every server span then waits as an orphan until its parent comes and adopts it (by
 * default the parent comes first and no orphan is adopted).
 */
public final class PairingCost {
  private PairingCost() {}

  /** Runs it and prints the figures. */
  public static void main(String[] args) throws Exception {
    int units = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Map<String, String> settings = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      settings.put(kv[0], kv[1]);
    }
    String order = settings.getOrDefault("order", "parents-first");
    settings.remove("order");
    if (!order.equals("parents-first") && !order.equals("children-first")) {
      throw new IllegalArgumentException(
          "order must be parents-first or children-first, not " + order);
    }
    boolean childrenFirst = order.equals("children-first");
    KafkaCluster kafka = new KafkaCluster();
    kafka.start();
    Path stateDir = Files.createTempDirectory("vigil-perf-pairing");
    try {
      settings.put("bootstrap.servers", kafka.bootstrapServers());
      settings.put("state.dir", stateDir.toString());
      settings.put("topic.partitions", "1");
      EnrichmentConfig config = EnrichmentConfig.load(new ConfigSources().cli(settings));
      TopicCatalog topics = TopicCatalog.create("", 1, (short) 1);
      List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
      specs.add(topics.dlq(EnrichmentTopology.APP));
      new TopicProvisioner(kafka.admin(), Duration.ofSeconds(30)).provision(specs);
      long spans =
          Backlog.write(
              kafka.bootstrapServers(),
              topics.otlpSpans.name(),
              units,
              minutes,
              OtlpSignal.TRACES,
              unit -> childrenFirst ? childrenFirst(unit.traces()) : unit.traces());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      Properties props =
          StreamsApp.properties(
              EnrichmentTopology.APP,
              config.core(),
              new DeadLetters(
                  EnrichmentTopology.APP, topics.dlq(EnrichmentTopology.APP).name(), registry));
      long start = System.nanoTime();
      ThreadCpu atStart = ThreadCpu.now();
      try (KafkaStreams streams =
          new KafkaStreams(
              EnrichmentTopology.build(config.settings(), topics, new EnrichmentMetrics(registry)),
              props)) {
        streams.start();
        long expectedServer = spans / 2;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (count(registry, "spans") < expectedServer && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        // The pairing is a later sub-topology: stopping when the windows are done measured it
        // part way (2026-12-07). Done when every call is paired, or the count stands for 2 s.
        double paired = -1;
        while (count(registry, "edges") < expectedServer
            && count(registry, "edges") != paired
            && System.nanoTime() < deadline) {
          paired = count(registry, "edges");
          Thread.sleep(2_000);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        ThreadCpu.Split cpuSplit = ThreadCpu.now().since(atStart);
        double cpu = cpuSplit.of(ThreadCpu.streamThreadPart(EnrichmentTopology.APP)) / 1e9;
        double clients = cpuSplit.of(ThreadCpu.clientsPart(EnrichmentTopology.APP)) / 1e9;
        System.out.printf(
            "%,d spans, %s (%,d server spans folded, %,.0f calls paired) in %.1f s wall; stream"
                + " thread %.2f CPU s = %.1f µs per span, %,.0f spans per CPU-second; its clients'"
                + " threads %.1f µs per span; settings %s; load %.1f%n",
            spans,
            order,
            (long) count(registry, "spans"),
            count(registry, "edges"),
            wall,
            cpu,
            cpu * 1e6 / spans,
            spans / cpu,
            clients * 1e6 / spans,
            settings,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    } finally {
      kafka.stop();
    }
  }

  /** The request with each callee's resource (the second of each pair) before its caller's. */
  private static ExportTraceServiceRequest childrenFirst(ExportTraceServiceRequest request) {
    List<ResourceSpans> resources = request.getResourceSpansList();
    ExportTraceServiceRequest.Builder reordered = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i + 1 < resources.size(); i += 2) {
      reordered.addResourceSpans(resources.get(i + 1)).addResourceSpans(resources.get(i));
    }
    return reordered.build();
  }

  private static double count(SimpleMeterRegistry registry, String source) {
    return registry.find("vigil.enrichment.accepted").tag("source", source).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
