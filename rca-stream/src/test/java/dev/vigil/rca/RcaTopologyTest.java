package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.internal.AlertFactory;
import dev.vigil.rca.internal.RcaMetrics;
import dev.vigil.rca.internal.RcaSettings;
import dev.vigil.rca.internal.Scenario;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcaTopologyTest {
  @TempDir Path stateDir;

  @Test
  void namesEveryStoreRepartitionAndProcessor() {
    String description =
        RcaTopology.build(
                RcaSettings.defaults(),
                TopicCatalog.defaults(),
                new RcaMetrics(new SimpleMeterRegistry()))
            .describe()
            .toString();

    assertThat(description)
        .contains("rca-edges-repartition", "rca-engine", "rca-state", "rca-catalog")
        .doesNotContain("KSTREAM-", "KTABLE-", "STATE-STORE-");
  }

  @Test
  void incidentAndAlertArePublishedFiveSecondsOfWallTimeAfterTheAnomalyWithoutALaterRecord() {
    Scenario world =
        new Scenario()
            .edge("web", "checkout", 150)
            .edge("checkout", "payment", 90)
            .edge("payment", "postgresql:payments", NodeKind.DATABASE, 6)
            .slow("payment", "postgresql:payments", 10, 20, 10)
            .slow("checkout", "payment", 10, 20, 3)
            .anomalous("payment", 10, 20, 0.85, SignalType.LATENCY);
    try (RcaDriver rca = new RcaDriver(stateDir)) {
      // Minutes 0..10 arrive at once (wall clock standing still); the anomaly is minute 10's,
      // at 10:11, and nothing later comes.
      rca.run(world, 11);
      assertThat(rca.incidentLog).as("event time alone waits for a later record").isEmpty();

      rca.advanceWallClock(java.time.Duration.ofMillis(4_000));
      assertThat(rca.incidentLog).as("4 s after the anomaly arrived").isEmpty();
      rca.advanceWallClock(java.time.Duration.ofMillis(1_000));
      assertThat(rca.incidentLog)
          .as("5 s after the anomaly arrived")
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.getVersion()).isEqualTo(1);
                assertThat(i.getUpdatedAt()).isEqualTo(Scenario.minute(11));
                assertThat(RcaDriver.top(i)).isEqualTo("postgresql:payments");
              });
      assertThat(rca.alertLog)
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a.getFingerprint())
                      .isEqualTo(AlertFactory.fingerprint(rca.incidentLog.get(0).getId())));

      // The next minute's records: 10:11 is not evaluated a second time.
      rca.run(world, 11, 12).advanceWallClock(java.time.Duration.ofSeconds(5));
      assertThat(rca.incidentLog)
          .extracting(Incident::getUpdatedAt)
          .doesNotHaveDuplicates()
          .isSorted();
      assertThat(
              rca.registry
                  .get("vigil.rca.evaluations")
                  .tag("trigger", "wall_clock")
                  .counter()
                  .count())
          .as("10:11 and 10:12 by wall clock, each once")
          .isEqualTo(2);
    }
  }

  @Test
  void alertFiresUpdatesAndResolvesUnderOneFingerprint() {
    Scenario world =
        new Scenario()
            .edge("web", "checkout", 150)
            .edge("checkout", "payment", 90)
            .edge("payment", "postgresql:payments", NodeKind.DATABASE, 6)
            .slow("payment", "postgresql:payments", 10, 20, 10)
            .slow("checkout", "payment", 10, 20, 3)
            .slow("web", "checkout", 10, 20, 2)
            .anomalous("payment", 10, 20, 0.85, SignalType.LATENCY)
            .anomalous("checkout", 12, 20, 0.8, SignalType.LATENCY);
    try (RcaDriver rca = new RcaDriver(stateDir)) {
      rca.service("payment", "payments-team", false, "https://runbooks.example.com/payment")
          .service("postgresql:payments", "dba", false, "https://runbooks.example.com/pg")
          .service("checkout", "checkout-team", true, null)
          .run(world, 30);

      List<Incident> versions = rca.incidentLog;
      assertThat(versions).extracting(Incident::getId).containsOnly(versions.get(0).getId());
      assertThat(versions)
          .extracting(Incident::getVersion)
          .as("fire (payment), update (checkout joins), resolve")
          .containsExactly(1, 2, 3);
      String fingerprint = AlertFactory.fingerprint(versions.get(0).getId());
      List<Alert> alerts = rca.alertLog;
      assertThat(alerts)
          .hasSize(3)
          .allSatisfy(a -> assertThat(a.getFingerprint()).isEqualTo(fingerprint));

      Alert fired = alerts.get(0);
      assertThat(fired.getLabels())
          .containsEntry("alertname", "VigilIncident")
          .containsEntry("service", "postgresql:payments")
          .containsEntry("team", "dba")
          .containsEntry("severity", "warning")
          .containsEntry("incident", versions.get(0).getId());
      assertThat(fired.getAnnotations())
          .containsEntry("runbook_url", "https://runbooks.example.com/pg")
          .containsEntry("anomalies", "1");
      assertThat(fired.getAnnotations().get("summary"))
          .isEqualTo(
              "postgresql:payments is the likely root cause of an incident affecting 1 service"
                  + " (business-critical: checkout)");
      assertThat(fired.getStartsAt()).isEqualTo(Scenario.minute(10));
      assertThat(fired.getEndsAt()).isNull();

      Alert updated = alerts.get(1);
      assertThat(updated.getAnnotations()).containsEntry("anomalies", "2");
      assertThat(updated.getLabels())
          .as("checkout is business-critical and now anomalous itself")
          .containsEntry("severity", "critical");
      assertThat(updated.getAnnotations().get("description"))
          .contains("1. postgresql:payments (0.")
          .contains("Absorbed 2 anomalies into this one alert.");
      assertThat(updated.getEndsAt()).isNull();

      Alert resolved = alerts.get(2);
      Incident last = versions.get(2);
      assertThat(last.getState()).isEqualTo(IncidentState.RESOLVED);
      assertThat(resolved.getEndsAt())
          .isEqualTo(last.getResolvedAt())
          .isEqualTo(Scenario.minute(26));
      assertThat(resolved.getStartsAt()).isEqualTo(fired.getStartsAt());
      assertThat(resolved.getAnnotations().get("summary")).startsWith("Resolved: ");
      assertThat(rca.driver.getKeyValueStore("rca-state").get("incident/" + last.getId()))
          .as("a resolved incident leaves the state store")
          .isNull();
    }
  }

  @Test
  void countsAbsorbedAnomaliesInMetrics() {
    Scenario world =
        new Scenario()
            .edge("a", "b", 20)
            .failing("a", "b", 5, 10, 0.5)
            .anomalous("b", 5, 10, 0.9, SignalType.ERRORS)
            .anomalous("a", 5, 10, 0.9, SignalType.ERRORS);
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 20)) {
      assertThat(rca.registry.get("vigil.rca.incidents.opened").counter().count()).isEqualTo(1);
      assertThat(rca.registry.get("vigil.rca.incidents.resolved").counter().count()).isEqualTo(1);
      assertThat(
              rca.registry
                  .get("vigil.rca.anomaly.events")
                  .tag("outcome", "joined")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(rca.registry.get("vigil.rca.graph.edges").gauge().value()).isEqualTo(1);
    }
  }
}
