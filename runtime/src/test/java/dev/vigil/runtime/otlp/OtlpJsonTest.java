package dev.vigil.runtime.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  // As the OTLP specification's example and the Collector's file exporter write it.
  private static final String TRACE_JSON =
      """
      {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
        "scopeSpans":[{"scope":{"name":"manual"},"spans":[{
          "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
          "name":"POST /pay","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
          "status":{"code":2},"futureField":{"ignored":true}}]}]}]}
      """;

  @Test
  void readsHexIdsIntegerEnumsAndStringInt64s() throws Exception {
    ExportTraceServiceRequest request = OtlpJson.traces(bytes(TRACE_JSON));

    Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(span.getSpanId())
        .isEqualTo(ByteString.copyFrom(HexFormat.of().parseHex("eee19b7ec3c1b174")));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1_544_712_660_000_000_000L);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
  }

  @Test
  void printsWhatItReads() throws Exception {
    ExportTraceServiceRequest request = OtlpJson.traces(bytes(TRACE_JSON));

    String printed = OtlpJson.print(request);

    assertThat(printed)
        .contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\"")
        .contains("\"kind\":2");
    assertThat(OtlpJson.traces(bytes(printed))).isEqualTo(request);
  }

  @Test
  void tellsTheSignalFromTheContent() throws Exception {
    assertThat(OtlpJson.any(bytes(TRACE_JSON))).isInstanceOf(ExportTraceServiceRequest.class);
    assertThat(OtlpJson.any(bytes("{\"resourceLogs\":[]}")))
        .isInstanceOf(ExportLogsServiceRequest.class);
  }

  @Test
  void rejectsNonHexTraceIdNamingTheField() {
    assertThatThrownBy(() -> OtlpJson.traces(bytes(TRACE_JSON.replace("5b8efff7", "zzzzzzzz"))))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("traceId 'zzzzzzzz98038103d269b633813fc60c' is not a hex string");
  }

  @Test
  void rejectsMalformedJson() {
    assertThatThrownBy(() -> OtlpJson.metrics(bytes("{\"resourceMetrics\": [")))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void rejectsWrongValueType() {
    assertThatThrownBy(() -> OtlpJson.traces(bytes("{\"resourceSpans\": 5}")))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void rejectsContentOfNoKnownSignal() {
    assertThatThrownBy(() -> OtlpJson.any(bytes("{\"resourceThings\":[]}")))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("not an OTLP export request");
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
