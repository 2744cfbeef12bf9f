package dev.vigil.sinks.common;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how a sink talks HTTP, parsed once from its configuration ({@link
 * HttpConfigs#settings}).
 *
 * @param baseUrl scheme, host, port and optional path prefix; request paths are appended
 * @param auth how requests authenticate
 * @param tls trust for {@code https} targets; empty for the JVM's default
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long one request may take, response included
 * @param retry what to do on 429, 5xx and I/O errors
 */
public record HttpSettings(
    URI baseUrl,
    Auth auth,
    Optional<SSLContext> tls,
    Duration connectTimeout,
    Duration requestTimeout,
    RetryPolicy retry) {
  /** Checks nothing is missing. */
  public HttpSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retry, "retry");
  }

  /** Settings for a plain target without auth, with default timeouts and retries (tests, tools). */
  public static HttpSettings plain(URI baseUrl) {
    return new HttpSettings(
        baseUrl,
        new Auth.None(),
        Optional.empty(),
        Duration.ofMillis(HttpConfigs.CONNECT_TIMEOUT_DEFAULT),
        Duration.ofMillis(HttpConfigs.REQUEST_TIMEOUT_DEFAULT),
        new RetryPolicy(
            HttpConfigs.MAX_RETRIES_DEFAULT,
            Duration.ofMillis(HttpConfigs.RETRY_BACKOFF_DEFAULT),
            Duration.ofMillis(HttpConfigs.RETRY_BACKOFF_MAX_DEFAULT)));
  }

  /** The same settings with another retry policy. */
  public HttpSettings withRetry(RetryPolicy newRetry) {
    return new HttpSettings(baseUrl, auth, tls, connectTimeout, requestTimeout, newRetry);
  }
}
