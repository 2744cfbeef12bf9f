package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The predictive alert lifecycle: fire, update, resolve, under one fingerprint. */
class PredictiveAlertsTest {
  private final PredictiveAlerts alerts =
      new PredictiveAlerts(
          service ->
              service.equals("inventory-db")
                  ? ServiceInfo.newBuilder()
                      .setService("inventory-db")
                      .setTeam("storage")
                      .setRunbookUrl("https://runbooks.example.com/disk")
                      .build()
                  : null);

  @Test
  void firesUpdatesAndResolvesUnderOneFingerprint() {
    // 0.80 growing 0.005/min: the mean reaches 0.95 at minute 30, the upper bound (+0.02) at 26.
    Alert fired =
        alerts.onForecast(Forecasts.DISK, Forecasts.disk(Forecasts.T0, 0.80, 0.005, 0.02), null);
    assertThat(fired).isNotNull();
    assertThat(fired.getEndsAt()).isNull();
    assertThat(fired.getStartsAt()).isEqualTo(Forecasts.T0);
    assertThat(fired.getAnnotations().get("summary"))
        .isEqualTo("disk on inventory-db full in ~30 min");
    assertThat(fired.getLabels())
        .containsEntry("alertname", "VigilPredictive")
        .containsEntry("severity", "warning")
        .containsEntry("service", "inventory-db")
        .containsEntry("signal", "system.filesystem.utilization")
        .containsEntry("team", "storage");
    assertThat(fired.getAnnotations())
        .containsEntry("runbook_url", "https://runbooks.example.com/disk");

    // Five minutes later, growing slower: only the upper bound crosses, at minute 42.
    Instant later = Forecasts.T0.plusSeconds(300);
    Alert updated =
        alerts.onForecast(
            Forecasts.DISK, Forecasts.disk(later, 0.80, 0.002, 0.0665), fired.getStartsAt());
    assertThat(updated.getFingerprint()).isEqualTo(fired.getFingerprint());
    assertThat(updated.getLabels()).isEqualTo(fired.getLabels());
    assertThat(updated.getStartsAt()).isEqualTo(Forecasts.T0);
    assertThat(updated.getEndsAt()).isNull();
    assertThat(updated.getAnnotations().get("summary"))
        .isEqualTo("disk on inventory-db may be full in ~42 min");

    // Space freed: nothing crosses within the hour.
    Instant freed = Forecasts.T0.plusSeconds(600);
    Alert resolved =
        alerts.onForecast(
            Forecasts.DISK, Forecasts.disk(freed, 0.40, 0.001, 0.02), fired.getStartsAt());
    assertThat(resolved.getFingerprint()).isEqualTo(fired.getFingerprint());
    assertThat(resolved.getStartsAt()).isEqualTo(Forecasts.T0);
    assertThat(resolved.getEndsAt()).isEqualTo(freed);
    assertThat(resolved.getAnnotations().get("summary"))
        .startsWith("Resolved: disk on inventory-db");

    assertThat(
            alerts.onForecast(
                Forecasts.DISK, Forecasts.disk(freed.plusSeconds(300), 0.40, 0.001, 0.02), null))
        .as("nothing to say while no alert is active and nothing crosses")
        .isNull();
  }

  @Test
  void sloThresholdsSpeakOfTheSlo() {
    SeriesKey latency = new SeriesKey("checkout", "http.server.request.duration", List.of());
    Forecast f =
        Forecast.newBuilder(Forecasts.disk(Forecasts.T0, 200, 10, 30))
            .setSignalType(SignalType.LATENCY)
            .setThreshold(300.0)
            .setThresholdSource("slo")
            .build();
    Alert alert = alerts.onForecast(latency, f, null);
    // Upper bound 200 + 10i + 30 reaches 300 at i = 7; the mean at i = 10.
    assertThat(alert.getAnnotations().get("summary"))
        .isEqualTo("latency on checkout breaches its SLO in ~10 min");
    assertThat(alert.getLabels()).containsEntry("team", "unknown");
    assertThat(PredictiveAlerts.fingerprint(latency))
        .isNotEqualTo(PredictiveAlerts.fingerprint(Forecasts.DISK));
  }

  @Test
  void aForecastWithoutThresholdNeverFires() {
    Forecast f =
        Forecast.newBuilder(Forecasts.disk(Forecasts.T0, 0.99, 0.01, 0.02))
            .setThreshold(null)
            .build();
    assertThat(alerts.onForecast(Forecasts.DISK, f, null)).isNull();
  }
}
