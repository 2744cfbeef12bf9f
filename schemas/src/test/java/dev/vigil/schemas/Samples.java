package dev.vigil.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid record of every type, for round-trip and rendering tests. */
public final class Samples {
  public static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private Samples() {}

  public static SeriesKey seriesKey() {
    return SeriesKey.newBuilder()
        .setService("checkout")
        .setSignal("http.server.request.duration")
        .setDims(List.of(new Attribute("http.route", "/pay"), new Attribute("span.kind", "SERVER")))
        .build();
  }

  public static List<Object> values() {
    ServiceInfo info =
        ServiceInfo.newBuilder()
            .setService("checkout")
            .setTeam("payments")
            .setTier(1)
            .setBusinessCritical(true)
            .setSlos(List.of(new Slo("latency", "http.server.request.duration", 0.999, 300.0)))
            .setDependencies(List.of("payment", "cart"))
            .build();
    ChangeEvent change =
        ChangeEvent.newBuilder()
            .setService("payment")
            .setType(ChangeType.DEPLOY)
            .setAt(T0)
            .setVersion("v2.3")
            .build();
    SignalWindow window =
        SignalWindow.newBuilder()
            .setWindowStart(T0)
            .setWindowEnd(T0.plusSeconds(60))
            .setType(SignalType.LATENCY)
            .setUnit("ms")
            .setCount(1200)
            .setSum(54_000.0)
            .setP99(210.5)
            .setRate(20.0)
            .setErrors(3)
            .setTeam("payments")
            .setTier(1)
            .build();
    EdgeWindow edge =
        EdgeWindow.newBuilder()
            .setWindowStart(T0)
            .setWindowEnd(T0.plusSeconds(60))
            .setServerKind(NodeKind.DATABASE)
            .setCalls(500)
            .setP99(12.0)
            .build();
    AnomalyEvent anomaly =
        AnomalyEvent.newBuilder()
            .setId("a-1")
            .setService("checkout")
            .setSeries(seriesKey())
            .setPhase(AnomalyPhase.START)
            .setAt(T0.plusSeconds(60))
            .setStartedAt(T0)
            .setObserved(900.0)
            .setExpected(200.0)
            .setLower(150.0)
            .setUpper(260.0)
            .setScore(0.97)
            .setSeverity(Severity.CRITICAL)
            .setDirection(Direction.UP)
            .setDetector("robust-seasonal/1")
            .setSignalType(SignalType.LATENCY)
            .build();
    Forecast forecast =
        Forecast.newBuilder()
            .setOrigin(T0)
            .setStepMillis(60_000)
            .setPoints(List.of(new ForecastPoint(T0.plusSeconds(60), 1.0, 0.5, 1.5)))
            .setModel("holt-winters")
            .setTrainedAt(T0)
            .setSignalType(SignalType.SATURATION)
            .setThreshold(0.95)
            .setThresholdSource("capacity")
            .build();
    Incident incident =
        Incident.newBuilder()
            .setId("inc-1")
            .setState(IncidentState.OPEN)
            .setSeverity(Severity.CRITICAL)
            .setOpenedAt(T0)
            .setUpdatedAt(T0.plusSeconds(120))
            .setServices(List.of("checkout", "payment"))
            .setRootCauses(
                List.of(new RootCause("payment", 0.8, List.of("deploy v2.3 3 min before"))))
            .build();
    Alert alert =
        Alert.newBuilder()
            .setLabels(Map.of("alertname", "VigilIncident", "service", "payment"))
            .setStartsAt(T0)
            .setFingerprint("f00d")
            .build();
    return List.of(info, change, window, edge, anomaly, forecast, incident, alert);
  }
}
