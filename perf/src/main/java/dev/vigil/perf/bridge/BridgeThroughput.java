package dev.vigil.perf.bridge;

import dev.vigil.bridge.BridgeApp;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.bridge.internal.KafkaWriter;
import dev.vigil.bridge.internal.OtlpRecord;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.deploy.broker.EmbeddedBroker;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end throughput of the ingest bridge: OTLP/HTTP protobuf requests of 1,000 data points into
 * a real broker with {@code acks=all}, and in the same run the ceiling: a plain Kafka producer with
 * the same settings writing the same record bytes to the same broker.
 *
 * <p>Everything (load generator, bridge, broker) shares this JVM and this machine, so "per core" is
 * data points per CPU-second of the whole process, measured with the process CPU time.
 *
 * <pre>java -cp perf/target/benchmarks.jar dev.vigil.perf.bridge.BridgeThroughput [seconds]</pre>
 */
public final class BridgeThroughput {
  private static final int POINTS_PER_REQUEST = 1_000;
  private static final int SERVICES = 10;
  private static final int CONCURRENCY = 16;

  private BridgeThroughput() {}

  /** Runs both measurements and prints a table. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path dir = Files.createTempDirectory("vigil-bench");
    try (EmbeddedBroker broker = new EmbeddedBroker(dir, "127.0.0.1", freePort(), freePort())) {
      broker.start(Duration.ofSeconds(60));
      TopicCatalog topics = TopicCatalog.defaults();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(topics.otlpMetrics));
      }
      List<byte[]> bodies = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        bodies.add(request(i).toByteArray());
      }
      Result ceiling =
          plainProducer(
              broker.bootstrapServers(), topics.otlpMetrics.name(), bodies, Duration.ofSeconds(5));
      ceiling =
          plainProducer(
              broker.bootstrapServers(),
              topics.otlpMetrics.name(),
              bodies,
              Duration.ofSeconds(seconds));
      Result bridge = bridge(broker.bootstrapServers(), topics, bodies, Duration.ofSeconds(5));
      bridge = bridge(broker.bootstrapServers(), topics, bodies, Duration.ofSeconds(seconds));
      out.printf("| path | points/s | CPU s per s | points per CPU-second |%n|---|---|---|---|%n");
      out.printf(
          "| plain Kafka producer (ceiling) | %,.0f | %.2f | %,.0f |%n",
          ceiling.pointsPerSecond(), ceiling.cpuPerSecond(), ceiling.pointsPerCpuSecond());
      out.printf(
          "| bridge, OTLP/HTTP protobuf | %,.0f | %.2f | %,.0f |%n",
          bridge.pointsPerSecond(), bridge.cpuPerSecond(), bridge.pointsPerCpuSecond());
      out.printf(
          "bridge / ceiling: %.0f%% of points/s, %.0f%% of points per CPU-second; %d requests of %d points, %d clients, %d s%n",
          100 * bridge.pointsPerSecond() / ceiling.pointsPerSecond(),
          100 * bridge.pointsPerCpuSecond() / ceiling.pointsPerCpuSecond(),
          bridge.requests,
          POINTS_PER_REQUEST,
          CONCURRENCY,
          seconds);
    }
  }

  private static Result bridge(
      String bootstrap, TopicCatalog topics, List<byte[]> bodies, Duration duration)
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrap);
    settings.put("bridge.host", "127.0.0.1");
    settings.put("bridge.grpc.port", "0");
    settings.put("bridge.http.port", "0");
    org.apache.kafka.common.config.ConfigDef definition = CoreConfig.definition();
    BridgeConfig.define(definition);
    CoreConfig config = new CoreConfig(definition, new ConfigSources().cli(settings));
    try (BridgeApp bridge =
        new BridgeApp(new BridgeConfig(config), topics, new SimpleMeterRegistry())) {
      bridge.start();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + bridge.httpPort() + "/v1/metrics");
      Semaphore slots = new Semaphore(CONCURRENCY);
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long cpu0 = cpuNanos();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      int i = 0;
      while (System.nanoTime() < end) {
        slots.acquire();
        HttpRequest request =
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i++ % bodies.size())))
                .build();
        client
            .sendAsync(request, HttpResponse.BodyHandlers.discarding())
            .whenComplete(
                (response, error) -> {
                  (error == null && response.statusCode() == 200 ? ok : failed).incrementAndGet();
                  slots.release();
                });
      }
      slots.acquire(CONCURRENCY);
      long elapsed = System.nanoTime() - start;
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " bridge requests failed");
      }
      return new Result(ok.get(), ok.get() * POINTS_PER_REQUEST, elapsed, cpuNanos() - cpu0);
    }
  }

  private static Result plainProducer(
      String bootstrap, String topic, List<byte[]> bodies, Duration duration) throws Exception {
    RequestSplitter splitter = new RequestSplitter(900 * 1024);
    List<OtlpRecord> records = new ArrayList<>();
    for (byte[] body : bodies) {
      records.addAll(
          splitter
              .split(OtlpSignal.METRICS, ExportMetricsServiceRequest.parseFrom(body))
              .records());
    }
    Map<String, Object> config =
        new HashMap<>(KafkaWriter.producerConfig(8_000, 128L * 1024 * 1024));
    config.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      AtomicLong points = new AtomicLong();
      Semaphore window = new Semaphore(CONCURRENCY * SERVICES);
      long cpu0 = cpuNanos();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      int i = 0;
      while (System.nanoTime() < end) {
        OtlpRecord record = records.get(i++ % records.size());
        window.acquire();
        producer.send(
            new ProducerRecord<>(topic, record.service(), record.value()),
            (metadata, error) -> {
              if (error == null) {
                points.addAndGet(record.items());
              }
              window.release();
            });
      }
      producer.flush();
      long elapsed = System.nanoTime() - start;
      return new Result(i / SERVICES, points.get(), elapsed, cpuNanos() - cpu0);
    }
  }

  /** A request of {@value #POINTS_PER_REQUEST} gauge points over {@value #SERVICES} services. */
  private static ExportMetricsServiceRequest request(int seed) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int s = 0; s < SERVICES; s++) {
      Gauge.Builder gauge = Gauge.newBuilder();
      for (int p = 0; p < POINTS_PER_REQUEST / SERVICES; p++) {
        gauge.addDataPoints(
            NumberDataPoint.newBuilder()
                .setTimeUnixNano(now + p)
                .setAsDouble(seed * 31 + p * 0.5)
                .addAttributes(attribute("pod", "pod-" + (p % 20)))
                .addAttributes(attribute("route", "/api/" + (p % 7))));
      }
      request.addResourceMetrics(
          ResourceMetrics.newBuilder()
              .setResource(
                  Resource.newBuilder().addAttributes(attribute("service.name", "svc-" + s)))
              .addScopeMetrics(
                  ScopeMetrics.newBuilder()
                      .addMetrics(
                          Metric.newBuilder()
                              .setName("http.server.active_requests")
                              .setUnit("1")
                              .setGauge(gauge))));
    }
    return request.build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private record Result(long requests, long points, long elapsedNanos, long cpuNanos) {
    double pointsPerSecond() {
      return points / (elapsedNanos / 1e9);
    }

    double cpuPerSecond() {
      return cpuNanos / (double) elapsedNanos;
    }

    double pointsPerCpuSecond() {
      return points / (cpuNanos / 1e9);
    }
  }
}
