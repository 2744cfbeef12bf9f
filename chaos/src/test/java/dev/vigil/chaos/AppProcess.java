package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.deploy.VigilProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stream apps run by the packaged jar as one separate JVM ({@code vigil run APP...}), the way a pod
 * runs them; it can be killed with SIGKILL and started again with the same settings and state
 * folder, as a container restart would.
 */
final class AppProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern MANAGEMENT = Pattern.compile("http://[^:]+:(\\d+)/metrics");

  private final List<String> args = new ArrayList<>();
  private final List<VigilProcess> started = new ArrayList<>();
  private VigilProcess current;

  /**
   * @param apps app names, e.g. {@code enrichment}
   * @param bootstrapServers the broker
   * @param settings {@code --set} settings (state folder, topic prefix, ...)
   */
  AppProcess(List<String> apps, String bootstrapServers, Map<String, String> settings) {
    args.add("run");
    args.addAll(apps);
    args.addAll(List.of("-b", bootstrapServers));
    settings.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
  }

  /**
   * Starts the process and waits until every app is RUNNING.
   *
   * @return how long that took
   */
  Duration start() throws IOException {
    long began = System.nanoTime();
    VigilProcess process = VigilProcess.start(args.toArray(String[]::new));
    current = process;
    started.add(process);
    await("vigil run ready")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              assertThat(process.isAlive())
                  .as("vigil run exited early:\n%s", process.stderr())
                  .isTrue();
              assertThat(process.stdout()).contains("Press Ctrl-C to stop.");
            });
    return Duration.ofNanos(System.nanoTime() - began);
  }

  /** SIGKILL: no shutdown hook, no commit, no leaving the group. Waits until it is gone. */
  void kill() throws InterruptedException {
    current.kill(Duration.ofSeconds(10));
  }

  boolean isAlive() {
    return current != null && current.isAlive();
  }

  /** Operating-system id of the current process. */
  long pid() {
    return current.pid();
  }

  /** How many processes were started (1 + restarts). */
  int starts() {
    return started.size();
  }

  /** Port of the current process's management endpoint. */
  int managementPort() {
    Matcher port = MANAGEMENT.matcher(current.stdout());
    assertThat(port.find()).as(current.stdout()).isTrue();
    return Integer.parseInt(port.group(1));
  }

  /** Standard error (the log) of the {@code n}-th process started, from 1. */
  String log(int n) {
    return started.get(n - 1).stderr();
  }

  /** Standard error of every process started, for a failure's message. */
  String logs() {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < started.size(); i++) {
      all.append("---- process ").append(i + 1).append(" stderr ----\n");
      all.append(started.get(i).stderr());
    }
    return all.toString();
  }

  /** Stops the current process gracefully (SIGTERM), as the end of a test. */
  @Override
  public void close() {
    if (current != null && current.isAlive()) {
      try {
        current.terminate(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        current.close();
      }
    }
  }
}
