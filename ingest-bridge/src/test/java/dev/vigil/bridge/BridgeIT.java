package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.RequiredBinary;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real OpenTelemetry Java SDK exports metrics, traces and logs to the bridge over OTLP/gRPC and
 * OTLP/HTTP; what lands on the real broker decodes to the same data, keyed by service, and a
 * foreign client (kcat) reads it.
 */
@Timeout(180)
class BridgeIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static BridgeFixture fixture;

  @BeforeAll
  static void startBridge() throws Exception {
    fixture = new BridgeFixture(KAFKA.bootstrapServers(), Map.of());
    KAFKA.createTopics(
        fixture.topics.otlpMetrics, fixture.topics.otlpSpans, fixture.topics.otlpLogs);
  }

  @AfterAll
  static void stopBridge() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void sdkExportsOverGrpcLandInKafkaAsCollectorRecords() throws Exception {
    String endpoint = fixture.grpcEndpoint("http");
    exportAndVerify(
        "checkout-grpc",
        OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build(),
        OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).build(),
        OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint).build());
    assertThat(fixture.metric("vigil_bridge_items_accepted_total{signal=\"traces\"}"))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void sdkExportsOverHttpProtobufLandInKafkaAsCollectorRecords() throws Exception {
    String endpoint = fixture.httpEndpoint("http");
    exportAndVerify(
        "checkout-http",
        OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build(),
        OtlpHttpMetricExporter.builder().setEndpoint(endpoint + "/v1/metrics").build(),
        OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint + "/v1/logs").build());
  }

  @Test
  void kcatReadsTheRecordsTheBridgeWrote() throws Exception {
    String kcat = RequiredBinary.require("kcat", "kcat").toString();
    String endpoint = fixture.grpcEndpoint("http");
    List<String> traceIds =
        exportSpans("kcat-reader", OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build(), 1);

    Process process =
        new ProcessBuilder(
                kcat,
                "-b",
                KAFKA.bootstrapServers(),
                "-C",
                "-t",
                fixture.topics.otlpSpans.name(),
                "-e",
                "-f",
                "%k %S\\n")
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("(?m)^kcat-reader \\d+$");
    assertThat(traceIds).hasSize(1);
  }

  private static void exportAndVerify(
      String service, SpanExporter spans, MetricExporter metrics, LogRecordExporter logs)
      throws Exception {
    List<String> traceIds = exportSpans(service, spans, 3);
    exportMetrics(service, metrics);
    exportLogs(service, logs);

    List<io.opentelemetry.proto.trace.v1.Span> received = new ArrayList<>();
    KAFKA.consumeUntil(
        fixture.topics.otlpSpans,
        records -> {
          received.clear();
          received.addAll(spansOf(records, service));
          return received.size() >= 3;
        },
        WAIT);
    assertThat(received)
        .extracting(io.opentelemetry.proto.trace.v1.Span::getName)
        .containsExactlyInAnyOrder("GET /cart", "POST /pay", "GET /cart");
    assertThat(received)
        .extracting(s -> java.util.HexFormat.of().formatHex(s.getTraceId().toByteArray()))
        .containsExactlyInAnyOrderElementsOf(traceIds);
    assertThat(received.get(0).getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("http.route");
              assertThat(kv.getValue().getStringValue()).isIn("/cart", "/pay");
            });

    List<Metric> metricsReceived = new ArrayList<>();
    KAFKA.consumeUntil(
        fixture.topics.otlpMetrics,
        records -> {
          metricsReceived.clear();
          metricsReceived.addAll(metricsOf(records, service));
          return metricsReceived.stream().anyMatch(m -> m.getName().equals("orders.placed"));
        },
        WAIT);
    Metric orders =
        metricsReceived.stream()
            .filter(m -> m.getName().equals("orders.placed"))
            .findFirst()
            .orElseThrow();
    assertThat(orders.getSum().getDataPoints(0).getAsInt()).as("a long counter").isEqualTo(5);
    Metric duration =
        metricsReceived.stream()
            .filter(m -> m.getName().equals("checkout.duration"))
            .findFirst()
            .orElseThrow();
    assertThat(duration.getHistogram().getDataPoints(0).getCount()).isEqualTo(2);
    assertThat(duration.getHistogram().getDataPoints(0).getSum()).isEqualTo(330.0);

    List<LogRecord> logsReceived = new ArrayList<>();
    KAFKA.consumeUntil(
        fixture.topics.otlpLogs,
        records -> {
          logsReceived.clear();
          logsReceived.addAll(logsOf(records, service));
          return !logsReceived.isEmpty();
        },
        WAIT);
    assertThat(logsReceived)
        .singleElement()
        .satisfies(
            log -> {
              assertThat(log.getBody().getStringValue()).isEqualTo("payment declined");
              assertThat(log.getSeverityNumberValue())
                  .isEqualTo(Severity.ERROR.getSeverityNumber());
            });
  }

  private static List<String> exportSpans(String service, SpanExporter exporter, int count) {
    List<String> traceIds = new ArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource(service))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    try {
      var tracer = provider.get("bridge-it");
      for (int i = 0; i < count; i++) {
        String route = i == 1 ? "/pay" : "/cart";
        Span span =
            tracer
                .spanBuilder(i == 1 ? "POST /pay" : "GET /cart")
                .setAttribute("http.route", route)
                .startSpan();
        traceIds.add(span.getSpanContext().getTraceId());
        span.end();
      }
      assertSuccess(provider.forceFlush(), "span export");
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    return traceIds;
  }

  private static void exportMetrics(String service, MetricExporter exporter) {
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(resource(service))
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    try {
      var meter = provider.get("bridge-it");
      meter
          .counterBuilder("orders.placed")
          .build()
          .add(5, Attributes.of(AttributeKey.stringKey("region"), "eu"));
      var histogram = meter.histogramBuilder("checkout.duration").setUnit("ms").build();
      histogram.record(120);
      histogram.record(210);
      assertSuccess(provider.forceFlush(), "metric export");
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static void exportLogs(String service, LogRecordExporter exporter) {
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(resource(service))
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
            .build();
    try {
      provider
          .get("bridge-it")
          .logRecordBuilder()
          .setSeverity(Severity.ERROR)
          .setBody("payment declined")
          .emit();
      assertSuccess(provider.forceFlush(), "log export");
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static void assertSuccess(CompletableResultCode result, String what) {
    assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).as(what + " succeeded").isTrue();
  }

  private static io.opentelemetry.sdk.resources.Resource resource(String service) {
    return io.opentelemetry.sdk.resources.Resource.getDefault()
        .merge(
            io.opentelemetry.sdk.resources.Resource.create(
                Attributes.of(AttributeKey.stringKey("service.name"), service)));
  }

  static List<io.opentelemetry.proto.trace.v1.Span> spansOf(
      List<ConsumerRecord<String, byte[]>> records, String service) {
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : ofService(records, service)) {
      ExportTraceServiceRequest request =
          parse(() -> ExportTraceServiceRequest.parseFrom(record.value()));
      assertThat(request.getResourceSpansCount()).as("one resource per record").isEqualTo(1);
      request
          .getResourceSpans(0)
          .getScopeSpansList()
          .forEach(scope -> spans.addAll(scope.getSpansList()));
    }
    return spans;
  }

  private static List<Metric> metricsOf(
      List<ConsumerRecord<String, byte[]>> records, String service) {
    List<Metric> metrics = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : ofService(records, service)) {
      ExportMetricsServiceRequest request =
          parse(() -> ExportMetricsServiceRequest.parseFrom(record.value()));
      request
          .getResourceMetrics(0)
          .getScopeMetricsList()
          .forEach(scope -> metrics.addAll(scope.getMetricsList()));
    }
    return metrics;
  }

  private static List<LogRecord> logsOf(
      List<ConsumerRecord<String, byte[]>> records, String service) {
    List<LogRecord> logs = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : ofService(records, service)) {
      ExportLogsServiceRequest request =
          parse(() -> ExportLogsServiceRequest.parseFrom(record.value()));
      request
          .getResourceLogs(0)
          .getScopeLogsList()
          .forEach(scope -> logs.addAll(scope.getLogRecordsList()));
    }
    return logs;
  }

  private static List<ConsumerRecord<String, byte[]>> ofService(
      List<ConsumerRecord<String, byte[]>> records, String service) {
    return records.stream().filter(r -> service.equals(r.key())).toList();
  }

  private interface Parse<T> {
    T run() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parse<T> parse) {
    try {
      return parse.run();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("record is not OTLP protobuf", e);
    }
  }

  static String json(TopicSpec<String, byte[]> topic, ConsumerRecord<String, byte[]> record)
      throws Exception {
    return OtlpJson.print(ExportTraceServiceRequest.parseFrom(record.value()));
  }
}
