package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.RequiredBinary;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil up --simulate} as a person sees it: in a real terminal (tmux) the live view redraws
 * in place and Ctrl-C prints the summary; without a terminal it prints a plain line every 10 s and
 * the summary when the scenario ends.
 */
@Timeout(300)
class LiveViewIT {
  private static final String HEADER = "Vigil — simulated platform";
  private static final Pattern SIM_TIME = Pattern.compile("sim time (\\d\\d:\\d\\d) UTC");

  private static final String EXITED = "vigil-process-exited";

  @TempDir Path dir;

  @Test
  void inATerminalTheViewRedrawsInPlaceAndCtrlCPrintsTheSummary() throws Exception {
    Path tmux = RequiredBinary.require("tmux", "tmux");
    Tmux terminal = new Tmux(tmux, "vigil-live-view-" + ProcessHandle.current().pid());
    Path scenario =
        scenario("faults:\n  - {kind: latency, target: search, at: 1m, duration: 4m}\n");
    try (terminal) {
      terminal.start(120, 45, command(scenario, "30"));

      await("the view's first frame")
          .atMost(Duration.ofSeconds(120))
          .until(() -> terminal.screen().contains(HEADER));
      String first = terminal.screen();
      assertThat(first)
          .contains("ingest", "windows closed", "anomalies", "alerts", "Open incidents");
      String firstTime = simTime(first);
      await("a later frame in the same place")
          .atMost(Duration.ofSeconds(60))
          .until(() -> !simTime(terminal.screen()).equals(firstTime));
      String later = terminal.screen();
      // Redrawn in place: the screen holds one frame, not a scroll of them.
      assertThat(occurrences(later, HEADER)).isEqualTo(1);
      assertThat(later.indexOf(HEADER)).isLessThan(later.indexOf("ingest"));

      terminal.sendKeys("C-c");
      await("the summary after Ctrl-C")
          .atMost(Duration.ofSeconds(60))
          .until(() -> terminal.history().contains("Simulation summary"));
      assertThat(terminal.history()).contains("sent ", "windows ", "incidents ", "alerts ");
      // The broker writes its logs until the process is gone: the temp dir can only go after that.
      await("vigil's exit after the summary")
          .atMost(Duration.ofSeconds(60))
          .until(() -> terminal.history().contains(EXITED));
    }
  }

  @Test
  void withoutATerminalItPrintsPeriodicLinesAndTheSummaryAtTheScenarioEnd() throws Exception {
    Path scenario =
        scenario(
            "duration: 8m\nfaults:\n  - {kind: latency, target: search, at: 1m, duration: 4m}\n");
    try (VigilProcess vigil = VigilProcess.start(arguments(scenario, "30"))) {
      await("the summary at the scenario's end")
          .atMost(Duration.ofSeconds(180))
          .until(() -> vigil.stdout().contains("Simulation summary"));
      String out = vigil.stdout();
      // One plain line per 10 s of a ~20 s run (8 simulated minutes at 30x plus the end's drain).
      List<String> lines =
          out.lines().filter(l -> l.contains(" | ingest ") && l.contains(" | windows ")).toList();
      assertThat(lines).as(out).hasSizeGreaterThanOrEqualTo(2);
      assertThat(out).doesNotContain("\033[").doesNotContain(HEADER);
      assertThat(out).contains("sent ", "failed exports", "incidents ");
      assertThat(vigil.terminate(Duration.ofSeconds(30))).isIn(0, 130, 143);
    }
  }

  private Path scenario(String yaml) throws IOException {
    Path file = dir.resolve("scenario.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private String[] arguments(Path scenario, String speed) throws IOException {
    return new String[] {
      "up",
      "--simulate",
      "--scenario",
      scenario.toString(),
      "--speed",
      speed,
      "--services",
      "15",
      "--warmup",
      "5m",
      "--data-dir",
      dir.resolve("data").toString(),
      "--kafka-port",
      Integer.toString(freePort()),
      "--controller-port",
      Integer.toString(freePort()),
      "--set",
      "management.port=" + freePort(),
      "--set",
      "bridge.grpc.port=" + freePort(),
      "--set",
      "bridge.http.port=0"
    };
  }

  private String command(Path scenario, String speed) throws IOException {
    List<String> words = new ArrayList<>(VigilProcess.javaCommand());
    words.addAll(List.of(arguments(scenario, speed)));
    return String.join(" ", words.stream().map(w -> "'" + w + "'").toList())
        + " 2>"
        + dir.resolve("stderr.txt");
  }

  private static String simTime(String screen) {
    Matcher m = SIM_TIME.matcher(screen);
    return m.find() ? m.group(1) : "";
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A tmux server of its own (its own socket), one window, kept after the command exits. */
  private record Tmux(Path binary, String socket) implements AutoCloseable {
    void start(int width, int height, String command) throws Exception {
      run(
          "new-session",
          "-d",
          "-s",
          "vigil",
          "-x",
          Integer.toString(width),
          "-y",
          Integer.toString(height),
          command + "; echo " + EXITED + "; sleep 600");
    }

    /** What the screen shows now. */
    String screen() throws Exception {
      return run("capture-pane", "-p", "-t", "vigil");
    }

    /** The screen and everything scrolled off it. */
    String history() throws Exception {
      return run("capture-pane", "-p", "-S", "-", "-t", "vigil");
    }

    void sendKeys(String keys) throws Exception {
      run("send-keys", "-t", "vigil", keys);
    }

    private String run(String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "-L", socket));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("tmux " + String.join(" ", args) + ": " + out);
      }
      return out;
    }

    @Override
    public void close() throws IOException {
      Process kill =
          new ProcessBuilder(binary.toString(), "-L", socket, "kill-server")
              .redirectErrorStream(true)
              .start();
      try {
        kill.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
