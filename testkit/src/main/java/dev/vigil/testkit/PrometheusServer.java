package dev.vigil.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Prometheus (Debian {@code prometheus}) with the remote-write receiver on, for one test
 * class: {@code @RegisterExtension static final PrometheusServer PROMETHEUS = new
 * PrometheusServer();}. It scrapes nothing; it refuses out-of-order samples with 400, as in
 * production.
 */
public final class PrometheusServer extends PromQlServer {
  /** A server on a free port. */
  public PrometheusServer() {
    super("prometheus", "prometheus");
  }

  @Override
  protected List<String> arguments(Path dir, int port) throws IOException {
    Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");
    return List.of(
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver",
        "--log.level=warn");
  }

  @Override
  protected String readyPath() {
    return "/-/ready";
  }
}
