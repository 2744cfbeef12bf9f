package dev.vigil.perf.pipeline;

import dev.vigil.bridge.internal.OtlpRecord;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.enrichment.EnrichmentConfig;
import dev.vigil.enrichment.EnrichmentTopology;
import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * CPU of the enrichment stream thread(s) per data point, for metric-heavy input: the ramp's gauge
 * load ({@link SyntheticOtlp}: 50 services × 100 gauge series, 100 points per bridge record) over
 * {@code minutes} of event time is written to {@code otlp_metrics} first, then the enrichment
 * (exactly-once, the app's settings, real broker) decodes, splits, repartitions and folds it into
 * windows. Reports the stream threads' CPU time (ThreadMXBean), which a shared machine's load
 * disturbs much less than wall-clock throughput, and the whole process's CPU for the same period
 * (the in-JVM broker and the clients' network threads included).
 *
 * <p>Arguments after units and minutes are settings ({@code key=value}) on top of the app's
 * defaults, e.g. {@code streams.commit.interval.ms=500}, {@code streams.threads=2}, {@code
 * topic.partitions=6} (default 1).
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.pipeline.MetricCost [units] [minutes] [k=v]...
 * </pre>
 */
public final class MetricCost {
  private MetricCost() {}

  /** Runs it and prints the figures. */
  public static void main(String[] args) throws Exception {
    int units = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Map<String, String> settings = new HashMap<>();
    settings.put(CoreConfig.TOPIC_PARTITIONS_CONFIG, "1");
    int rate = 0;
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      if (kv[0].equals("rate")) {
        rate = Integer.parseInt(kv[1]);
      } else {
        settings.put(kv[0], kv[1]);
      }
    }
    KafkaCluster kafka = new KafkaCluster();
    kafka.start();
    Path stateDir = Files.createTempDirectory("vigil-perf-metrics");
    try {
      settings.put(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      settings.put(CoreConfig.STATE_DIR_CONFIG, stateDir.toString());
      EnrichmentConfig config = EnrichmentConfig.load(new ConfigSources().cli(settings));
      int partitions = Integer.parseInt(settings.get(CoreConfig.TOPIC_PARTITIONS_CONFIG));
      TopicCatalog topics = TopicCatalog.create("", partitions, (short) 1);
      List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
      specs.add(topics.dlq(EnrichmentTopology.APP));
      new TopicProvisioner(kafka.admin(), Duration.ofSeconds(30)).provision(specs);
      long points =
          rate > 0
              ? units * (long) SyntheticOtlp.POINTS_PER_UNIT
              : Backlog.write(
                  kafka.bootstrapServers(),
                  topics.otlpMetrics.name(),
                  units,
                  minutes,
                  OtlpSignal.METRICS,
                  SyntheticOtlp.Unit::metrics);
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
        Thread live = null;
        if (rate > 0) {
          int unitsPerSecond = rate / SyntheticOtlp.POINTS_PER_UNIT;
          live =
              new Thread(
                  () ->
                      produceLive(
                          kafka.bootstrapServers(),
                          topics.otlpMetrics.name(),
                          units,
                          unitsPerSecond),
                  "live-load");
          live.start();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (count(registry) < points && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        ThreadCpu.Split cpuSplit = ThreadCpu.now().since(atStart);
        double cpu = cpuSplit.of(ThreadCpu.streamThreadPart(EnrichmentTopology.APP)) / 1e9;
        double clients = cpuSplit.of(ThreadCpu.clientsPart(EnrichmentTopology.APP)) / 1e9;
        double process = cpuSplit.process() / 1e9;
        System.out.printf(
            "%,d points (%,.0f folded) in %.1f s wall; stream threads %.2f CPU s = %.2f µs per"
                + " point, %,.0f points per CPU-second; their clients' threads (producer network,"
                + " heartbeat, admin, state updater) %.2f µs per point;"
                + " process %.2f CPU s = %.2f µs per point;"
                + " settings %s; load %.1f%n",
            points,
            count(registry),
            wall,
            cpu,
            cpu * 1e6 / points,
            points / cpu,
            clients * 1e6 / points,
            process,
            process * 1e6 / points,
            describe(settings),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        threadCpu(process);
      }
    } finally {
      kafka.stop();
    }
  }

  /** CPU seconds of every live thread, names with their numbers stripped, biggest first. */
  private static void threadCpu(double processSeconds) {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Double> byName = new HashMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        String name = info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*");
        byName.merge(
            name.replaceAll("\\d+", "N"),
            threads.getThreadCpuTime(info.getThreadId()) / 1e9,
            Double::sum);
      }
    }
    System.out.printf(
        "  CPU s of live threads since the JVM started (process since the app: %.1f):%n",
        processSeconds);
    byName.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .limit(12)
        .forEach(e -> System.out.printf("  %8.2f  %s%n", e.getValue(), e.getKey()));
  }

  private static String describe(Map<String, String> settings) {
    Map<String, String> shown = new HashMap<>(settings);
    shown.remove(CoreConfig.BOOTSTRAP_SERVERS_CONFIG);
    shown.remove(CoreConfig.STATE_DIR_CONFIG);
    return new java.util.TreeMap<>(shown).toString();
  }

  private static double count(SimpleMeterRegistry registry) {
    return registry.find("vigil.enrichment.accepted").tag("source", "metrics").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** {@code units} at {@code unitsPerSecond}, event time = now: the cost at a steady rate. */
  private static void produceLive(String bootstrap, String topic, int units, int unitsPerSecond) {
    SyntheticOtlp load = new SyntheticOtlp();
    RequestSplitter splitter = new RequestSplitter(900 * 1024);
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "all",
            "linger.ms",
            "5",
            "compression.type",
            "lz4");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      for (int u = 0; u < units; u++) {
        long due = start + (long) (u * 1e9 / unitsPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        SyntheticOtlp.Unit unit = load.next(System.currentTimeMillis() * 1_000_000L);
        for (OtlpRecord record : splitter.split(OtlpSignal.METRICS, unit.metrics()).records()) {
          producer.send(new ProducerRecord<>(topic, record.service(), record.value()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
