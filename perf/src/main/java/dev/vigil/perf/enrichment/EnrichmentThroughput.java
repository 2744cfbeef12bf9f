package dev.vigil.perf.enrichment;

import dev.vigil.enrichment.EnrichmentConfig;
import dev.vigil.enrichment.EnrichmentTopology;
import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.enrichment.internal.MetricWindowProcessor;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Data points per second through the enrichment topology on a real (in-JVM KRaft) broker, with the
 * app's exactly-once settings, and the state bytes each series costs.
 *
 * <p>The workload is written to {@code otlp_metrics} first: {@code services} services, each
 * exporting {@code series} series every 10 s of event time (60 % gauges, 30 % cumulative counters,
 * 10 % histograms with 10 buckets), one {@code ResourceMetrics} per record as the bridge writes it,
 * for {@code minutes} minutes. Then one stream thread processes it; the run ends when the last
 * closed window has reached {@code vigil.signals.1m}. Throughput is input points over wall time,
 * and over the CPU time the whole process (broker included) spent meanwhile.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.enrichment.EnrichmentThroughput [services series minutes]
 * </pre>
 */
public final class EnrichmentThroughput {
  private EnrichmentThroughput() {}

  /** Runs the benchmark and prints its figures. */
  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int series = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int exportsPerMinute = 6;
    KafkaCluster kafka = new KafkaCluster();
    kafka.start();
    Path stateDir = Files.createTempDirectory("vigil-perf-enrichment");
    try {
      EnrichmentConfig config =
          EnrichmentConfig.load(
              new ConfigSources()
                  .cli(
                      Map.of(
                          "bootstrap.servers",
                          kafka.bootstrapServers(),
                          "state.dir",
                          stateDir.toString(),
                          "topic.partitions",
                          "1",
                          "streams.commit.interval.ms",
                          "100")));
      TopicCatalog topics = TopicCatalog.create("", 1, (short) 1);
      List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
      specs.add(topics.dlq(EnrichmentTopology.APP));
      new TopicProvisioner(kafka.admin(), Duration.ofSeconds(30)).provision(specs);

      Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
      long points = produce(kafka, topics, services, series, minutes, exportsPerMinute, t0);
      // Closed windows: every minute but the last (its end + grace is never reached).
      long expectedWindows = (long) services * series * (minutes - 1);
      System.out.printf(
          "workload: %d services x %d series, %d exports/min for %d min = %,d points%n",
          services, series, exportsPerMinute, minutes, points);

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      Properties props =
          StreamsApp.properties(
              EnrichmentTopology.APP,
              config.core(),
              new DeadLetters(
                  EnrichmentTopology.APP, topics.dlq(EnrichmentTopology.APP).name(), registry));
      var bean =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = bean.getProcessCpuTime();
      long start = System.nanoTime();
      try (KafkaStreams streams =
          new KafkaStreams(
              EnrichmentTopology.build(config.settings(), topics, new EnrichmentMetrics(registry)),
              props)) {
        streams.start();
        long windows = awaitWindows(kafka, topics, expectedWindows, Duration.ofMinutes(15));
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (bean.getProcessCpuTime() - cpuStart) / 1e9;
        double streamCpuSeconds = streamThreadCpuNanos() / 1e9;
        System.out.printf(
            "processed %,d points into %,d windows in %.1f s wall, %.1f s CPU (process)%n",
            points, windows, seconds, cpuSeconds);
        System.out.printf("throughput: %,.0f points/s wall%n", points / seconds);
        System.out.printf(
            "throughput: %,.0f points per CPU-second (broker and app share the process)%n",
            points / cpuSeconds);
        long counters = 0;
        for (int i = 0; i < series; i++) {
          int kind = i * 10 / series;
          counters += kind >= 6 && kind < 9 ? 1 : 0;
        }
        // At the end one window (the last minute) is open, holding every series.
        System.out.printf(
            "throughput: %,.0f points per CPU-second of the stream thread (%.1f s CPU)%n",
            points / streamCpuSeconds, streamCpuSeconds);
        stateBytes(streams, MetricWindowProcessor.WINDOW_STORE, (long) services * series, "series");
        stateBytes(
            streams,
            MetricWindowProcessor.CUMULATIVE_STORE,
            services * counters,
            "cumulative stream");
      }
    } finally {
      kafka.stop();
    }
  }

  private static long streamThreadCpuNanos() {
    var threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("StreamThread")) {
        total += threads.getThreadCpuTime(info.getThreadId());
      }
    }
    return total;
  }

  private static long produce(
      KafkaCluster kafka,
      TopicCatalog topics,
      int services,
      int series,
      int minutes,
      int exportsPerMinute,
      Instant t0)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers", kafka.bootstrapServers(),
            "acks", "all",
            "linger.ms", "20",
            "batch.size", "1048576",
            "compression.type", "lz4");
    Random random = new Random(42);
    long points = 0;
    long startNanos = t0.getEpochSecond() * 1_000_000_000L;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int export = 0; export < minutes * exportsPerMinute; export++) {
        long timeNanos = startNanos + export * 10_000_000_000L + 5_000_000_000L;
        for (int s = 0; s < services; s++) {
          ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
          for (int i = 0; i < series; i++) {
            scope.addMetrics(metric(i, series, export, startNanos, timeNanos, random));
            points++;
          }
          String service = "service-" + s;
          ExportMetricsServiceRequest request =
              ExportMetricsServiceRequest.newBuilder()
                  .addResourceMetrics(
                      ResourceMetrics.newBuilder()
                          .setResource(
                              Resource.newBuilder().addAttributes(attr("service.name", service)))
                          .addScopeMetrics(scope))
                  .build();
          producer.send(
              new ProducerRecord<>(
                  topics.otlpMetrics.name(), service.getBytes(), request.toByteArray()));
        }
      }
      producer.flush();
    }
    return points;
  }

  private static Metric metric(
      int i, int series, int export, long startNanos, long timeNanos, Random random) {
    KeyValue route = attr("http.route", "/api/r" + (i % 10));
    int kind = i * 10 / series;
    if (kind < 6) {
      return Metric.newBuilder()
          .setName("gauge." + i)
          .setUnit("1")
          .setGauge(
              Gauge.newBuilder()
                  .addDataPoints(
                      NumberDataPoint.newBuilder()
                          .setTimeUnixNano(timeNanos)
                          .setAsDouble(random.nextDouble() * 100)
                          .addAttributes(route)))
          .build();
    }
    if (kind < 9) {
      return Metric.newBuilder()
          .setName("counter." + i)
          .setUnit("1")
          .setSum(
              Sum.newBuilder()
                  .setIsMonotonic(true)
                  .setAggregationTemporality(
                      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                  .addDataPoints(
                      NumberDataPoint.newBuilder()
                          .setStartTimeUnixNano(startNanos)
                          .setTimeUnixNano(timeNanos)
                          .setAsInt(1000L * (export + 1) + i)
                          .addAttributes(route)))
          .build();
    }
    HistogramDataPoint.Builder h =
        HistogramDataPoint.newBuilder()
            .setTimeUnixNano(timeNanos)
            .addAttributes(route)
            .addAllExplicitBounds(
                List.of(5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 1000.0));
    long count = 0;
    for (int b = 0; b < 10; b++) {
      long n = random.nextInt(20);
      h.addBucketCounts(n);
      count += n;
    }
    return Metric.newBuilder()
        .setName("latency." + i)
        .setUnit("ms")
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(h.setCount(count).setSum(count * 40.0)))
        .build();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static long awaitWindows(
      KafkaCluster kafka, TopicCatalog topics, long expected, Duration timeout) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "perf-reader",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long received = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.signals.name()));
      while (received < expected && System.nanoTime() < deadline) {
        received += consumer.poll(Duration.ofMillis(200)).count();
      }
    }
    if (received < expected) {
      throw new IllegalStateException(
          "only " + received + " of " + expected + " windows within " + timeout);
    }
    return received;
  }

  private static void stateBytes(KafkaStreams streams, String store, long series, String label)
      throws InterruptedException {
    ReadOnlyKeyValueStore<Bytes, byte[]> view = null;
    for (int attempt = 0; attempt < 50 && view == null; attempt++) {
      try {
        view =
            streams.store(
                StoreQueryParameters.fromNameAndType(
                    store, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
      } catch (RuntimeException e) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    if (view == null) {
      System.out.printf("state %s: store not queryable%n", store);
      return;
    }
    long entries = 0;
    long bytes = 0;
    try (KeyValueIterator<Bytes, byte[]> all = view.all()) {
      while (all.hasNext()) {
        org.apache.kafka.streams.KeyValue<Bytes, byte[]> entry = all.next();
        if (entry.key.get().length == 0) {
          continue;
        }
        entries++;
        bytes += entry.key.get().length + entry.value.length;
      }
    }
    System.out.printf(
        "state %s: %,d entries, %,d bytes for %,d x %s: %.0f bytes per %s"
            + " (keys + values, before RocksDB overhead)%n",
        store, entries, bytes, series, label, (double) bytes / series, label);
  }
}
