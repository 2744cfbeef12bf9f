package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

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
