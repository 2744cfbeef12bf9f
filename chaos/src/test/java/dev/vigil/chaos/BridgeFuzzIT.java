package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.bridge.BridgeApp;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.chaos.fuzz.Mutant;
import dev.vigil.chaos.fuzz.Mutation.Encoding;
import dev.vigil.chaos.fuzz.OtlpMutator;
import dev.vigil.chaos.fuzz.OtlpSamples;
import dev.vigil.chaos.fuzz.OtlpSkeleton;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 mutated OTLP payloads (protobuf and JSON, metrics, traces and logs) against the real
 * ingest bridge over OTLP/HTTP and OTLP/gRPC, with a known-good request after every nine. The
 * bridge must answer every one: a 2xx / OK, or a 4xx / INVALID_ARGUMENT / RESOURCE_EXHAUSTED with a
 * message, never a 5xx, INTERNAL or a dropped connection; its {@code /metrics} must add up to what
 * was sent, and every good request must be on the raw topics exactly once. A protobuf mutant is
 * accepted when it reads down to its items: the bridge does not decode their contents ({@link
 * OtlpSkeleton}).
 *
 * <p>The run is reproducible: mutant {@code i} is a function of {@link #SEED} and {@code i}.
 */
@Timeout(180)
class BridgeFuzzIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();

  static final long SEED = 20261204L;
  static final int MUTANTS = 10_000;
  static final int GOOD_EVERY = 10; // slot k is a good request when k % 10 == 0
  static final int SLOTS = MUTANTS + (MUTANTS + GOOD_EVERY - 2) / (GOOD_EVERY - 1);
  // 1 MiB: the 1.2 MB strings of HUGE_STRING are over it, the 300 KB ones under it.
  static final int MAX_REQUEST_BYTES = 1024 * 1024;
  static final int SENDERS = 6;
  private static final String JSON = "application/json";
  private static final String PROTOBUF = "application/x-protobuf";

  private static final Instant NOW = Instant.now();
  private static final TopicCatalog TOPICS = TopicCatalog.create("", 1, (short) 1);
  private static PrometheusMeterRegistry registry;
  private static BridgeApp bridge;
  private static ManagedChannel channel;
  private static HttpClient http;

  @BeforeAll
  static void startBridge() throws Exception {
    KAFKA.createTopics(TOPICS.otlpMetrics, TOPICS.otlpSpans, TOPICS.otlpLogs);
    ConfigDef definition = CoreConfig.definition();
    BridgeConfig.define(definition);
    CoreConfig config =
        new CoreConfig(
            definition,
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "bridge.host", "127.0.0.1",
                        "bridge.grpc.port", "0",
                        "bridge.http.port", "0",
                        "bridge.max.request.bytes", Integer.toString(MAX_REQUEST_BYTES))));
    registry = Metrics.newRegistry();
    bridge = new BridgeApp(new BridgeConfig(config), TOPICS, registry);
    bridge.start();
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", bridge.grpcPort())
            .usePlaintext()
            .maxInboundMessageSize(4 * MAX_REQUEST_BYTES)
            .build();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stopBridge() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  void everyMutantIsAnsweredWithA4xxOrAcceptedAndGoodRequestsArriveExactlyOnce() throws Exception {
    OtlpMutator mutator = new OtlpMutator(SEED);
    Tally tally = new Tally();
    Map<String, Message> good = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();

    // Deep stacks: encoding a 3,000-level nested attribute recurses that deep in the sender.
    AtomicInteger threads = new AtomicInteger();
    ExecutorService senders =
        Executors.newFixedThreadPool(
            SENDERS,
            task -> new Thread(null, task, "fuzz-sender-" + threads.incrementAndGet(), 64 << 20));
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      running.add(
          senders.submit(
              () -> {
                for (int k = next.getAndIncrement(); k < SLOTS; k = next.getAndIncrement()) {
                  send(k, mutator, tally, good);
                }
                return null;
              }));
    }
    for (Future<?> sender : running) {
      sender.get(150, TimeUnit.SECONDS);
    }
    senders.shutdown();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "BridgeFuzzIT: %d mutants + %d good requests in %.1f s (seed %d)%n%s%n",
        tally.mutants.sum(), good.size(), seconds, SEED, tally);

    // Every payload got an answer, and only answers a client can act on.
    assertThat(tally.unexpected).as("unexpected answers").isEmpty();
    assertThat(tally.mutants.sum()).isEqualTo(MUTANTS);
    assertThat(good).hasSize(SLOTS - MUTANTS);
    assertThat(tally.goodFailures).as("good requests not accepted").isEmpty();
    assertThat(tally.statuses.keySet())
        .allMatch(
            s ->
                s.equals("HTTP 200")
                    || s.equals("HTTP 400")
                    || s.equals("HTTP 413")
                    || s.equals("gRPC OK")
                    || s.equals("gRPC INVALID_ARGUMENT")
                    || s.equals("gRPC RESOURCE_EXHAUSTED"),
            "only 200/400/413 and OK/INVALID_ARGUMENT/RESOURCE_EXHAUSTED");
    // The fuzzing reached both sides of the bridge's decisions.
    assertThat(tally.count("HTTP 200")).isGreaterThan(1_000);
    assertThat(tally.count("HTTP 400")).isGreaterThan(1_000);
    assertThat(tally.count("HTTP 413")).isGreaterThan(50);
    assertThat(tally.count("gRPC INVALID_ARGUMENT")).isGreaterThan(100);
    assertThat(tally.count("gRPC RESOURCE_EXHAUSTED")).isGreaterThan(5);

    // The bridge is still up and its counters reconcile with what was sent.
    assertThat(bridge.healthCheck().live().getAsBoolean()).isTrue();
    assertThat(bridge.healthCheck().ready().getAsBoolean()).isTrue();
    assertThat(sum("vigil_bridge_requests_rejected_total", "protocol=\"http\""))
        .isEqualTo(tally.rejected(Transport.HTTP));
    assertThat(sum("vigil_bridge_requests_rejected_total", "protocol=\"grpc\""))
        .isEqualTo(tally.rejected(Transport.GRPC));
    for (OtlpSignal signal : OtlpSignal.values()) {
      String label = "signal=\"" + signal.name().toLowerCase(java.util.Locale.ROOT) + "\"";
      long received = tally.itemsReceived.get(signal).sum();
      long partial = tally.itemsPartiallyRejected.get(signal).sum();
      assertThat(sum("vigil_bridge_items_received_total", label)).as(label).isEqualTo(received);
      assertThat(sum("vigil_bridge_items_accepted_total", label))
          .as(label)
          .isEqualTo(received - partial);
      assertThat(sum("vigil_bridge_items_rejected_total", label)).as(label).isEqualTo(partial);
    }

    // Every good request is on its raw topic exactly once, as sent.
    Map<String, List<byte[]>> goodRecords = goodRecordsOnRawTopics();
    assertThat(goodRecords.keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
    for (Map.Entry<String, List<byte[]>> entry : goodRecords.entrySet()) {
      assertThat(entry.getValue()).as(entry.getKey()).hasSize(1);
      Message sent = good.get(entry.getKey());
      assertThat(sent.getParserForType().parseFrom(entry.getValue().get(0)))
          .as(entry.getKey())
          .isEqualTo(sent);
    }
  }

  /** Sends slot {@code k}: a good request or a mutant, over the transport its index picks. */
  private static void send(int k, OtlpMutator mutator, Tally tally, Map<String, Message> good) {
    // Independent of the mutator's own random source for slot k, so choices do not correlate.
    Random random = new Random((SEED << 20) ^ (k * 0x9E3779B97F4A7C15L));
    OtlpSignal signal = OtlpSignal.values()[random.nextInt(3)];
    Transport transport = Transport.values()[random.nextInt(Transport.values().length)];
    Encoding encoding =
        transport == Transport.GRPC
            ? Encoding.PROTOBUF
            : random.nextBoolean() ? Encoding.PROTOBUF : Encoding.JSON;
    if (k % GOOD_EVERY == 0) {
      String service = "good-" + k;
      Message request = OtlpSamples.sample(signal, service, NOW, random);
      good.put(service, request);
      Answer answer =
          transport.send(signal, encoding, OtlpMutator.encode(request, encoding), random);
      if (!answer.ok() || answer.partiallyRejected() != 0) {
        tally.goodFailures.add(service + " over " + transport + ": " + answer);
      }
      tally.record(transport, signal, answer, items(request), null);
      return;
    }
    Message sample = OtlpSamples.sample(signal, "fuzz-" + k, NOW, random);
    Mutant mutant = mutator.mutate(k, signal, sample, encoding);
    Answer answer = transport.send(signal, encoding, mutant.bytes(), random);
    int items = answer.ok() ? acceptedItems(mutant, tally) : 0;
    tally.record(transport, signal, answer, items, mutant);
  }

  /**
   * Items of an accepted mutant, counted as the bridge reads it: OTLP/JSON decoded whole, protobuf
   * down to its items, whose contents the enrichment decodes (and dead-letters when they do not).
   */
  private static int acceptedItems(Mutant mutant, Tally tally) {
    try {
      if (mutant.encoding() == Encoding.JSON) {
        return items(decode(mutant));
      }
      int items = OtlpSkeleton.items(mutant.signal(), mutant.bytes());
      try {
        decode(mutant);
      } catch (InvalidProtocolBufferException e) {
        tally.acceptedWithUndecodableItems.increment();
      }
      return items;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(
          "the bridge accepted " + mutant + " that does not read as the bridge reads it", e);
    }
  }

  /** Decodes a mutant whole. */
  private static Message decode(Mutant mutant) throws InvalidProtocolBufferException {
    if (mutant.encoding() == Encoding.JSON) {
      return switch (mutant.signal()) {
        case METRICS -> OtlpJson.metrics(mutant.bytes());
        case TRACES -> OtlpJson.traces(mutant.bytes());
        case LOGS -> OtlpJson.logs(mutant.bytes());
      };
    }
    return switch (mutant.signal()) {
      case METRICS -> ExportMetricsServiceRequest.parseFrom(mutant.bytes());
      case TRACES -> ExportTraceServiceRequest.parseFrom(mutant.bytes());
      case LOGS -> ExportLogsServiceRequest.parseFrom(mutant.bytes());
    };
  }

  /** Items as the bridge counts them: data points, spans, log records. */
  static int items(Message request) {
    int items = 0;
    if (request instanceof ExportMetricsServiceRequest metrics) {
      for (ResourceMetrics resource : metrics.getResourceMetricsList()) {
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          for (Metric metric : scope.getMetricsList()) {
            items +=
                switch (metric.getDataCase()) {
                  case GAUGE -> metric.getGauge().getDataPointsCount();
                  case SUM -> metric.getSum().getDataPointsCount();
                  case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
                  case EXPONENTIAL_HISTOGRAM ->
                      metric.getExponentialHistogram().getDataPointsCount();
                  case SUMMARY -> metric.getSummary().getDataPointsCount();
                  case DATA_NOT_SET -> 0;
                };
          }
        }
      }
    } else if (request instanceof ExportTraceServiceRequest traces) {
      for (ResourceSpans resource : traces.getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          items += scope.getSpansCount();
        }
      }
    } else if (request instanceof ExportLogsServiceRequest logs) {
      for (ResourceLogs resource : logs.getResourceLogsList()) {
        for (ScopeLogs scope : resource.getScopeLogsList()) {
          items += scope.getLogRecordsCount();
        }
      }
    }
    return items;
  }

  /** Reads the three raw topics to their end; the records of good requests by key. */
  private static Map<String, List<byte[]>> goodRecordsOnRawTopics() {
    Map<String, List<byte[]>> byKey = new HashMap<>();
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            4 * 1024 * 1024);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic :
          List.of(TOPICS.otlpMetrics.name(), TOPICS.otlpSpans.name(), TOPICS.otlpLogs.name())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("raw topics read within 60 s").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() != null && record.key().startsWith("good-")) {
            byKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value());
          }
        }
      }
    }
    return byKey;
  }

  /** Sum of every sample of a metric whose labels contain {@code label}. */
  private static long sum(String metric, String label) {
    return Math.round(
        registry
            .scrape()
            .lines()
            .filter(line -> line.startsWith(metric + "{") && line.contains(label))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum());
  }

  /** The bridge's answer to one request. */
  record Answer(String status, boolean ok, String message, long partiallyRejected) {}

  /** The three ways in: OTLP/HTTP protobuf or JSON (per request), and OTLP/gRPC. */
  enum Transport {
    HTTP {
      @Override
      Answer send(OtlpSignal signal, Encoding encoding, byte[] body, Random random) {
        String type = encoding == Encoding.JSON ? JSON : PROTOBUF;
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + bridge.httpPort()
                            + "/v1/"
                            + signal.name().toLowerCase(java.util.Locale.ROOT)))
                .header("Content-Type", type)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
          response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
          return new Answer("HTTP no answer: " + e, false, null, 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        String status = "HTTP " + response.statusCode();
        boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith(JSON);
        try {
          if (response.statusCode() == 200) {
            return new Answer(status, true, null, partiallyRejected(signal, response.body(), json));
          }
          com.google.rpc.Status.Builder error = com.google.rpc.Status.newBuilder();
          if (json) {
            JsonFormat.parser().merge(new String(response.body(), StandardCharsets.UTF_8), error);
          } else {
            error.mergeFrom(response.body());
          }
          return new Answer(status, false, error.getMessage(), 0);
        } catch (InvalidProtocolBufferException e) {
          return new Answer(status + " with an unreadable body: " + e, false, null, 0);
        }
      }
    },
    HTTP_AGAIN { // a second HTTP entry makes HTTP two thirds of the traffic
      @Override
      Answer send(OtlpSignal signal, Encoding encoding, byte[] body, Random random) {
        return HTTP.send(signal, encoding, body, random);
      }
    },
    GRPC {
      @Override
      Answer send(OtlpSignal signal, Encoding encoding, byte[] body, Random random) {
        MethodDescriptor<byte[], byte[]> method = RAW_METHODS.get(signal);
        try {
          byte[] response =
              ClientCalls.blockingUnaryCall(
                  channel,
                  method,
                  CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                  body);
          return new Answer("gRPC OK", true, null, partiallyRejected(signal, response, false));
        } catch (StatusRuntimeException e) {
          Status status = e.getStatus();
          return new Answer("gRPC " + status.getCode(), false, status.getDescription(), 0);
        } catch (InvalidProtocolBufferException e) {
          return new Answer("gRPC OK with an unreadable body: " + e, false, null, 0);
        }
      }
    };

    abstract Answer send(OtlpSignal signal, Encoding encoding, byte[] body, Random random);

    Transport protocol() {
      return this == HTTP_AGAIN ? HTTP : this;
    }
  }

  private static final Map<OtlpSignal, MethodDescriptor<byte[], byte[]>> RAW_METHODS =
      new EnumMap<>(
          Map.of(
              OtlpSignal.METRICS, raw(MetricsServiceGrpc.getExportMethod().getFullMethodName()),
              OtlpSignal.TRACES, raw(TraceServiceGrpc.getExportMethod().getFullMethodName()),
              OtlpSignal.LOGS, raw(LogsServiceGrpc.getExportMethod().getFullMethodName())));

  private static MethodDescriptor<byte[], byte[]> raw(String fullMethodName) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(new Bytes())
        .setResponseMarshaller(new Bytes())
        .build();
  }

  /** The rejected item count of a success response's {@code partial_success}. */
  private static long partiallyRejected(OtlpSignal signal, byte[] body, boolean json)
      throws InvalidProtocolBufferException {
    Message.Builder response =
        switch (signal) {
          case METRICS -> ExportMetricsServiceResponse.newBuilder();
          case TRACES -> ExportTraceServiceResponse.newBuilder();
          case LOGS -> ExportLogsServiceResponse.newBuilder();
        };
    if (json) {
      JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), response);
    } else {
      response.mergeFrom(body);
    }
    Message built = response.build();
    if (built instanceof ExportMetricsServiceResponse m) {
      return m.getPartialSuccess().getRejectedDataPoints();
    }
    if (built instanceof ExportTraceServiceResponse t) {
      return t.getPartialSuccess().getRejectedSpans();
    }
    return ((ExportLogsServiceResponse) built).getPartialSuccess().getRejectedLogRecords();
  }

  /** What came back, by status and by mutation, and what the metrics should say. */
  static final class Tally {
    final LongAdder mutants = new LongAdder();
    final LongAdder acceptedWithUndecodableItems = new LongAdder();
    final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    final Map<String, LongAdder> byMutation = new ConcurrentHashMap<>();
    final Map<Transport, LongAdder> rejected = new ConcurrentHashMap<>();
    final Map<OtlpSignal, LongAdder> itemsReceived = new EnumMap<>(OtlpSignal.class);
    final Map<OtlpSignal, LongAdder> itemsPartiallyRejected = new EnumMap<>(OtlpSignal.class);
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    final List<String> goodFailures = Collections.synchronizedList(new ArrayList<>());

    Tally() {
      for (OtlpSignal signal : OtlpSignal.values()) {
        itemsReceived.put(signal, new LongAdder());
        itemsPartiallyRejected.put(signal, new LongAdder());
      }
    }

    void record(Transport transport, OtlpSignal signal, Answer answer, int items, Mutant mutant) {
      statuses.computeIfAbsent(answer.status(), s -> new LongAdder()).increment();
      if (answer.ok()) {
        itemsReceived.get(signal).add(items);
        itemsPartiallyRejected.get(signal).add(answer.partiallyRejected());
      } else {
        rejected.computeIfAbsent(transport.protocol(), t -> new LongAdder()).increment();
        boolean expected =
            answer.status().equals("HTTP 400")
                || answer.status().equals("HTTP 413")
                || answer.status().equals("gRPC INVALID_ARGUMENT")
                || answer.status().equals("gRPC RESOURCE_EXHAUSTED");
        if (!expected || answer.message() == null || answer.message().isBlank()) {
          unexpected.add((mutant == null ? "good request" : mutant.toString()) + " → " + answer);
        }
      }
      if (mutant != null) {
        mutants.increment();
        byMutation
            .computeIfAbsent(
                mutant.mutation() + " " + mutant.encoding() + " → " + answer.status(),
                s -> new LongAdder())
            .increment();
      }
    }

    long count(String status) {
      LongAdder adder = statuses.get(status);
      return adder == null ? 0 : adder.sum();
    }

    long rejected(Transport transport) {
      LongAdder adder = rejected.get(transport);
      return adder == null ? 0 : adder.sum();
    }

    @Override
    public String toString() {
      StringBuilder text =
          new StringBuilder("accepted protobuf mutants whose items do not decode: ")
              .append(acceptedWithUndecodableItems.sum())
              .append("\nanswers:");
      new TreeMap<>(statuses)
          .forEach((s, n) -> text.append("\n  ").append(s).append(": ").append(n));
      text.append("\nby mutation:");
      new TreeMap<>(byMutation)
          .forEach((s, n) -> text.append("\n  ").append(s).append(": ").append(n));
      return text.toString();
    }
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
