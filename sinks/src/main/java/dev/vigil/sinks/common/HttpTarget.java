package dev.vigil.sinks.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP endpoint a sink writes to, over the JDK's {@link HttpClient}.
 *
 * <p>Every request carries the configured auth header. 429, 5xx and I/O errors are retried with
 * exponential backoff and jitter ({@link RetryPolicy}), honouring {@code Retry-After}; any other
 * status is returned (or thrown by {@link #send}) at once, since resending the same request cannot
 * change a 4xx. Thread-safe.
 */
public final class HttpTarget {
  private static final Logger LOGGER = LoggerFactory.getLogger(HttpTarget.class);

  private final HttpSettings settings;
  private final HttpClient client;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final LongAdder retries = new LongAdder();

  /** A target with real sleeping between retries. */
  public HttpTarget(HttpSettings settings) {
    this(settings, Sleeper.SYSTEM, RandomGenerator.getDefault());
  }

  /** A target whose waits go through {@code sleeper} (tests record them instead). */
  public HttpTarget(HttpSettings settings, Sleeper sleeper, RandomGenerator random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    settings.tls().ifPresent(builder::sslContext);
    this.client = builder.build();
  }

  /** One request: method, path below the base URL (may hold a query), headers and body. */
  public record Request(String method, String path, Map<String, String> headers, byte[] body) {
    /** Copies the headers; a null body sends none. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      headers = Map.copyOf(headers);
    }

    /** A GET of {@code path}. */
    public static Request get(String path) {
      return new Request("GET", path, Map.of(), null);
    }

    /** A POST of {@code body} with a content type. */
    public static Request post(String path, String contentType, byte[] body) {
      return new Request("POST", path, Map.of("Content-Type", contentType), body);
    }

    /** A PUT of {@code body} with a content type. */
    public static Request put(String path, String contentType, byte[] body) {
      return new Request("PUT", path, Map.of("Content-Type", contentType), body);
    }

    /** The same request with more headers. */
    public Request withHeaders(Map<String, String> more) {
      Map<String, String> all = new java.util.HashMap<>(headers);
      all.putAll(more);
      return new Request(method, path, all, body);
    }
  }

  /** A response: status and body as text. */
  public record Response(int status, String body) {
    /** True for 2xx. */
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  /** The settings this target was built with. */
  public HttpSettings settings() {
    return settings;
  }

  /** Retries made so far (each one a 429, 5xx or I/O error that was tried again). */
  public long retries() {
    return retries.sum();
  }

  /**
   * Sends a request and requires success.
   *
   * @throws HttpStatusException if the final status is not 2xx
   * @throws RetriableException if I/O kept failing through all retries
   */
  public Response send(Request request) {
    Response response = exchange(request);
    if (!response.isSuccess()) {
      throw new HttpStatusException(
          request.method(), uri(request.path()).toString(), response.status(), response.body());
    }
    return response;
  }

  /**
   * Sends a request, retrying 429, 5xx and I/O errors, and returns the last response whatever its
   * status (callers that treat some 4xx as an answer, e.g. 404, use this).
   *
   * @throws RetriableException if I/O kept failing through all retries
   */
  public Response exchange(Request request) {
    URI uri = uri(request.path());
    HttpRequest httpRequest = build(request, uri);
    RetryPolicy policy = settings.retry();
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= policy.maxRetries();
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<String> response =
            client.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        if (!HttpStatusException.isRetriable(response.statusCode()) || last) {
          return new Response(response.statusCode(), response.body());
        }
        retryAfter = retryAfter(response);
        LOGGER.warn(
            "{} {} answered {} (attempt {}/{}), retrying",
            request.method(),
            uri,
            response.statusCode(),
            attempt + 1,
            policy.maxRetries() + 1);
      } catch (IOException e) {
        if (last) {
          throw new RetriableException(
              request.method() + " " + uri + " failed after " + (attempt + 1) + " attempts: " + e,
              e);
        }
        LOGGER.warn(
            "{} {} failed (attempt {}/{}), retrying",
            request.method(),
            uri,
            attempt + 1,
            policy.maxRetries() + 1,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("interrupted while sending " + request.method() + " " + uri, e);
      }
      retries.increment();
      pause(policy.delay(attempt, retryAfter, random), uri);
    }
  }

  private void pause(Duration delay, URI uri) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while waiting to retry " + uri, e);
    }
  }

  private HttpRequest build(Request request, URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(settings.requestTimeout())
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach(builder::header);
    settings.auth().header().ifPresent(h -> builder.header(h.getKey(), h.getValue()));
    return builder.build();
  }

  private URI uri(String path) {
    String base = settings.baseUrl().toString();
    if (base.endsWith("/") && path.startsWith("/")) {
      return URI.create(base + path.substring(1));
    }
    if (!base.endsWith("/") && !path.isEmpty() && !path.startsWith("/")) {
      return URI.create(base + "/" + path);
    }
    return URI.create(base + path);
  }

  /** {@code Retry-After} as seconds or as an HTTP date; absent or unreadable: empty. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(HttpTarget::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(Instant.now(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
