package dev.vigil.enrichment;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Telemetry made by the real OpenTelemetry Java SDK, serialized by the SDK's own OTLP marshalers
 * into the {@code Export*ServiceRequest} bytes its OTLP exporters send (and that the Collector's
 * Kafka exporter writes as {@code otlp_proto}). Time is the test's: the meter provider runs on a
 * settable clock, spans and logs carry explicit timestamps.
 */
final class SdkTelemetry {
  private SdkTelemetry() {}

  static Resource resource(String service) {
    return Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
  }

  static byte[] bytes(Marshaler marshaler) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      marshaler.writeBinaryTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A settable clock for the meter provider. */
  static final class TestClock implements Clock {
    private volatile long nanos;

    TestClock(Instant start) {
      set(start);
    }

    void set(Instant t) {
      nanos = TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }

    @Override
    public long now() {
      return nanos;
    }

    @Override
    public long nanoTime() {
      return nanos;
    }
  }

  /** Cumulative metrics of one service, collected on demand like a periodic reader would. */
  static final class Meters implements MetricReader {
    final TestClock clock;
    final SdkMeterProvider provider;
    private CollectionRegistration registration = CollectionRegistration.noop();

    Meters(String service, Instant start) {
      clock = new TestClock(start);
      provider =
          SdkMeterProvider.builder()
              .setClock(clock)
              .setResource(resource(service))
              .registerMetricReader(this)
              .build();
    }

    /** One export at {@code t}: an ExportMetricsServiceRequest. */
    byte[] collect(Instant t) {
      return bytes(MetricsRequestMarshaler.create(collectData(t)));
    }

    /** One collection at {@code t}, for an SDK exporter. */
    Collection<MetricData> collectData(Instant t) {
      clock.set(t);
      return registration.collectAllMetrics();
    }

    @Override
    public void register(CollectionRegistration collectionRegistration) {
      this.registration = collectionRegistration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Spans of one service, kept until exported as one request. */
  static final class Tracer implements SpanExporter {
    final SdkTracerProvider provider;
    final io.opentelemetry.api.trace.Tracer tracer;
    private final List<SpanData> finished = new ArrayList<>();

    Tracer(String service) {
      provider =
          SdkTracerProvider.builder()
              .setResource(resource(service))
              .addSpanProcessor(SimpleSpanProcessor.create(this))
              .build();
      tracer = provider.get("vigil-it");
    }

    Span start(String name, SpanKind kind, Context parent, Instant at) {
      return tracer
          .spanBuilder(name)
          .setSpanKind(kind)
          .setParent(parent)
          .setStartTimestamp(at)
          .startSpan();
    }

    static void end(Span span, Instant at, boolean failed) {
      if (failed) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end(at);
    }

    /** Every span finished since the last call, as one ExportTraceServiceRequest. */
    byte[] export() {
      return bytes(TraceRequestMarshaler.create(drain()));
    }

    /** Every span finished since the last call, for an SDK exporter. */
    synchronized List<SpanData> drain() {
      List<SpanData> spans = new ArrayList<>(finished);
      finished.clear();
      return spans;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      finished.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Log records of one service, kept until exported as one request. */
  static final class Logs implements LogRecordExporter {
    final SdkLoggerProvider provider;
    private final List<LogRecordData> finished = new ArrayList<>();

    Logs(String service) {
      provider =
          SdkLoggerProvider.builder()
              .setResource(resource(service))
              .addLogRecordProcessor(SimpleLogRecordProcessor.create(this))
              .build();
    }

    void emit(Instant at, Severity severity, String body) {
      provider
          .get("vigil-it")
          .logRecordBuilder()
          .setTimestamp(at)
          .setSeverity(severity)
          .setSeverityText(severity.name())
          .setBody(body)
          .emit();
    }

    byte[] export() {
      return bytes(LogsRequestMarshaler.create(drain()));
    }

    /** Every record emitted since the last call, for an SDK exporter. */
    synchronized List<LogRecordData> drain() {
      List<LogRecordData> logs = new ArrayList<>(finished);
      finished.clear();
      return logs;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<LogRecordData> logs) {
      finished.addAll(logs);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
