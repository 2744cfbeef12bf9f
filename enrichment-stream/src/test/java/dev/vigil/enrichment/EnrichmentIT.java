package dev.vigil.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enrichment app on a real KRaft broker, fed as the Collector's Kafka exporter feeds it:
 * serialized {@code Export*ServiceRequest}s (otlp_proto) that the real OpenTelemetry SDK produced,
 * on the raw topics. Reads {@code vigil.signals.1m}, {@code vigil.edges.1m} and the DLQ back.
 */
@Timeout(180)
class EnrichmentIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  // Event time in the recent past: the broker refuses timestamps far in the future.
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
  private static TopicCatalog topics;
  private static PrometheusMeterRegistry registry;
  private static StreamsApp app;

  private static Instant at(int minute, int second) {
    return T0.plusSeconds(minute * 60L + second);
  }

  @BeforeAll
  static void startApp() throws Exception {
    EnrichmentConfig config =
        EnrichmentConfig.load(
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers",
                        KAFKA.bootstrapServers(),
                        "state.dir",
                        stateDir.toString(),
                        // One partition: every window closes on the one watermark of its task.
                        "topic.partitions",
                        "1",
                        "enrichment.window.grace.ms",
                        "10000")));
    topics =
        TopicCatalog.create(
            config.core().topicPrefix(),
            config.core().topicPartitions(),
            config.core().topicReplicationFactor());
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    specs.add(topics.dlq(EnrichmentTopology.APP));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(specs).ok())
        .isTrue();
    KAFKA.produce(
        topics.catalog,
        Map.entry(
            "cart",
            ServiceInfo.newBuilder()
                .setService("cart")
                .setTeam("shop")
                .setTier(1)
                .setDomain("commerce")
                .build()));
    registry = Metrics.newRegistry();
    app = new EnrichmentApp.Definition().create(config.core(), topics, registry);
    app.start();
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void turnsSdkTelemetryIntoSignalsAndEdges() throws Exception {
    // Metrics of cart, cumulative as the SDK exports them by default: 5 then 12 orders, three
    // request durations of 10, 20 and 30 ms; the stream started at 00:00, so it counts from 0.
    SdkTelemetry.Meters meters = new SdkTelemetry.Meters("cart", at(0, 0));
    var meter = meters.provider.get("vigil-it");
    LongCounter orders = meter.counterBuilder("orders").build();
    DoubleHistogram duration =
        meter.histogramBuilder("http.server.request.duration").setUnit("ms").build();
    Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/cart");
    orders.add(5, route);
    duration.record(10, route);
    duration.record(20, route);
    raw(topics.otlpMetrics, meters.collect(at(0, 10)));
    orders.add(7, route);
    duration.record(30, route);
    raw(topics.otlpMetrics, meters.collect(at(0, 40)));

    // A trace: frontend's client span (50 ms) calls cart, whose server span (45 ms) fails.
    SdkTelemetry.Tracer frontend = new SdkTelemetry.Tracer("frontend");
    SdkTelemetry.Tracer cart = new SdkTelemetry.Tracer("cart");
    Span client = frontend.start("GET cart", SpanKind.CLIENT, Context.root(), at(0, 20));
    Span server = cart.start("GET /cart", SpanKind.SERVER, Context.root().with(client), at(0, 20));
    SdkTelemetry.Tracer.end(server, at(0, 20).plusMillis(45), true);
    SdkTelemetry.Tracer.end(client, at(0, 20).plusMillis(50), false);
    raw(topics.otlpSpans, cart.export());
    raw(topics.otlpSpans, frontend.export());

    // Logs of cart: two errors and a warning.
    SdkTelemetry.Logs logs = new SdkTelemetry.Logs("cart");
    logs.emit(at(0, 30), Severity.ERROR, "payment declined");
    logs.emit(at(0, 31), Severity.ERROR, "payment declined");
    logs.emit(at(0, 32), Severity.WARN, "slow");
    raw(topics.otlpLogs, logs.export());

    // A poison record on the span topic: dead-lettered, the stream carries on.
    KAFKA.produceRaw(
        topics.otlpSpans.name(), "bad".getBytes(StandardCharsets.UTF_8), new byte[] {0x00, 0x13});

    // Two minutes later, on every source: closes the windows of minute 0 (grace 10 s).
    raw(topics.otlpMetrics, meters.collect(at(2, 0)));
    Span tickClient = frontend.start("GET cart", SpanKind.CLIENT, Context.root(), at(2, 0));
    Span tickServer =
        cart.start("GET /cart", SpanKind.SERVER, Context.root().with(tickClient), at(2, 0));
    SdkTelemetry.Tracer.end(tickServer, at(2, 0).plusMillis(1), false);
    SdkTelemetry.Tracer.end(tickClient, at(2, 0).plusMillis(2), false);
    raw(topics.otlpSpans, cart.export());
    raw(topics.otlpSpans, frontend.export());
    logs.emit(at(2, 0), Severity.INFO, "tick");
    raw(topics.otlpLogs, logs.export());

    // orders, request duration, span.duration/calls/errors, log.errors/warnings = 7.
    List<ConsumerRecord<SeriesKey, SignalWindow>> signals =
        KAFKA.consume(topics.signals, 7, Duration.ofSeconds(90));
    SignalWindow ordersWindow = only(signals, "orders");
    assertThat(ordersWindow.getWindowStart()).isEqualTo(at(0, 0));
    assertThat(ordersWindow.getType()).isEqualTo(SignalType.COUNTER);
    assertThat(ordersWindow.getSum()).isEqualTo(12.0);
    assertThat(ordersWindow.getTeam()).isEqualTo("shop");
    assertThat(ordersWindow.getTier()).isEqualTo(1);

    SignalWindow latency = only(signals, "http.server.request.duration");
    assertThat(latency.getType()).isEqualTo(SignalType.LATENCY);
    assertThat(latency.getCount()).isEqualTo(3);
    assertThat(latency.getSum()).isEqualTo(60.0);
    // SDK default buckets: 10 in (5,10], 20 in (10,25], 30 in (25,50]; midpoints 7.5, 17.5,
    // 37.5; the median (rank 1) is 17.5. Min and max are exact (10 and 30).
    assertThat(latency.getMin()).isEqualTo(10.0);
    assertThat(latency.getMax()).isEqualTo(30.0);
    assertThat(latency.getP50()).isCloseTo(17.5, withinPercentage(1));

    SignalWindow red = only(signals, "span.duration");
    assertThat(red.getCount()).isEqualTo(1);
    assertThat(red.getErrors()).isEqualTo(1);
    assertThat(red.getSum()).isCloseTo(45.0, within(1e-6));
    assertThat(only(signals, "span.errors").getSum()).isEqualTo(1.0);
    assertThat(only(signals, "log.errors").getCount()).isEqualTo(2);
    assertThat(only(signals, "log.warnings").getCount()).isEqualTo(1);

    List<ConsumerRecord<EdgeKey, EdgeWindow>> edges =
        KAFKA.consume(topics.edges, 1, Duration.ofSeconds(60));
    assertThat(edges.get(0).key()).isEqualTo(new EdgeKey("frontend", "cart"));
    EdgeWindow edge = edges.get(0).value();
    assertThat(edge.getCalls()).isEqualTo(1);
    assertThat(edge.getErrors()).isEqualTo(1);
    assertThat(edge.getServerKind()).isEqualTo(NodeKind.SERVICE);
    assertThat(edge.getP50()).isCloseTo(50.0, withinPercentage(1));

    var dead =
        KAFKA.consumeRaw(topics.dlq(EnrichmentTopology.APP).name(), 1, Duration.ofSeconds(30));
    assertThat(
            new String(
                dead.get(0).headers().lastHeader("vigil.error.message").value(),
                StandardCharsets.UTF_8))
        .contains("cannot decode OTLP traces record");
    assertThat(dead.get(0).value()).containsExactly(0x00, 0x13);

    await("counters on /metrics")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry.scrape())
                    .contains("vigil_enrichment_accepted_total{source=\"spans\"} 2.0")
                    .contains("vigil_enrichment_late_total{source=\"metrics\"} 0.0")
                    .contains(
                        "vigil_dlq_records_total{app=\"enrichment\",stage=\"deserialization\"} 1.0"));
    assertThat(app.state().name()).isEqualTo("RUNNING");
  }

  private static void raw(TopicSpec<String, byte[]> topic, byte[] request) throws Exception {
    KAFKA.produceRaw(topic.name(), null, request);
  }

  private static SignalWindow only(
      List<ConsumerRecord<SeriesKey, SignalWindow>> records, String signal) {
    List<SignalWindow> matching =
        records.stream()
            .filter(r -> r.key().getSignal().equals(signal))
            .filter(r -> r.value().getWindowStart().equals(T0))
            .map(ConsumerRecord::value)
            .toList();
    assertThat(matching).as("windows of %s at %s", signal, T0).hasSize(1);
    return matching.get(0);
  }
}
