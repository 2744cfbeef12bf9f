package dev.vigil.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Alertmanager (Debian {@code prometheus-alertmanager}) for one test class, clustering off,
 * routing everything to a receiver that notifies no one; tests read alerts back through {@code GET
 * /api/v2/alerts}.
 */
public final class AlertmanagerServer extends ServerProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG =
      """
      route:
        receiver: blackhole
      receivers:
        - name: blackhole
      """;

  /** A server on a free port. */
  public AlertmanagerServer() {
    super("prometheus-alertmanager", "prometheus-alertmanager");
  }

  @Override
  protected List<String> arguments(Path dir, int port) throws IOException {
    Path config = Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
    return List.of(
        "--config.file=" + config,
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=",
        "--log.level=warn");
  }

  @Override
  protected String readyPath() {
    return "/-/ready";
  }

  /**
   * The alerts Alertmanager holds (active, silenced, inhibited and unprocessed; resolved ones
   * disappear), optionally filtered by matchers such as {@code alertname="X"}.
   */
  public List<JsonNode> alerts(String... matchers) {
    StringBuilder path =
        new StringBuilder(
            "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true");
    for (String matcher : matchers) {
      path.append("&filter=").append(URLEncoder.encode(matcher, StandardCharsets.UTF_8));
    }
    try {
      List<JsonNode> alerts = new ArrayList<>();
      JSON.readTree(get(path.toString())).forEach(alerts::add);
      return alerts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
