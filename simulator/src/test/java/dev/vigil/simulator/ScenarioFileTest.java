package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioFileTest {
  @TempDir Path dir;

  @Test
  void readsYamlWithDefaultsPerKind() throws Exception {
    Path file = dir.resolve("outage.yaml");
    Files.writeString(
        file,
        """
        faults:
          - kind: latency
            target: inventory
            at: 10m
            duration: 5m
            magnitude: 8
          - {kind: bad-deploy, target: pricing, at: 1h, duration: 5m}
          - {kind: dependency-latency, target: checkout, dependency: payment, at: 30m, duration: 90s}
        """);

    Scenario scenario = ScenarioFile.read(file);

    assertThat(scenario.name()).isEqualTo("outage");
    assertThat(scenario.faults())
        .extracting(Fault::toString)
        .containsExactly(
            "latency:inventory@10m+5m*8.0",
            "dependency-latency:checkout->payment@30m+1m30s*5.0",
            "bad-deploy:pricing@1h+5m*0.25");
    assertThat(scenario.end()).contains(Duration.ofMinutes(80));
    scenario.validateAgainst(PlatformGenerator.ecommerce());
  }

  @Test
  void readsJson() throws Exception {
    Path file = dir.resolve("db.json");
    Files.writeString(
        file,
        "{\"name\": \"db\", \"duration\": \"PT1H\", \"faults\": [{\"kind\": \"DATABASE\","
            + " \"target\": \"postgresql:orders\", \"at\": \"5m\", \"duration\": \"5m\"}]}");

    Scenario scenario = ScenarioFile.read(file);

    assertThat(scenario.end()).contains(Duration.ofHours(1));
    assertThat(scenario.faults().get(0).magnitude()).isEqualTo(0.5);
  }

  @Test
  void unknownFieldIsAnErrorNamingTheFault() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "faults:\n  - {kind: errors, target: fraud, at: 1m, duraton: 5m}\n");

    assertThatThrownBy(() -> ScenarioFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typo.yaml")
        .hasMessageContaining("fault #1")
        .hasMessageContaining("unknown field 'duraton'");
  }

  @Test
  void unknownKindListsTheKinds() {
    assertThatThrownBy(() -> Fault.parse("slow:payment@1m+1m"))
        .hasMessageContaining("unknown fault kind 'slow'")
        .hasMessageContaining("bad-deploy");
  }

  @Test
  void parsesFaultFlags() {
    assertThat(Fault.parse("database:postgresql:orders@45m+5m*0.8"))
        .isEqualTo(
            new Fault(
                FaultKind.DATABASE,
                "postgresql:orders",
                null,
                Duration.ofMinutes(45),
                Duration.ofMinutes(5),
                0.8));
    assertThat(Fault.parse("dependency-latency:api-gateway->search@1h+2m").dependency())
        .isEqualTo("search");
    assertThatThrownBy(() -> Fault.parse("errors:fraud@1m+1m*3"))
        .hasMessageContaining("probability");
  }

  @Test
  void faultOnUnknownOrWrongNodeIsRejected() {
    Platform platform = PlatformGenerator.ecommerce();
    assertThatThrownBy(() -> scenario("latency:nope@1m+1m").validateAgainst(platform))
        .hasMessageContaining("no node 'nope'");
    assertThatThrownBy(() -> scenario("database:payment@1m+1m").validateAgainst(platform))
        .hasMessageContaining("not a database");
    assertThatThrownBy(() -> scenario("surge:payment@1m+1m").validateAgainst(platform))
        .hasMessageContaining("entry service frontend");
    assertThatThrownBy(
            () -> scenario("dependency-latency:cart->payment@1m+1m").validateAgainst(platform))
        .hasMessageContaining("cart does not call payment");
  }

  private static Scenario scenario(String flag) {
    return new Scenario("t", java.util.Optional.empty(), java.util.List.of(Fault.parse(flag)));
  }
}
