package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.serde.VigilSerdes;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VigilValuesTest {
  private static final Alert ALERT =
      Alert.newBuilder()
          .setLabels(Map.of("alertname", "HighLatency", "service", "cart"))
          .setStartsAt(Instant.parse("2026-01-01T00:00:00Z"))
          .setFingerprint("fp1")
          .build();

  @Test
  void decodesAnyVigilTypeByFingerprint() {
    byte[] bytes = VigilSerdes.ALERT.serializer().serialize("vigil.alerts", ALERT);

    assertThat(VigilValues.decode("vigil.alerts", bytes)).isEqualTo(ALERT);
    assertThat(VigilValues.decode("vigil.alerts", bytes, VigilSerdes.ALERT)).isEqualTo(ALERT);
    assertThat(VigilValues.toJson(ALERT)).contains("\"startsAt\":\"2026-01-01T00:00:00Z\"");
  }

  @Test
  void refusesTheWrongType() {
    byte[] bytes = VigilSerdes.ALERT.serializer().serialize("vigil.alerts", ALERT);

    assertThatThrownBy(() -> VigilValues.decode("t", bytes, VigilSerdes.SIGNAL_WINDOW))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("is a Alert, expected SignalWindow");
  }

  @Test
  void refusesBytesWithoutHeader() {
    assertThatThrownBy(
            () -> VigilValues.decode("t", "hello world".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("no C3 01 header");
  }

  @Test
  void refusesUnknownFingerprint() {
    byte[] bytes = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
    assertThatThrownBy(() -> VigilValues.decode("t", bytes))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("unknown schema fingerprint");
  }

  @Test
  void refusesTruncatedBody() {
    byte[] bytes = VigilSerdes.ALERT.serializer().serialize("vigil.alerts", ALERT);
    byte[] truncated = java.util.Arrays.copyOf(bytes, 14);
    assertThatThrownBy(() -> VigilValues.decode("vigil.alerts", truncated))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("cannot decode Alert");
  }

  @Test
  void decodesOtlpLogsFromProtobufAndJson() {
    ExportLogsServiceRequest request =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(LogRecord.newBuilder().setSeverityText("ERROR"))))
            .build();
    String json =
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityText\":\"ERROR\"}]}]}]}";

    assertThat(OtlpValues.logs("otlp_logs", request.toByteArray())).isEqualTo(request);
    assertThat(OtlpValues.logs("otlp_logs", json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(request);
    assertThatThrownBy(() -> OtlpValues.logs("otlp_logs", new byte[] {(byte) 0xFF, 0x01}))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("is not OTLP logs");
  }

  @Test
  void aProtobufLogsRecordStartingWithNewlineBraceIsProtobuf() {
    // A first resource of exactly 123 bytes: the record starts with 0x0A '{', which reads as JSON
    // whitespace and an opening brace.
    ExportLogsServiceRequest request = null;
    for (int n = 1; n < 120 && request == null; n++) {
      ExportLogsServiceRequest candidate =
          ExportLogsServiceRequest.newBuilder()
              .addResourceLogs(
                  ResourceLogs.newBuilder()
                      .addScopeLogs(
                          ScopeLogs.newBuilder()
                              .addLogRecords(
                                  LogRecord.newBuilder().setSeverityText("E".repeat(n)))))
              .build();
      if (candidate.getResourceLogs(0).getSerializedSize() == 123) {
        request = candidate;
      }
    }
    assertThat(request).isNotNull();
    byte[] bytes = request.toByteArray();
    assertThat(new String(bytes, 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("\n{");

    assertThat(OtlpValues.logs("otlp_logs", bytes)).isEqualTo(request);
  }
}
