package dev.vigil.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The only stand-in Vigil's tests allow for AWS: a local HTTP server speaking the SageMaker Runtime
 * {@code InvokeEndpoint} protocol ({@code POST /endpoints/{name}/invocations}, SigV4-signed JSON).
 * It answers a DeepAR response (mean = last target value + step, the 0.1 and 0.9 quantiles ±1) or
 * the failure the test sets: a 5xx, throttling, an answer later than any client timeout, garbage;
 * and it can go {@link #down()} (connection refused) and come {@link #up()} on the same port. It
 * records every request as it arrived.
 */
public final class SageMakerStandIn implements AutoCloseable {
  /** Access key id test clients sign with. */
  public static final String ACCESS_KEY = "AKIDVIGILTEST";

  /** Secret key test clients sign with. */
  public static final String SECRET_KEY = "vigil-test-secret";

  /** Region test clients sign for. */
  public static final String REGION = "eu-west-1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration HELD = Duration.ofSeconds(30);

  /** How the server answers. */
  public enum Mode {
    /** 200 with a DeepAR answer. */
    OK,
    /** 500 {@code InternalFailure}. */
    SERVER_ERROR,
    /** 429 {@code ThrottlingException}. */
    THROTTLED,
    /** A DeepAR answer after {@link #slowBy} (until closed, at most 30 s, by default). */
    SLOW,
    /** 200 with a body that is not a DeepAR answer. */
    GARBAGE
  }

  private final List<Received> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final int port;
  private HttpServer server;
  private volatile Mode mode = Mode.OK;
  private volatile Duration slowBy = HELD;
  private volatile int predictionLength = 60;

  /** Starts on a free loopback port. */
  public SageMakerStandIn() throws IOException {
    server = bind(0);
    port = server.getAddress().getPort();
  }

  private HttpServer bind(int onPort) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
    s.createContext("/", this::handle);
    s.setExecutor(threads);
    s.start();
    return s;
  }

  /** The runtime URL to point a client at ({@code forecast.sagemaker.endpoint.url}). */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Sets how the next requests are answered. */
  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** How long {@link Mode#SLOW} answers take (the default holds them until {@link #close()}). */
  public void slowBy(Duration delay) {
    this.slowBy = delay;
  }

  /** Points per prediction in DeepAR answers. */
  public void predictionLength(int n) {
    this.predictionLength = n;
  }

  /**
   * Stops listening: new connections are refused, as by an endpoint that is gone. Requests being
   * answered finish.
   */
  public synchronized void down() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port. */
  public synchronized void up() {
    if (server == null) {
      try {
        server = bind(port);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on port " + port + " again", e);
      }
    }
  }

  /** Requests received so far. */
  public List<Received> requests() {
    return List.copyOf(requests);
  }

  /** How many requests were received so far. */
  public int requestCount() {
    return requests.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Mode now = mode;
    requests.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            body,
            now,
            System.nanoTime()));
    switch (now) {
      case OK -> reply(exchange, 200, Map.of(), answer(body));
      case SERVER_ERROR ->
          reply(exchange, 500, Map.of("x-amzn-ErrorType", "InternalFailure:"), "{}".getBytes());
      case THROTTLED ->
          reply(
              exchange,
              429,
              Map.of("x-amzn-ErrorType", "ThrottlingException:"),
              "{\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8));
      case SLOW -> {
        try {
          release.await(slowBy.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        // The client has usually given up by now: the write may fail, which is the point.
        reply(exchange, 200, Map.of(), answer(body));
      }
      case GARBAGE -> reply(exchange, 200, Map.of(), "{\"predictions\": 3}".getBytes());
    }
  }

  private byte[] answer(byte[] request) throws IOException {
    JsonNode instances = JSON.readTree(request).get("instances");
    StringBuilder out = new StringBuilder("{\"predictions\":[");
    for (int i = 0; i < instances.size(); i++) {
      JsonNode target = instances.get(i).get("target");
      double last = target.get(target.size() - 1).asDouble();
      StringBuilder mean = new StringBuilder();
      StringBuilder lo = new StringBuilder();
      StringBuilder hi = new StringBuilder();
      for (int j = 1; j <= predictionLength; j++) {
        String sep = j == 1 ? "" : ",";
        mean.append(sep).append(last + j);
        lo.append(sep).append(last + j - 1);
        hi.append(sep).append(last + j + 1);
      }
      out.append(i == 0 ? "" : ",")
          .append("{\"mean\":[")
          .append(mean)
          .append("],\"quantiles\":{\"0.1\":[")
          .append(lo)
          .append("],\"0.9\":[")
          .append(hi)
          .append("]}}");
    }
    return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void reply(
      HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Releases held answers and stops. */
  @Override
  public void close() {
    release.countDown();
    down();
    threads.shutdownNow();
  }

  /**
   * One request as it arrived.
   *
   * @param method HTTP method
   * @param path request path
   * @param headers headers (names as the JDK server normalises them: first letter upper case)
   * @param body raw body
   * @param answeredWith the mode the server was in when it arrived
   * @param arrivedNanos {@link System#nanoTime()} at arrival
   */
  public record Received(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      Mode answeredWith,
      long arrivedNanos) {
    /** The first value of a header, case-insensitive name; null if absent. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }
}
