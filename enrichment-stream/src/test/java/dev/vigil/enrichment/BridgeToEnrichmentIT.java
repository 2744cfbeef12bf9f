package dev.vigil.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.bridge.BridgeApp;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole front of the pipeline as {@code vigil up} runs it: the real OpenTelemetry SDK exports
 * over OTLP/gRPC and OTLP/HTTP to the ingest bridge, which writes the raw topics of a real broker,
 * and the enrichment app turns them into signals and edges.
 */
@Timeout(180)
class BridgeToEnrichmentIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir Path stateDir;

  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));

  private static Instant at(int minute, int second) {
    return T0.plusSeconds(minute * 60L + second);
  }

  @Test
  void sdkExportsThroughTheBridgeBecomeSignalsAndEdges() throws Exception {
    ConfigDef definition = CoreConfig.definition();
    BridgeConfig.define(definition);
    EnrichmentConfig.define(definition);
    CoreConfig config =
        new CoreConfig(
            definition,
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "state.dir", stateDir.toString(),
                        "topic.partitions", "1",
                        "bridge.host", "127.0.0.1",
                        "bridge.grpc.port", "0",
                        "bridge.http.port", "0",
                        "enrichment.window.grace.ms", "10000")));
    TopicCatalog topics = TopicCatalog.create("", 1, (short) 1);
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    specs.add(topics.dlq(EnrichmentTopology.APP));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(specs).ok())
        .isTrue();
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    try (BridgeApp bridge = new BridgeApp.Definition().create(config, topics, registry);
        StreamsApp enrichment = new EnrichmentApp.Definition().create(config, topics, registry)) {
      bridge.start();
      enrichment.start();
      String grpc = "http://127.0.0.1:" + bridge.grpcPort();
      String http = "http://127.0.0.1:" + bridge.httpPort();
      var spanExporter = OtlpGrpcSpanExporter.builder().setEndpoint(grpc).build();
      var metricExporter =
          OtlpHttpMetricExporter.builder().setEndpoint(http + "/v1/metrics").build();
      var logExporter = OtlpHttpLogRecordExporter.builder().setEndpoint(http + "/v1/logs").build();

      SdkTelemetry.Tracer frontend = new SdkTelemetry.Tracer("frontend");
      SdkTelemetry.Tracer cart = new SdkTelemetry.Tracer("cart");
      SdkTelemetry.Meters meters = new SdkTelemetry.Meters("cart", at(0, 0));
      LongCounter orders = meters.provider.get("it").counterBuilder("orders").build();
      SdkTelemetry.Logs logs = new SdkTelemetry.Logs("cart");

      // Minute 0: two calls frontend -> cart of 40 and 60 ms, 3 + 4 orders, one error log.
      for (int i = 0; i < 2; i++) {
        Instant start = at(0, 10 + i * 20);
        Span client = frontend.start("GET cart", SpanKind.CLIENT, Context.root(), start);
        Span server = cart.start("GET /cart", SpanKind.SERVER, Context.root().with(client), start);
        SdkTelemetry.Tracer.end(server, start.plusMillis(35 + i * 20), false);
        SdkTelemetry.Tracer.end(client, start.plusMillis(40 + i * 20), false);
        orders.add(3 + i);
        ok(metricExporter.export(meters.collectData(start.plusSeconds(1))));
      }
      logs.emit(at(0, 45), Severity.ERROR, "card declined");
      ok(spanExporter.export(cart.drain()));
      ok(spanExporter.export(frontend.drain()));
      ok(logExporter.export(logs.drain()));
      // The bridge counts a request's items without decoding them, so a data point that does not
      // decode is accepted; the enrichment dead-letters its resource's record with the reason.
      HttpResponse<byte[]> corrupt =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(http + "/v1/metrics"))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(pointWithInvalidUtf8("cart")))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(corrupt.statusCode()).isEqualTo(200);

      // Minute 2, every source: closes minute 0.
      Span client = frontend.start("GET cart", SpanKind.CLIENT, Context.root(), at(2, 0));
      Span server = cart.start("GET /cart", SpanKind.SERVER, Context.root().with(client), at(2, 0));
      SdkTelemetry.Tracer.end(server, at(2, 0).plusMillis(1), false);
      SdkTelemetry.Tracer.end(client, at(2, 0).plusMillis(2), false);
      ok(spanExporter.export(cart.drain()));
      ok(spanExporter.export(frontend.drain()));
      ok(metricExporter.export(meters.collectData(at(2, 0))));
      logs.emit(at(2, 0), Severity.INFO, "tick");
      ok(logExporter.export(logs.drain()));

      List<ConsumerRecord<SeriesKey, SignalWindow>> signals =
          KAFKA.consumeUntil(
              topics.signals,
              records -> records.stream().map(r -> r.key().getSignal()).distinct().count() >= 6,
              Duration.ofSeconds(90));
      SignalWindow ordersWindow = only(signals, "orders");
      assertThat(ordersWindow.getType()).isEqualTo(SignalType.COUNTER);
      assertThat(ordersWindow.getSum()).as("3 + 4, the stream started at minute 0").isEqualTo(7.0);
      SignalWindow latency = only(signals, "span.duration");
      assertThat(latency.getCount()).isEqualTo(2);
      assertThat(latency.getSum()).isCloseTo(35.0 + 55.0, withinPercentage(0.01));
      assertThat(only(signals, "log.errors").getCount()).isEqualTo(1);

      List<ConsumerRecord<EdgeKey, EdgeWindow>> edges =
          KAFKA.consume(topics.edges, 1, Duration.ofSeconds(60));
      assertThat(edges.get(0).key()).isEqualTo(new EdgeKey("frontend", "cart"));
      assertThat(edges.get(0).value().getCalls()).isEqualTo(2);
      assertThat(edges.get(0).value().getP50()).isCloseTo(40.0, withinPercentage(1));
      ConsumerRecord<byte[], byte[]> dead =
          KAFKA
              .consumeRaw(topics.dlq(EnrichmentTopology.APP).name(), 1, Duration.ofSeconds(30))
              .get(0);
      assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("cart");
      assertThat(
              new String(
                  dead.headers().lastHeader(DeadLetters.HEADER_MESSAGE).value(),
                  StandardCharsets.UTF_8))
          .contains("UTF-8");
      spanExporter.close();
      metricExporter.close();
      logExporter.close();
    }
  }

  /**
   * An OTLP metrics request of one gauge point whose attribute key is not UTF-8: a valid request
   * with two bytes of the key overwritten, so every length in it stays right.
   */
  private static byte[] pointWithInvalidUtf8(String service) {
    byte[] request =
        Otlp.metrics(
                service,
                Metric.newBuilder()
                    .setName("stock")
                    .setGauge(
                        Gauge.newBuilder()
                            .addDataPoints(
                                NumberDataPoint.newBuilder()
                                    .setTimeUnixNano(Otlp.nanos(at(0, 50)))
                                    .setAsDouble(1)
                                    .addAttributes(Otlp.attribute("MARK", 1))))
                    .build())
            .toByteArray();
    byte[] mark = "MARK".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + mark.length <= request.length; i++) {
      if (Arrays.equals(request, i, i + mark.length, mark, 0, mark.length)) {
        request[i] = (byte) 0xff;
        request[i + 1] = (byte) 0xfe;
        return request;
      }
    }
    throw new AssertionError("the attribute key is not in the request");
  }

  private static void ok(CompletableResultCode result) {
    assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).as("export accepted").isTrue();
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
