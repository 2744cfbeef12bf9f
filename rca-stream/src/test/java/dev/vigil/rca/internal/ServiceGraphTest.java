package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import org.junit.jupiter.api.Test;

class ServiceGraphTest {
  private final ServiceGraph graph = new ServiceGraph();

  @Test
  void linksAlongCallsAndSharedDependenciesButNotSharedCallers() {
    call("frontend", "checkout", 0);
    call("frontend", "search", 0);
    call("checkout", "payment", 0);
    call("payment", "ledger", 0);
    call("search", "redis", 0);
    call("checkout", "redis", 0);

    assertThat(graph.linked("checkout", "payment", 1)).as("direct call").isTrue();
    assertThat(graph.linked("ledger", "checkout", 2)).as("two hops down").isTrue();
    assertThat(graph.linked("ledger", "checkout", 1)).isFalse();
    assertThat(graph.linked("search", "checkout", 2)).as("both call redis").isTrue();
    assertThat(graph.linked("search", "payment", 2))
        .as("only frontend calls both sides: not linked")
        .isFalse();
  }

  @Test
  void agesOutEdgesWithoutCalls() {
    call("a", "b", 0);
    call("a", "pg", 25);

    assertThat(graph.expire(Scenario.minute(32).toEpochMilli(), 30 * 60_000L))
        .containsExactly("a -> b");
    assertThat(graph.callees("a")).containsExactly("pg");
    assertThat(graph.nodeCount()).isEqualTo(2);
    assertThat(graph.isService("pg")).isFalse();
    assertThat(graph.kind("pg")).isEqualTo("DATABASE");
  }

  private void call(String client, String server, int minute) {
    EdgeWindow window = EdgeStatsTest.window(minute, 10, 0);
    if (server.equals("pg") || server.equals("redis")) {
      window.setServerKind(server.equals("pg") ? NodeKind.DATABASE : NodeKind.CACHE);
    }
    graph.observe(client, server, window, 600_000);
  }
}
