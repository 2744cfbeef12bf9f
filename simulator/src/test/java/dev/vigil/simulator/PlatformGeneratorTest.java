package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.NodeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformGeneratorTest {
  @Test
  void defaultPlatformHasSixtyServicesWithTheCoreAndItsInfrastructure() {
    Platform platform = PlatformGenerator.ecommerce();

    assertThat(platform.services()).hasSize(60);
    assertThat(platform.services().stream().map(Node::name))
        .contains(
            "frontend",
            "api-gateway",
            "catalog",
            "search",
            "recommendation",
            "cart",
            "checkout",
            "pricing",
            "inventory",
            "payment",
            "fraud",
            "shipping",
            "notification",
            "user",
            "auth");
    assertThat(platform.nodes().stream().map(Node::kind))
        .contains(NodeKind.DATABASE, NodeKind.CACHE, NodeKind.QUEUE);
    assertThat(platform.entry()).isEqualTo("frontend");
  }

  @Test
  void everyServiceSeesAtLeastEightPercentOfTheRequests() {
    // A service called twice an hour has no golden signals to speak of: at 300 requests a minute
    // (150 at the daily trough) this is at least 12 calls a minute everywhere.
    for (int services : List.of(60, 500)) {
      Platform platform = PlatformGenerator.ecommerce(services, 7);
      for (Node service : platform.services()) {
        assertThat(platform.visits(service.name()))
            .as(service.name())
            .isGreaterThanOrEqualTo(0.079);
      }
    }
  }

  @Test
  void sameSeedSameGraphAndLargerPlatformsAreRealistic() {
    Platform a = PlatformGenerator.ecommerce(500, 42);
    Platform b = PlatformGenerator.ecommerce(500, 42);
    Platform c = PlatformGenerator.ecommerce(500, 43);

    assertThat(a.nodes()).containsExactlyElementsOf(b.nodes());
    assertThat(a.nodes()).isNotEqualTo(c.nodes());
    assertThat(a.services()).hasSize(500);
    long databases = a.nodes().stream().filter(n -> n.kind() == NodeKind.DATABASE).count();
    assertThat(databases).isBetween(150L, 250L); // about 40% of 485 satellites, plus the core's
    double spansPerRequest = a.nodes().stream().mapToDouble(n -> a.visits(n.name())).sum();
    assertThat(spansPerRequest).isBetween(40.0, 400.0);
    Platform small = PlatformGenerator.ecommerce();
    double calls = small.nodes().stream().mapToDouble(n -> small.visits(n.name())).sum();
    assertThat(calls).as("calls per request, default platform").isBetween(15.0, 35.0);
  }

  @Test
  void rejectsFewerServicesThanTheCore() {
    assertThatThrownBy(() -> PlatformGenerator.ecommerce(10, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 15");
  }

  @Test
  void rejectsCycles() {
    Node a =
        new Node("a", NodeKind.SERVICE, "", "web", 1, 1, 0, List.of(new Node.Call("b", 1, "x")));
    Node b =
        new Node("b", NodeKind.SERVICE, "", "web", 1, 1, 0, List.of(new Node.Call("a", 1, "x")));
    assertThatThrownBy(() -> new Platform(List.of(a, b), "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
  }
}
