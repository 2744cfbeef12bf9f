package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.simulator.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void aCompressedScenarioLiesInThePastByWhatCompressionGainsOnTheClock() {
    Scenario hour = new Scenario("hour", Optional.of(Duration.ofHours(1)), List.of());
    Scenario openEnded = new Scenario("steady", Optional.empty(), List.of());

    // At 60x an hour of scenario takes a minute: it starts 59 minutes ago and ends about now.
    assertThat(SimulateOptions.lookback(hour, 60)).isEqualTo(Duration.ofMinutes(59));
    assertThat(SimulateOptions.lookback(hour, 1)).isZero();
    assertThat(SimulateOptions.lookback(hour, 0)).isEqualTo(Duration.ofHours(1));
    assertThat(SimulateOptions.lookback(openEnded, 60)).isEqualTo(Duration.ofMinutes(24 * 59));
  }

  @Test
  void badFaultFlagStopsBeforeAnythingIsSentAndNamesTheProblem() {
    StringWriter err = new StringWriter();
    int status = run(err, "simulate", "--fault", "slow:payment@1m+1m");

    assertThat(status).isNotZero();
    assertThat(err.toString()).contains("unknown fault kind 'slow'").contains("bad-deploy");
  }

  @Test
  void scenarioNamingAnUnknownServiceIsRejected() throws Exception {
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, "faults:\n  - {kind: latency, target: nope, at: 1m, duration: 1m}\n");
    StringWriter err = new StringWriter();

    int status = run(err, "simulate", "--scenario", file.toString());

    assertThat(status).isNotZero();
    assertThat(err.toString()).contains("no node 'nope' in the platform");
  }

  @Test
  void upListsTheSimulateFlags() {
    StringWriter out = new StringWriter();
    CommandLine cmd = VigilCommand.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.execute("up", "--help");
    assertThat(out.toString()).contains("--simulate", "--scenario", "--speed", "--services");
  }

  private static int run(StringWriter err, String... args) {
    CommandLine cmd = VigilCommand.commandLine();
    cmd.setErr(new PrintWriter(err));
    cmd.setOut(new PrintWriter(new StringWriter()));
    return cmd.execute(args);
  }
}
