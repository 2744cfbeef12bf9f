package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTargetTest {
  private HttpServer server;
  private final Deque<Reply> replies = new ArrayDeque<>();
  private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  private final List<String> requestBodies = new CopyOnWriteArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();

  private record Reply(int status, String body, Optional<String> retryAfter) {}

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
    requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
    requestBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Reply reply = replies.isEmpty() ? new Reply(200, "ok", Optional.empty()) : replies.poll();
    reply.retryAfter().ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private HttpTarget target(Auth auth, int maxRetries) {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prefix");
    HttpSettings settings =
        new HttpSettings(
            base,
            auth,
            Optional.empty(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            new RetryPolicy(maxRetries, Duration.ofMillis(100), Duration.ofMillis(1000)));
    return new HttpTarget(settings, sleeps::add, RandomGenerator.of("L64X128MixRandom"));
  }

  @Test
  void retriesServerErrorsThenSucceedsWithGrowingBackoff() {
    replies.add(new Reply(503, "busy", Optional.empty()));
    replies.add(new Reply(500, "oops", Optional.empty()));
    replies.add(new Reply(204, "", Optional.empty()));

    HttpTarget.Response response =
        target(new Auth.None(), 5)
            .send(HttpTarget.Request.post("/write", "text/plain", new byte[] {'x'}));

    assertThat(response.status()).isEqualTo(204);
    assertThat(requestBodies).containsExactly("x", "x", "x");
    // Attempt 0 waits 50..100 ms, attempt 1 waits 100..200 ms (half to all of initial * 2^n).
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void honoursRetryAfterOn429() {
    replies.add(new Reply(429, "slow down", Optional.of("3")));

    target(new Auth.None(), 5).send(HttpTarget.Request.get("/q"));

    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void doesNotRetryOtherClientErrorsAndNamesStatusAndBody() {
    replies.add(new Reply(400, "out of order sample", Optional.empty()));

    assertThatThrownBy(() -> target(new Auth.None(), 5).send(HttpTarget.Request.get("/write")))
        .isInstanceOfSatisfying(
            HttpStatusException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.isRetriable()).isFalse();
            })
        .hasMessageContaining("GET http://127.0.0.1:")
        .hasMessageContaining("/prefix/write answered 400: out of order sample");
    assertThat(requestBodies).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void givesUpAfterMaxRetriesWithTheLastStatus() {
    for (int i = 0; i < 3; i++) {
      replies.add(new Reply(502, "bad gateway " + i, Optional.empty()));
    }

    assertThatThrownBy(() -> target(new Auth.None(), 2).send(HttpTarget.Request.get("/")))
        .isInstanceOfSatisfying(
            HttpStatusException.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining("answered 502: bad gateway 2");
    assertThat(requestBodies).hasSize(3);
  }

  @Test
  void exchangeReturnsClientErrorsAsAnswers() {
    replies.add(new Reply(404, "no such index", Optional.empty()));

    assertThat(target(new Auth.None(), 5).exchange(HttpTarget.Request.get("/idx")).status())
        .isEqualTo(404);
  }

  @Test
  void retriesConnectionFailuresThenThrowsRetriable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HttpSettings settings =
        HttpSettings.plain(URI.create("http://127.0.0.1:" + closedPort))
            .withRetry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)));
    HttpTarget target = new HttpTarget(settings, sleeps::add, RandomGenerator.getDefault());

    assertThatThrownBy(() -> target.send(HttpTarget.Request.get("/")))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("failed after 3 attempts");
    assertThat(sleeps).hasSize(2);
    assertThat(target.retries()).isEqualTo(2);
  }

  @Test
  void sendsTheConfiguredAuthHeader() {
    target(new Auth.Basic("vigil", "s3cret"), 0).send(HttpTarget.Request.get("/"));
    target(new Auth.Bearer("tok"), 0).send(HttpTarget.Request.get("/"));
    target(new Auth.ApiKey("Authorization", "a2V5"), 0).send(HttpTarget.Request.get("/"));
    target(new Auth.ApiKey("X-API-Key", "k"), 0).send(HttpTarget.Request.get("/"));

    assertThat(requestHeaders.get(0).get("Authorization"))
        .containsExactly("Basic dmlnaWw6czNjcmV0");
    assertThat(requestHeaders.get(1).get("Authorization")).containsExactly("Bearer tok");
    assertThat(requestHeaders.get(2).get("Authorization")).containsExactly("ApiKey a2V5");
    assertThat(requestHeaders.get(3).get("X-api-key")).containsExactly("k");
  }

  @Test
  void parsesRetryAfterSecondsAndDates() {
    assertThat(HttpTarget.parseRetryAfter("7")).contains(Duration.ofSeconds(7));
    assertThat(HttpTarget.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    assertThat(HttpTarget.parseRetryAfter("soon")).isEmpty();
  }

  @Test
  void capsRetryAfter() {
    RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));
    assertThat(policy.delay(0, Optional.of(Duration.ofHours(1)), RandomGenerator.getDefault()))
        .isEqualTo(RetryPolicy.RETRY_AFTER_CAP);
  }
}
