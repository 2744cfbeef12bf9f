package dev.vigil.bridge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSplitterTest {

  @Test
  void writesOneRecordPerResourceKeyedByServiceName() throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans("checkout", 3, 10))
            .addResourceSpans(resourceSpans("payment", 2, 10))
            .build();

    SplitRequest split = new RequestSplitter(1_000_000).split(OtlpSignal.TRACES, request);

    assertThat(split.records())
        .extracting(OtlpRecord::service)
        .containsExactly("checkout", "payment");
    assertThat(split.records()).extracting(OtlpRecord::items).containsExactly(3, 2);
    assertThat(split.rejectedItems()).isZero();
    ExportTraceServiceRequest first =
        ExportTraceServiceRequest.parseFrom(split.records().get(0).value());
    assertThat(first.getResourceSpansList()).containsExactly(request.getResourceSpans(0));
  }

  @Test
  void keysResourcesWithoutServiceNameAsUnknownService() {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(0, 10))))
            .build();

    SplitRequest split = new RequestSplitter(1_000_000).split(OtlpSignal.TRACES, request);

    assertThat(split.records()).extracting(OtlpRecord::service).containsExactly("unknown_service");
  }

  @Test
  void aProtobufRequestsResourcesAreCopiedFromItsBytesAsEncodingThemWouldWriteThem()
      throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans("checkout", 3, 10))
            .addResourceSpans(resourceSpans("payment", 2, 10))
            .build();
    RequestSplitter splitter = new RequestSplitter(1_000_000);

    SplitRequest copied = splitter.split(OtlpSignal.TRACES, request.toByteArray());
    SplitRequest encoded = splitter.split(OtlpSignal.TRACES, request);

    assertThat(copied.records())
        .extracting(OtlpRecord::service, OtlpRecord::items)
        .containsExactly(tuple("checkout", 3), tuple("payment", 2));
    assertThat(copied.records())
        .extracting(OtlpRecord::value)
        .containsExactlyElementsOf(encoded.records().stream().map(OtlpRecord::value).toList());
  }

  @Test
  void aResourceOverTheLimitIsCutTheSameWhenItsBytesCameAlong() throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans("cart", 2, 10))
            .addResourceSpans(resourceSpans("search", 200, 1_000))
            .build();
    RequestSplitter splitter = new RequestSplitter(16 * 1024);

    SplitRequest copied = splitter.split(OtlpSignal.TRACES, request.toByteArray());

    assertThat(copied.records().size()).isBetween(14, 21);
    assertThat(copied.records())
        .extracting(OtlpRecord::value)
        .containsExactlyElementsOf(
            splitter.split(OtlpSignal.TRACES, request).records().stream()
                .map(OtlpRecord::value)
                .toList());
    assertThat(copied.acceptedItems()).isEqualTo(202);
  }

  @Test
  void splitsABatchOverTheRecordLimitKeepingEverySpanInOrder() throws Exception {
    // 200 spans of ~1 KiB each: about 200 KiB, against a 16 KiB record limit.
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans("search", 200, 1_000))
            .build();
    int limit = 16 * 1024;

    SplitRequest split = new RequestSplitter(limit).split(OtlpSignal.TRACES, request);

    assertThat(split.records().size()).isBetween(13, 20);
    List<Span> spans = new ArrayList<>();
    for (OtlpRecord record : split.records()) {
      assertThat(record.value().length).isLessThanOrEqualTo(limit);
      assertThat(record.service()).isEqualTo("search");
      ResourceSpans part = ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpans(0);
      assertThat(part.getResource()).isEqualTo(request.getResourceSpans(0).getResource());
      assertThat(part.getScopeSpans(0).getScope().getName()).isEqualTo("test-scope");
      spans.addAll(part.getScopeSpans(0).getSpansList());
    }
    assertThat(spans).isEqualTo(request.getResourceSpans(0).getScopeSpans(0).getSpansList());
    assertThat(split.acceptedItems()).isEqualTo(200);
  }

  @Test
  void rejectsOnlyTheItemThatAloneExceedsTheLimit() {
    ResourceSpans batch =
        resourceSpans("search", 3, 100).toBuilder()
            .setScopeSpans(
                0,
                ScopeSpans.newBuilder()
                    .addSpans(span(1, 100))
                    .addSpans(span(2, 5_000))
                    .addSpans(span(3, 100)))
            .build();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder().addResourceSpans(batch).build();

    SplitRequest split = new RequestSplitter(2_000).split(OtlpSignal.TRACES, request);

    assertThat(split.rejectedItems()).isEqualTo(1);
    assertThat(split.acceptedItems()).isEqualTo(2);
    assertThat(split.rejectionMessage()).contains("over the record limit of 2000");
  }

  @Test
  void countsDataPointsOfEveryMetricType() {
    Metric gauge =
        Metric.newBuilder()
            .setName("cpu")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))
                    .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(2)))
            .build();
    Metric histogram =
        Metric.newBuilder()
            .setName("latency")
            .setHistogram(
                Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder().setCount(5)))
            .build();
    ExportMetricsServiceRequest request =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Otlp.resource("cart"))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(histogram)))
            .build();

    SplitRequest split = new RequestSplitter(1_000_000).split(OtlpSignal.METRICS, request);

    assertThat(split.acceptedItems()).isEqualTo(3);
  }

  static ResourceSpans resourceSpans(String service, int spans, int attributeBytes) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                    .setName("test-scope"));
    for (int i = 0; i < spans; i++) {
      scope.addSpans(span(i, attributeBytes));
    }
    return ResourceSpans.newBuilder()
        .setResource(Otlp.resource(service))
        .addScopeSpans(scope)
        .build();
  }

  private static Span span(int i, int attributeBytes) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) i}))
        .setName("op-" + i)
        .addAttributes(Otlp.attribute("payload", "x".repeat(attributeBytes)))
        .build();
  }
}
