package dev.vigil.sinks.common;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * A target answered with a status that is not success, after any retries were spent.
 *
 * <p>The message names the method, URL, status and the start of the response body, which is where
 * Prometheus, Alertmanager and OpenSearch explain what they refused.
 */
public final class HttpStatusException extends ConnectException {
  private static final long serialVersionUID = 1L;
  private static final int BODY_EXCERPT = 512;

  private final int status;
  private final String body;

  /** A refusal of {@code method url} with {@code status} and response {@code body}. */
  public HttpStatusException(String method, String url, int status, String body) {
    super(method + " " + url + " answered " + status + ": " + excerpt(body));
    this.status = status;
    this.body = body;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The whole response body. */
  public String body() {
    return body;
  }

  /** True for 429 and 5xx: the same request may succeed later. */
  public boolean isRetriable() {
    return isRetriable(status);
  }

  /** True for 429 and 5xx. */
  public static boolean isRetriable(int status) {
    return status == 429 || status >= 500;
  }

  private static String excerpt(String body) {
    String oneLine = body.strip().replace('\n', ' ');
    return oneLine.length() <= BODY_EXCERPT
        ? oneLine
        : oneLine.substring(0, BODY_EXCERPT) + "... (" + oneLine.length() + " chars)";
  }
}
