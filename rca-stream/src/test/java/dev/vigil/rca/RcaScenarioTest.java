package dev.vigil.rca;

import static dev.vigil.rca.RcaDriver.top;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.internal.Scenario;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SignalType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five graph scenarios of issue 6 through the whole topology (TopologyTestDriver), each with
 * its asserted top-1 root cause. Faults start at minute 10 after a healthy warm-up that gives every
 * edge its baseline.
 */
class RcaScenarioTest {
  @TempDir Path stateDir;

  @Test
  void slowDatabaseBehindAServiceIsTheRootCause() {
    Scenario world =
        new Scenario()
            .edge("frontend", "checkout", 120)
            .edge("checkout", "orders", 60)
            .edge("orders", "postgresql:orders", NodeKind.DATABASE, 8)
            .edge("frontend", "catalog", 40)
            .edge("catalog", "redis:catalog", NodeKind.CACHE, 1)
            .slow("orders", "postgresql:orders", 10, 25, 10)
            .slow("checkout", "orders", 10, 25, 2.2)
            .slow("frontend", "checkout", 10, 25, 1.6)
            .anomalous("orders", 10, 25, 0.95, SignalType.LATENCY)
            .anomalous("checkout", 10, 25, 0.85, SignalType.LATENCY)
            .anomalous("frontend", 11, 25, 0.6, SignalType.LATENCY);
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 40)) {
      Map<String, Incident> incidents = rca.latest();
      assertThat(incidents).hasSize(1);
      Incident incident = incidents.values().iterator().next();
      print(rca.incidentLog);
      assertThat(top(incident)).isEqualTo("postgresql:orders");
      assertThat(incident.getServices()).containsExactly("checkout", "frontend", "orders");
      assertThat(incident.getEntryPoints()).containsExactly("frontend");
      assertThat(incident.getState()).isEqualTo(IncidentState.RESOLVED);
      assertThat(rca.incidentLog.get(0).getRootCauses().get(0).getService())
          .as("right from the first version")
          .isEqualTo("postgresql:orders");
    }
  }

  @Test
  void failingLeafWithThreeCallersIsTheRootCause() {
    Scenario world =
        new Scenario()
            .edge("gateway", "cart", 50)
            .edge("gateway", "checkout", 150)
            .edge("gateway", "wishlist", 40)
            .edge("cart", "inventory", 20)
            .edge("checkout", "inventory", 20)
            .edge("wishlist", "inventory", 20)
            .edge("checkout", "payment", 90)
            .failing("cart", "inventory", 10, 20, 0.4)
            .failing("checkout", "inventory", 10, 20, 0.4)
            .failing("wishlist", "inventory", 10, 20, 0.4)
            .failing("gateway", "cart", 10, 20, 0.3)
            .failing("gateway", "checkout", 10, 20, 0.3)
            .failing("gateway", "wishlist", 10, 20, 0.3)
            // The callers are caught in the same minute as the leaf, and score higher: only the
            // graph and the edges say which one is the cause.
            .anomalous("cart", 10, 20, 0.97, SignalType.ERRORS)
            .anomalous("checkout", 10, 20, 0.97, SignalType.ERRORS)
            .anomalous("wishlist", 10, 20, 0.97, SignalType.ERRORS)
            .anomalous("inventory", 10, 20, 0.9, SignalType.ERRORS);
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 30)) {
      print(rca.incidentLog);
      assertThat(rca.latest()).hasSize(1);
      Incident incident = rca.latest().values().iterator().next();
      assertThat(rca.incidentLog).allSatisfy(v -> assertThat(top(v)).isEqualTo("inventory"));
      assertThat(incident.getServices())
          .containsExactly("cart", "checkout", "inventory", "wishlist");
      assertThat(incident.getEntryPoints()).containsExactly("gateway");
      assertThat(incident.getRootCauses().get(0).getReasons())
          .anySatisfy(r -> assertThat(r).startsWith("callers' errors to it 40%"));
      assertThat(incident.getAnomalies()).isEqualTo(4);
    }
  }

  @Test
  void twoIndependentProblemsAtOnceAreTwoIncidents() {
    Scenario world =
        new Scenario()
            .edge("frontend", "checkout", 150)
            .edge("checkout", "payment", 90)
            .edge("payment", "mysql:payments", NodeKind.DATABASE, 5)
            .edge("frontend", "search", 60)
            .edge("search", "search-index", 30)
            .slow("payment", "mysql:payments", 10, 20, 12)
            .slow("checkout", "payment", 10, 20, 3)
            .slow("frontend", "checkout", 10, 20, 1.8)
            .failing("search", "search-index", 11, 20, 0.5)
            .failing("frontend", "search", 11, 20, 0.5)
            .anomalous("payment", 10, 20, 0.9, SignalType.LATENCY)
            .anomalous("checkout", 10, 20, 0.8, SignalType.LATENCY)
            .anomalous("search-index", 11, 20, 0.95, SignalType.ERRORS)
            .anomalous("search", 11, 20, 0.9, SignalType.ERRORS);
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 30)) {
      print(rca.incidentLog);
      Map<String, Incident> incidents = rca.latest();
      assertThat(incidents).hasSize(2);
      assertThat(incidents.values())
          .extracting(RcaDriver::top)
          .containsExactlyInAnyOrder("mysql:payments", "search-index");
      assertThat(incidents.values())
          .extracting(Incident::getServices)
          .containsExactlyInAnyOrder(
              List.of("checkout", "payment"), List.of("search", "search-index"));
      assertThat(rca.alertLog)
          .extracting(a -> a.getFingerprint())
          .as("one alert per incident")
          .containsOnly(
              dev.vigil.rca.internal.AlertFactory.fingerprint(incidents.keySet().iterator().next()),
              dev.vigil.rca.internal.AlertFactory.fingerprint(
                  List.copyOf(incidents.keySet()).get(1)));
    }
  }

  @Test
  void deployShortlyBeforeDecidesBetweenComparableCandidates() {
    Scenario world = deployWorld().deploy("payment", 7, "v2.3");
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 30)) {
      print(rca.incidentLog);
      assertThat(rca.latest()).hasSize(1);
      Incident incident = rca.latest().values().iterator().next();
      assertThat(incident.getServices()).containsExactly("checkout", "inventory", "payment");
      assertThat(top(incident)).isEqualTo("payment");
      assertThat(incident.getRootCauses().get(0).getReasons())
          .first()
          .isEqualTo("deploy v2.3 3 min before");
      assertThat(incident.getRootCauses().get(1).getService()).isEqualTo("inventory");
    }
  }

  @Test
  void withoutTheDeployTheSameSymptomsPointElsewhere() {
    try (RcaDriver rca = new RcaDriver(stateDir).run(deployWorld(), 30)) {
      assertThat(top(rca.latest().values().iterator().next())).isEqualTo("inventory");
    }
  }

  /**
   * checkout calls payment and inventory, which share a cache; both slow down at 10:10, inventory a
   * bit more.
   */
  private static Scenario deployWorld() {
    return new Scenario()
        .edge("frontend", "checkout", 150)
        .edge("checkout", "payment", 100)
        .edge("checkout", "inventory", 40)
        .edge("payment", "redis:stock", NodeKind.CACHE, 2)
        .edge("inventory", "redis:stock", NodeKind.CACHE, 2)
        .slow("checkout", "payment", 10, 20, 3)
        .slow("checkout", "inventory", 10, 20, 3.5)
        .slow("frontend", "checkout", 10, 20, 2)
        .anomalous("payment", 10, 20, 0.85, SignalType.LATENCY)
        .anomalous("inventory", 10, 20, 0.9, SignalType.LATENCY)
        .anomalous("checkout", 10, 20, 0.8, SignalType.LATENCY);
  }

  @Test
  void flappingServiceIsOneIncidentUntilItHasBeenQuietLongEnough() {
    Scenario world =
        new Scenario()
            .edge("frontend", "recommendation", 80)
            .edge("frontend", "cart", 50)
            .slow("frontend", "recommendation", 10, 12, 4)
            .slow("frontend", "recommendation", 14, 15, 4)
            .slow("frontend", "recommendation", 18, 20, 4)
            .anomalous("recommendation", 10, 12, 0.9, SignalType.LATENCY)
            .anomalous("frontend", 10, 11, 0.6, SignalType.LATENCY)
            .anomalous("recommendation", 14, 15, 0.9, SignalType.LATENCY)
            .anomalous("recommendation", 18, 20, 0.9, SignalType.LATENCY)
            .anomalous("frontend", 18, 19, 0.6, SignalType.LATENCY);
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 40)) {
      print(rca.incidentLog);
      Map<String, Incident> incidents = rca.latest();
      assertThat(incidents).as("one incident across the flaps").hasSize(1);
      Incident incident = incidents.values().iterator().next();
      assertThat(top(incident)).isEqualTo("recommendation");
      assertThat(incident.getAnomalies()).as("five episodes absorbed").isEqualTo(5);
      assertThat(incident.getState()).isEqualTo(IncidentState.RESOLVED);
      // Last episode ends with the window of minute 20 (reported at 10:21); five quiet windows.
      assertThat(incident.getResolvedAt()).isEqualTo(Scenario.minute(26));
      assertThat(rca.alertLog)
          .extracting(a -> a.getFingerprint())
          .containsOnly(dev.vigil.rca.internal.AlertFactory.fingerprint(incident.getId()));
    }
  }

  @Test
  void withoutTracesSimultaneousProblemsAreOneIncidentLedByTheFirst() {
    // Metrics only (no edges at all): time is the only evidence. The service that turned
    // anomalous first leads; the others followed within the correlation window.
    Scenario world =
        new Scenario()
            .anomalous("carts-db", 10, 20, 0.9, SignalType.SATURATION)
            .anomalous("carts", 11, 20, 0.99, SignalType.LATENCY)
            .anomalous("front-end", 12, 20, 0.99, SignalType.LATENCY);
    try (RcaDriver rca = new RcaDriver(stateDir).run(world, 30)) {
      print(rca.incidentLog);
      assertThat(rca.latest()).hasSize(1);
      Incident incident = rca.latest().values().iterator().next();
      assertThat(top(incident)).isEqualTo("carts-db");
      assertThat(incident.getServices()).containsExactly("carts", "carts-db", "front-end");
    }
  }

  static void print(List<Incident> log) {
    log.forEach(i -> System.out.println(dev.vigil.schemas.json.RecordJson.toJson(i)));
  }
}
