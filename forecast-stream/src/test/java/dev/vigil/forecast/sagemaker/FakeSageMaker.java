package dev.vigil.forecast.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local HTTP server speaking the SageMaker Runtime protocol: {@code POST
 * /endpoints/{name}/invocations}, answering a DeepAR response (mean = last target value + step, the
 * quantiles ±1) or the failure the test sets. It records every request as it arrived.
 */
public final class FakeSageMaker implements AutoCloseable {
  /** Access key id the test clients sign with. */
  public static final String ACCESS_KEY = "AKIDVIGILTEST";

  /** Region the test clients sign for. */
  public static final String REGION = "eu-west-1";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the server answers. */
  public enum Mode {
    OK,
    SERVER_ERROR,
    THROTTLED,
    SLOW,
    GARBAGE
  }

  private final HttpServer server;
  private final List<Received> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile Mode mode = Mode.OK;
  private volatile int predictionLength = 60;

  /** Starts on a free loopback port. */
  public FakeSageMaker() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The runtime URL to point a client at. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Sets how the next requests are answered. */
  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** Points per prediction in OK answers. */
  public void predictionLength(int n) {
    this.predictionLength = n;
  }

  /** Requests received so far. */
  public List<Received> requests() {
    return List.copyOf(requests);
  }

  /** Settings for a test endpoint on this server. */
  public SageMakerSettings settings(
      Duration timeout, int concurrency, SageMakerSettings.BreakerSettings breaker) {
    return new SageMakerSettings(
        "vigil-deepar",
        url(),
        REGION,
        10,
        concurrency,
        4,
        timeout,
        Duration.ofMillis(50),
        120,
        100,
        breaker);
  }

  /** A breaker that needs many failures to open. */
  public static SageMakerSettings.BreakerSettings lenientBreaker() {
    return new SageMakerSettings.BreakerSettings(100, 100, 100, Duration.ofSeconds(30), 1);
  }

  /** A forecaster signing with static test credentials. */
  public SageMakerForecaster forecaster(
      SageMakerSettings settings, SageMakerForecaster.CallListener listener) {
    return new SageMakerForecaster(
        settings,
        SageMakerClients.create(
            settings,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY, "vigil-test-secret"))),
        listener);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
    requests.add(
        new Received(
            exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
    Mode now = mode;
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
          // Held until the test closes the server: longer than any client timeout.
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
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

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }

  /**
   * One request as it arrived.
   *
   * @param method HTTP method
   * @param path request path
   * @param headers headers (names as the JDK server normalises them: first letter upper case)
   * @param body raw body
   */
  public record Received(
      String method, String path, Map<String, List<String>> headers, byte[] body) {
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
