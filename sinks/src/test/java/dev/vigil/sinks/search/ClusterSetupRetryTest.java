package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.sinks.common.Auth;
import dev.vigil.sinks.common.HttpSettings;
import dev.vigil.sinks.common.HttpStatusException;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.RetryPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the search sink's setup requests (probe, templates) do when the cluster is unreachable or
 * still recovering, answered by a local HTTP server with the statuses a node gives then (the outage
 * against a real node is {@code SearchNodeOutageOpenSearchIT}; these pin each decision).
 */
class ClusterSetupRetryTest {
  private static final String ES8 =
      "{\"version\":{\"number\":\"8.15.0\",\"build_flavor\":\"default\"}}";
  private static final String RECOVERING =
      "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked by:"
          + " [SERVICE_UNAVAILABLE/1/state not recovered / initialized];\"},\"status\":503}";

  private HttpServer server;
  private final Deque<Reply> replies = new ArrayDeque<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private record Reply(int status, String body) {}

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private synchronized void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
    Reply reply = replies.isEmpty() ? new Reply(200, "{\"acknowledged\":true}") : replies.poll();
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** A target that does not retry by itself: each reply is the final answer to one request. */
  private HttpTarget target() {
    HttpSettings settings =
        new HttpSettings(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            new Auth.None(),
            Optional.empty(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)));
    return new HttpTarget(settings, d -> {}, RandomGenerator.of("L64X128MixRandom"));
  }

  @Test
  void aTemplateTheClusterDidNotTakeIsSentAgainWithTheRedeliveredBatch() {
    IndexSetup setup =
        new IndexSetup(
            target(),
            new SearchEngine(SearchEngine.Distribution.OPENSEARCH, "2.19.1", true, false));
    replies.add(new Reply(503, RECOVERING));

    assertThatThrownBy(() -> setup.ensureIndex("vigil.incidents", "Incident"))
        .isInstanceOfSatisfying(
            HttpStatusException.class, e -> assertThat(e.isRetriable()).isTrue());
    setup.ensureIndex("vigil.incidents", "Incident");
    setup.ensureIndex("vigil.incidents", "Incident");

    assertThat(requests)
        .as("refused once, installed on the next batch, then known to be there")
        .containsExactly(
            "PUT /_index_template/vigil-sink-vigil.incidents",
            "PUT /_index_template/vigil-sink-vigil.incidents");
  }

  @Test
  void aRecoveringClusterIsNotTakenForOneWithoutIlmOrDataStreams() {
    replies.add(new Reply(200, ES8));
    replies.add(new Reply(503, RECOVERING));

    assertThatThrownBy(() -> SearchEngine.probe(target()))
        .isInstanceOfSatisfying(
            HttpStatusException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.isRetriable()).isTrue();
            });

    replies.add(new Reply(200, ES8));
    replies.add(new Reply(200, "{\"operation_mode\":\"RUNNING\"}"));
    assertThat(SearchEngine.probe(target()).describe())
        .isEqualTo("Elasticsearch 8.15.0 (data streams, ILM)");
  }

  @Test
  void aSetupRequestRefusedWith5xxIsRetriableAndOtherRefusalsAreNot() {
    // Redelivery.after hands a retriable refusal back to Connect and lets any other fail the task
    // (RedeliveryTest); the setup requests must throw what tells the two apart.
    HttpTarget target = target();
    replies.add(new Reply(503, RECOVERING));
    assertThatThrownBy(() -> target.send(HttpTarget.Request.get("/")))
        .isInstanceOfSatisfying(
            HttpStatusException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining("answered 503");

    replies.add(new Reply(403, "{\"error\":\"no privilege to manage index templates\"}"));
    assertThatThrownBy(() -> target.send(HttpTarget.Request.get("/")))
        .isInstanceOfSatisfying(
            HttpStatusException.class, e -> assertThat(e.isRetriable()).isFalse())
        .hasMessageContaining("answered 403");
  }
}
