package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentBookTest {
  private final RcaSettings settings = RcaSettings.defaults();
  private final IncidentBook book = new IncidentBook(settings);
  private final ServiceGraph graph = new ServiceGraph();

  @Test
  void anomaliesThatCameBeforeTheirEdgesMergeOnceTheGraphKnowsThem() {
    // Both services are known to the graph, but not yet the call between them.
    call("checkout", "cart", 5);
    call("payment", "bank-gateway", 5);
    book.fold(anomaly("checkout", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("payment", AnomalyPhase.START, 10, 11), graph);
    assertThat(book.open()).hasSize(2);

    call("checkout", "payment", 10);
    List<LiveIncident> absorbed = book.merge(graph, at(11));

    assertThat(absorbed).hasSize(1);
    assertThat(absorbed.get(0).mergedInto()).isEqualTo("inc-20260601T1010-checkout");
    LiveIncident merged = book.get("inc-20260601T1010-checkout");
    assertThat(merged.members()).containsOnlyKeys("checkout", "payment");
    assertThat(merged.anomalies()).isEqualTo(2);
  }

  @Test
  void servicesSharingABrokenDependencyMergeIntoOneIncident() {
    call("orders", "kafka:orders", 5);
    call("billing", "kafka:invoices", 5);
    book.fold(anomaly("orders", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("billing", AnomalyPhase.START, 11, 12), graph);
    call("orders", "postgresql:shared", 11);
    call("billing", "postgresql:shared", 11);

    assertThat(book.merge(graph, at(12))).hasSize(1);
    assertThat(book.open())
        .filteredOn(i -> !i.resolved())
        .singleElement()
        .satisfies(i -> assertThat(i.members()).containsOnlyKeys("billing", "orders"));
  }

  @Test
  void servicesTheGraphDoesNotKnowAreCorrelatedByTimeAlone() {
    call("checkout", "payment", 5);
    book.fold(anomaly("checkout", AnomalyPhase.START, 10, 11), graph);
    IncidentBook.Folded untraced =
        book.fold(anomaly("carts-db", AnomalyPhase.START, 11, 12), graph);

    assertThat(untraced.outcome()).isEqualTo(IncidentBook.Outcome.JOINED);
    assertThat(book.open())
        .singleElement()
        .satisfies(i -> assertThat(i.members()).containsOnlyKeys("carts-db", "checkout"));
  }

  @Test
  void callerAboveTwoProblemsJoinsTheOneThatBeganWithItWithoutMergingThem() {
    call("frontend", "checkout", 10);
    call("frontend", "search", 10);
    book.fold(anomaly("checkout", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("search", AnomalyPhase.START, 13, 14), graph);
    IncidentBook.Folded frontend =
        book.fold(anomaly("frontend", AnomalyPhase.START, 13, 14), graph);

    assertThat(frontend.outcome()).isEqualTo(IncidentBook.Outcome.JOINED);
    assertThat(frontend.incident().id())
        .as("healthy through checkout's first three minutes, anomalous from search's first")
        .isEqualTo("inc-20260601T1013-search");
    assertThat(book.merge(graph, at(14))).isEmpty();
    assertThat(book.open()).hasSize(2);
  }

  @Test
  void callerAboveTwoProblemsThatBeganAsFarFromItJoinsTheOlder() {
    call("frontend", "checkout", 10);
    call("frontend", "search", 10);
    book.fold(anomaly("checkout", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("search", AnomalyPhase.START, 12, 13), graph);

    assertThat(book.fold(anomaly("frontend", AnomalyPhase.START, 11, 13), graph).incident().id())
        .isEqualTo("inc-20260601T1010-checkout");
  }

  @Test
  void calleeThatBrokeMinutesAfterItsCallerIsASecondProblem() {
    // The 500-service platform's overlap: the gateway is anomalous since 10; pricing, two calls
    // below it, breaks at 14. Folded into the gateway's incident it ranked below the older cause.
    call("api-gateway", "catalog", 5);
    call("catalog", "pricing", 5);
    book.fold(anomaly("api-gateway", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("api-gateway", AnomalyPhase.UPDATE, 10, 14), graph);
    IncidentBook.Folded pricing = book.fold(anomaly("pricing", AnomalyPhase.START, 14, 15), graph);

    assertThat(pricing.outcome()).isEqualTo(IncidentBook.Outcome.OPENED);
    assertThat(book.merge(graph, at(15))).as("nor merged once both are open").isEmpty();
    assertThat(book.open()).hasSize(2);
  }

  @Test
  void calleeThatBrokeWithinTwoWindowsOfItsCallerJoinsIt() {
    call("api-gateway", "catalog", 5);
    call("catalog", "pricing", 5);
    book.fold(anomaly("api-gateway", AnomalyPhase.START, 10, 11), graph);

    assertThat(book.fold(anomaly("pricing", AnomalyPhase.START, 12, 13), graph).outcome())
        .as("a cause whose first windows scored just below the threshold")
        .isEqualTo(IncidentBook.Outcome.JOINED);
  }

  @Test
  void callerThatBrokeMinutesAfterItsCalleeJoinsIt() {
    call("api-gateway", "catalog", 5);
    book.fold(anomaly("catalog", AnomalyPhase.START, 10, 11), graph);

    assertThat(book.fold(anomaly("api-gateway", AnomalyPhase.START, 16, 17), graph).outcome())
        .as("a symptom may follow its cause")
        .isEqualTo(IncidentBook.Outcome.JOINED);
  }

  @Test
  void linkedAnomaliesFarApartInTimeOpenSeparateIncidents() {
    call("checkout", "payment", 0);
    book.fold(anomaly("checkout", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("payment", AnomalyPhase.START, 30, 31), graph);

    assertThat(book.open()).hasSize(2);
    assertThat(book.merge(graph, at(31))).isEmpty();
  }

  @Test
  void endOfAnEpisodeNoIncidentKnowsIsIgnored() {
    assertThat(book.fold(anomaly("cart", AnomalyPhase.END, 10, 12), graph).outcome())
        .isEqualTo(IncidentBook.Outcome.IGNORED);
    assertThat(book.open()).isEmpty();
  }

  @Test
  void resolvesWhenEveryMemberHasBeenHealthyForTheConfiguredWindows() {
    call("a", "b", 10);
    book.fold(anomaly("a", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("b", AnomalyPhase.START, 10, 11), graph);
    book.fold(anomaly("a", AnomalyPhase.END, 10, 13), graph);

    assertThat(book.resolve(at(20))).as("b never ended, and is not stale yet").isEmpty();
    book.fold(anomaly("b", AnomalyPhase.END, 10, 15), graph);
    assertThat(book.resolve(at(19))).as("four healthy windows").isEmpty();
    List<LiveIncident> resolved = book.resolve(at(20));
    assertThat(resolved).hasSize(1);
    assertThat(resolved.get(0).resolvedAt()).isEqualTo(at(20));
  }

  @Test
  void silentEpisodeCountsAsEndedAfterTheStaleTime() {
    book.fold(anomaly("a", AnomalyPhase.START, 10, 11), graph);
    long stale = settings.episodeStale().toMillis();
    assertThat(book.resolve(at(11) + stale - 1)).isEmpty();
    List<LiveIncident> resolved = book.resolve(at(11) + stale);
    assertThat(resolved).hasSize(1);
    assertThat(resolved.get(0).resolvedAt())
        .as("quiet since its last event")
        .isEqualTo(at(11) + settings.healthyMillis());
  }

  private void call(String client, String server, int minute) {
    graph.observe(client, server, EdgeStatsTest.window(minute, 10, 0), 600_000);
  }

  private static long at(int minute) {
    return Scenario.minute(minute).toEpochMilli();
  }

  static AnomalyEvent anomaly(String service, AnomalyPhase phase, int started, int at) {
    return Scenario.anomaly(service, phase, started, at);
  }
}
