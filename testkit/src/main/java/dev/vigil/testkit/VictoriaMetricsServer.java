package dev.vigil.testkit;

import java.nio.file.Path;
import java.util.List;

/**
 * A real VictoriaMetrics single node (Debian {@code victoria-metrics}), a second remote-write
 * receiver, with queries seeing the newest samples at once ({@code -search.latencyOffset=0s}).
 */
public final class VictoriaMetricsServer extends PromQlServer {
  /** A server on a free port. */
  public VictoriaMetricsServer() {
    super("victoria-metrics", "victoria-metrics");
  }

  @Override
  protected List<String> arguments(Path dir, int port) {
    return List.of(
        "-storageDataPath=" + dir.resolve("data"),
        "-httpListenAddr=127.0.0.1:" + port,
        "-search.latencyOffset=0s",
        "-loggerLevel=WARN");
  }

  @Override
  protected String readyPath() {
    return "/health";
  }
}
