package dev.vigil.sinks.search;

import com.google.protobuf.ByteString;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.RootCause;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.Severity;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Valid records of the types the search sink indexes. */
final class SearchSamples {
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
  static final String SPAN_ID = "1112131415161718";

  private SearchSamples() {}

  static SeriesKey series(String service) {
    return SeriesKey.newBuilder()
        .setService(service)
        .setSignal("http.server.request.duration")
        .setDims(List.of(new Attribute("http.route", "/pay")))
        .build();
  }

  static AnomalyEvent anomaly(String service, int n) {
    return AnomalyEvent.newBuilder()
        .setId("a-" + n)
        .setService(service)
        .setSeries(series(service))
        .setPhase(AnomalyPhase.START)
        .setAt(T0.plusSeconds(60L * n))
        .setStartedAt(T0)
        .setObserved(900.0 + n)
        .setExpected(200.0)
        .setLower(150.0)
        .setUpper(260.0)
        .setScore(0.97)
        .setSeverity(Severity.CRITICAL)
        .setDirection(Direction.UP)
        .setDetector("robust-seasonal/1")
        .setSignalType(SignalType.LATENCY)
        .build();
  }

  static Incident incident(String id, int version, IncidentState state) {
    return Incident.newBuilder()
        .setId(id)
        .setState(state)
        .setSeverity(Severity.CRITICAL)
        .setOpenedAt(T0)
        .setUpdatedAt(T0.plusSeconds(60L * version))
        .setServices(List.of("checkout", "payment"))
        .setRootCauses(List.of(new RootCause("payment", 0.8, List.of("deploy v2.3 3 min before"))))
        .setVersion(version)
        .build();
  }

  static Alert alert(String fingerprint) {
    return Alert.newBuilder()
        .setLabels(Map.of("alertname", "VigilIncident", "service", "payment"))
        .setAnnotations(Map.of("summary", "payment is the likely root cause"))
        .setStartsAt(T0)
        .setFingerprint(fingerprint)
        .build();
  }

  static SignalWindow window(int minute) {
    return SignalWindow.newBuilder()
        .setWindowStart(T0.plusSeconds(60L * minute))
        .setWindowEnd(T0.plusSeconds(60L * minute + 60))
        .setType(SignalType.LATENCY)
        .setUnit("ms")
        .setCount(1200)
        .setSum(54_000.0)
        .setP99(210.5)
        .setRate(20.0)
        .setTeam("payments")
        .setTier(1)
        .build();
  }

  static KeyValue attribute(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static AnyValue text(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  static AnyValue number(long value) {
    return AnyValue.newBuilder().setIntValue(value).build();
  }

  /** A log record with a text body, severity, trace context and the given attributes. */
  static LogRecord log(int n, String body, KeyValue... attributes) {
    Instant at = T0.plusMillis(n).plusNanos(123);
    return LogRecord.newBuilder()
        .setTimeUnixNano(at.getEpochSecond() * 1_000_000_000L + at.getNano())
        .setObservedTimeUnixNano((at.getEpochSecond() + 1) * 1_000_000_000L)
        .setSeverityNumberValue(17)
        .setSeverityText("ERROR")
        .setBody(text(body))
        .addAllAttributes(List.of(attributes))
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN_ID)))
        .build();
  }

  /** An export request of one service (resource service.name) and one scope. */
  static ExportLogsServiceRequest logs(String service, LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(attribute("service.name", text(service)))
                        .addAttributes(attribute("deployment.environment", text("test"))))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder()
                                .setName("io.vigil.checkout")
                                .setVersion("1.2.0"))
                        .addAllLogRecords(List.of(records))))
        .build();
  }
}
