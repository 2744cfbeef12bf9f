package dev.vigil.runtime.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoint of a Vigil process: {@code /metrics} (Prometheus text), {@code
 * /health/live} and {@code /health/ready} (200 or 503, with a JSON body naming each component's
 * state). Runs on the JDK's HTTP server with one thread: scrapes and probes are rare and cheap.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(ManagementServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusMeterRegistry registry;
  private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Binds the endpoint; serving starts at once.
   *
   * @param host interface to bind, e.g. {@code 0.0.0.0}
   * @param port port to bind, 0 for any free one
   * @param registry metrics to expose
   * @throws IOException if the address cannot be bound
   */
  public ManagementServer(String host, int port, PrometheusMeterRegistry registry)
      throws IOException {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.server = HttpServers.http(new InetSocketAddress(host, port), 16);
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-management");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", this::metrics);
    server.createContext(
        "/health/live", exchange -> health(exchange, c -> c.live().getAsBoolean()));
    server.createContext(
        "/health/ready", exchange -> health(exchange, c -> c.ready().getAsBoolean()));
    server.createContext(
        "/",
        exchange ->
            respond(
                exchange,
                404,
                "text/plain",
                "not found; try /metrics, /health/live, /health/ready\n"));
    server.start();
    LOGGER.info("Management endpoint on http://{}:{}/metrics", host, port());
  }

  /** Adds a component to the health checks. */
  public void register(HealthCheck check) {
    checks.add(Objects.requireNonNull(check, "check"));
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void metrics(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      respond(exchange, 405, "text/plain", "only GET\n");
      return;
    }
    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private void health(HttpExchange exchange, Predicate<HealthCheck> healthy) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode components = body.putObject("components");
    boolean all = true;
    for (HealthCheck check : checks) {
      boolean ok = healthy.test(check);
      all &= ok;
      components
          .putObject(check.name())
          .put("status", ok ? "UP" : "DOWN")
          .put("state", check.detail().get());
    }
    body.put("status", all ? "UP" : "DOWN");
    respond(exchange, all ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving; safe to call twice. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
