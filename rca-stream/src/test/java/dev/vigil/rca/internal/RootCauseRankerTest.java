package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.internal.LiveIncident.RankedCause;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ChangeType;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The ranking alone, without Kafka: a graph, some members, some changes. */
class RootCauseRankerTest {
  private final RcaSettings settings = RcaSettings.defaults();
  private final RootCauseRanker ranker = new RootCauseRanker(settings);
  private final ServiceGraph graph = new ServiceGraph();
  private final ChangeLog changes = new ChangeLog();
  private final Map<String, Member> members = new TreeMap<>();
  private final long now = Scenario.minute(12).toEpochMilli();

  @Test
  void walkEndsAtTheDegradedDependencyOfTheDeepestAnomalousService() {
    edge("web", "api", NodeKind.SERVICE, 100, 250);
    edge("api", "mongo", NodeKind.DATABASE, 5, 60);
    member("web", 11, 0.7);
    member("api", 10, 0.9);

    List<RankedCause> ranked = ranker.rank(members, graph, changes, now);

    assertThat(ranked).extracting(RankedCause::service).containsExactly("mongo", "api", "web");
    assertThat(ranked.get(0).reasons())
        .containsExactly(
            "caller's p99 to it x8.9 (api: 60 ms, baseline 5 ms)",
            "database called by anomalous api",
            "first anomalous at 10:10",
            "call-graph walk 1.00");
    assertThat(ranked).allSatisfy(c -> assertThat(c.score()).isBetween(0.0, 1.0));
    assertThat(ranked.get(0).score()).isGreaterThan(ranked.get(1).score() + 0.2);
  }

  @Test
  void healthyDependenciesAreNoCandidates() {
    edge("web", "api", NodeKind.SERVICE, 100, 250);
    edge("api", "mongo", NodeKind.DATABASE, 5, 5.2);
    member("web", 10, 0.7);
    member("api", 10, 0.9);

    assertThat(ranker.rank(members, graph, changes, now))
        .extracting(RankedCause::service)
        .containsExactly("api", "web");
  }

  @Test
  void changeOnlyCountsWithinTheLookBackBeforeTheAnomaly() {
    edge("web", "api", NodeKind.SERVICE, 100, 250);
    member("web", 10, 0.9);
    member("api", 10, 0.9);
    change("web", -45);
    change("api", 25);

    List<RankedCause> ranked = ranker.rank(members, graph, changes, now);

    assertThat(ranked).allSatisfy(c -> assertThat(c.reasons().get(0)).doesNotStartWith("deploy"));
    changes.add(deploy("web", 8));
    List<RankedCause> withDeploy = ranker.rank(members, graph, changes, now);
    RankedCause web = withDeploy.stream().filter(c -> c.service().equals("web")).findFirst().get();
    assertThat(web.reasons().get(0)).isEqualTo("deploy v9 2 min before");
  }

  @Test
  void pageRankIsADistribution() {
    edge("a", "b", NodeKind.SERVICE, 10, 100);
    edge("b", "c", NodeKind.SERVICE, 10, 100);
    Map<String, Double> rank =
        RootCauseRanker.pageRank(
            new java.util.TreeSet<>(List.of("a", "b", "c")),
            Map.of("a", 0.5, "b", 0.8, "c", 0.9),
            graph);
    assertThat(rank.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(rank.get("c")).isGreaterThan(rank.get("b")).isGreaterThan(rank.get("a"));
  }

  private void edge(String client, String server, NodeKind kind, double p99, double nowP99) {
    for (int m = 0; m < 12; m++) {
      EdgeWindow w = EdgeStatsTest.window(m, m >= 10 ? nowP99 : p99, 0);
      w.setServerKind(kind);
      graph.observe(client, server, w, settings.correlationWindow().toMillis());
    }
  }

  private void member(String service, int minute, double score) {
    Member m = new Member(service, Scenario.minute(minute).toEpochMilli());
    m.episodes.put(
        service + "-1",
        new Episode(
            service + "-1",
            "http.server.request.duration",
            "LATENCY",
            m.firstAnomalousAt,
            now,
            score,
            "WARNING",
            "UP",
            500,
            100,
            "p95",
            false));
    members.put(service, m);
  }

  private void change(String service, int minute) {
    changes.add(deploy(service, minute));
  }

  private static ChangeEvent deploy(String service, int minute) {
    return ChangeEvent.newBuilder()
        .setService(service)
        .setType(ChangeType.DEPLOY)
        .setAt(Scenario.minute(minute))
        .setVersion("v9")
        .build();
  }
}
