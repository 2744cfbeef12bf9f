package dev.vigil.bridge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scan reads each resource and item count exactly as decoding the whole request with the
 * generated classes does, including protobuf's rules for repeated and unknown fields.
 */
class ResourceScanTest {

  @Test
  void agreesWithTheDecodedRequestForEverySignalAndMetricType() throws Exception {
    ExportMetricsServiceRequest metrics =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Otlp.resource("cart"))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(gauge(2))
                            .addMetrics(sum(3))
                            .addMetrics(
                                Metric.newBuilder()
                                    .setHistogram(
                                        Histogram.newBuilder()
                                            .addDataPoints(HistogramDataPoint.getDefaultInstance())
                                            .addDataPoints(
                                                HistogramDataPoint.getDefaultInstance()))))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setExponentialHistogram(
                                        ExponentialHistogram.newBuilder()
                                            .addDataPoints(
                                                ExponentialHistogramDataPoint
                                                    .getDefaultInstance())))
                            .addMetrics(
                                Metric.newBuilder()
                                    .setSummary(
                                        Summary.newBuilder()
                                            .addDataPoints(SummaryDataPoint.getDefaultInstance())))
                            .addMetrics(Metric.newBuilder().setName("no-data"))))
            .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Otlp.resource("search")))
            .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scopeOf(gauge(4))))
            .build();
    ExportTraceServiceRequest traces =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(RequestSplitterTest.resourceSpans("checkout", 3, 10))
            .addResourceSpans(RequestSplitterTest.resourceSpans("payment", 2, 10))
            .build();
    ExportLogsServiceRequest logs =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(Otlp.resource("fraud"))
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(LogRecord.getDefaultInstance())
                            .addLogRecords(LogRecord.getDefaultInstance()))
                    .addScopeLogs(
                        ScopeLogs.newBuilder().addLogRecords(LogRecord.getDefaultInstance())))
            .build();

    assertAgrees(OtlpSignal.METRICS, metrics.toByteArray(), List.of(2 + 3 + 2 + 1 + 1, 0, 4));
    assertAgrees(OtlpSignal.TRACES, traces.toByteArray(), List.of(3, 2));
    assertAgrees(OtlpSignal.LOGS, logs.toByteArray(), List.of(3));
  }

  @Test
  void readsRepeatedAndUnknownFieldsAsProtobufDoes() throws Exception {
    // A resource in two occurrences merges; a metric's data in two occurrences of one case merges,
    // and a later case replaces an earlier one; unknown fields, and known numbers with another
    // wire type, are skipped at every level. (A return to an earlier case is left out: protobuf-
    // java's builders then merge into the earlier value, which the specification does not ask
    // for and no encoder writes.)
    byte[] metric =
        concat(
            gauge(2).toByteArray(),
            gauge(3).toByteArray(),
            varint(99, 7),
            varint(5, 1),
            sum(1).toByteArray(),
            sum(2).toByteArray());
    byte[] scope = concat(message(2, metric), varint(2, 3), message(2, gauge(1).toByteArray()));
    byte[] batch =
        concat(
            message(1, Resource.newBuilder().addAttributes(Otlp.attribute("a", 1)).build()),
            message(2, scope),
            varint(2, 1),
            message(1, Otlp.resource("inventory")),
            message(77, new byte[] {1, 2, 3}));
    byte[] request = concat(varint(9, 1), message(1, batch), message(1, batch));

    ExportMetricsServiceRequest decoded = ExportMetricsServiceRequest.parseFrom(request);
    assertThat(decoded.getResourceMetrics(0).getResource().getAttributesCount())
        .isEqualTo(1 + Otlp.resource("inventory").getAttributesCount());
    assertAgrees(OtlpSignal.METRICS, request, List.of(1 + 2 + 1, 1 + 2 + 1));
  }

  @Test
  void refusesWhatProtobufRefusesAtTheLevelsItReads() {
    byte[] request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(RequestSplitterTest.resourceSpans("checkout", 3, 10))
            .build()
            .toByteArray();

    assertThatThrownBy(
            () -> ResourceScan.scan(OtlpSignal.TRACES, Arrays.copyOf(request, request.length - 1)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> ResourceScan.scan(OtlpSignal.TRACES, new byte[] {0x0a, 0x7f, 0x01}))
        .isInstanceOf(IOException.class);
    // An end-group tag with no group open.
    assertThatThrownBy(() -> ResourceScan.scan(OtlpSignal.TRACES, new byte[] {0x0c}))
        .isInstanceOf(IOException.class);
  }

  @Test
  void countsItemsWithoutDecodingThemAndForwardsThemAsTheyCame() throws Exception {
    // A data point whose attribute key is not UTF-8: protobuf refuses the request, the scan does
    // not read inside the point. The enrichment decodes it and sends its record to the DLQ.
    byte[] badKey = concat(message(1, new byte[] {(byte) 0xff, (byte) 0xfe}));
    byte[] point = message(7, badKey);
    byte[] request =
        message(
            1,
            concat(
                message(1, Otlp.resource("cart")),
                message(2, message(2, message(5, message(1, point))))));

    assertThatThrownBy(() -> ExportMetricsServiceRequest.parseFrom(request))
        .hasMessageContaining("UTF-8");
    List<ResourceScan.Batch> batches = ResourceScan.scan(OtlpSignal.METRICS, request);
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).items()).isEqualTo(1);
    SplitRequest split = new RequestSplitter(1_000_000).split(OtlpSignal.METRICS, request);
    assertThat(split.records()).extracting(OtlpRecord::service).containsExactly("cart");
    assertThat(split.records().get(0).value()).isEqualTo(request);
  }

  private static void assertAgrees(OtlpSignal signal, byte[] request, List<Integer> items)
      throws Exception {
    Message decoded = OtlpDecoder.protobuf(signal, request);
    List<ResourceScan.Batch> batches = ResourceScan.scan(signal, request);
    List<?> decodedBatches =
        (List<?>)
            decoded.getField(
                decoded.getDescriptorForType().getFields().get(0)); // field 1: resource batches
    assertThat(batches).extracting(ResourceScan.Batch::items).containsExactlyElementsOf(items);
    assertThat(batches).hasSameSizeAs(decodedBatches);
    RequestSplitter.Shape shape = RequestSplitter.Shape.of(signal);
    for (int i = 0; i < batches.size(); i++) {
      Message batch = (Message) decodedBatches.get(i);
      ResourceScan.Batch scanned = batches.get(i);
      assertThat(scanned.items()).isEqualTo(RequestSplitter.countItems(shape, batch));
      assertThat(scanned.resource())
          .isEqualTo(batch.getField(batch.getDescriptorForType().findFieldByName("resource")));
      Message alone =
          OtlpDecoder.protobuf(signal, Arrays.copyOfRange(request, scanned.start(), scanned.end()));
      assertThat(alone.getField(alone.getDescriptorForType().getFields().get(0)))
          .isEqualTo(List.of(batch));
    }
  }

  private static Metric gauge(int points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(i));
    }
    return Metric.newBuilder().setName("g").setGauge(gauge).build();
  }

  private static Metric sum(int points) {
    Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true);
    for (int i = 0; i < points; i++) {
      sum.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
    }
    return Metric.newBuilder().setName("s").setSum(sum).build();
  }

  private static ScopeMetrics scopeOf(Metric metric) {
    return ScopeMetrics.newBuilder().addMetrics(metric).build();
  }

  private static byte[] message(int number, Message value) throws IOException {
    return message(number, value.toByteArray());
  }

  private static byte[] message(int number, byte[] value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(number, value);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] varint(int number, long value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeTag(number, WireFormat.WIRETYPE_VARINT);
    out.writeUInt64NoTag(value);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteString all = ByteString.EMPTY;
    for (byte[] part : parts) {
      all = all.concat(ByteString.copyFrom(part));
    }
    return all.toByteArray();
  }
}
