package dev.vigil.sinks.common;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration every HTTP sink shares: target URL, authentication, TLS, timeouts, retries.
 *
 * <p>A connector's config class adds these to its {@link ConfigDef} with {@link #define} and turns
 * the parsed values into {@link HttpSettings} with {@link #settings}, which also checks the rules
 * across keys (one auth method at most, one source of TLS trust at most).
 */
public final class HttpConfigs {
  public static final String GROUP_CONNECTION = "Connection";
  public static final String GROUP_RETRY = "Retries";
  public static final String GROUP_TLS = "TLS";

  public static final String URL_CONFIG = "connection.url";
  private static final String URL_DOC =
      "Base URL of the target, http:// or https://, with an optional path prefix.";
  public static final String USERNAME_CONFIG = "connection.username";
  private static final String USERNAME_DOC =
      "User for HTTP basic auth; empty for none. Needs connection.password.";
  public static final String PASSWORD_CONFIG = "connection.password";
  private static final String PASSWORD_DOC = "Password for HTTP basic auth.";
  public static final String BEARER_TOKEN_CONFIG = "connection.bearer.token";
  private static final String BEARER_TOKEN_DOC =
      "Token sent as 'Authorization: Bearer <token>'; empty for none.";
  public static final String API_KEY_CONFIG = "connection.api.key";
  private static final String API_KEY_DOC =
      "API key; empty for none. In the Authorization header it is sent as 'ApiKey <key>' "
          + "(Elasticsearch, OpenSearch), in any other header as is.";
  public static final String API_KEY_HEADER_CONFIG = "connection.api.key.header";
  private static final String API_KEY_HEADER_DOC = "Header that carries connection.api.key.";
  public static final String CONNECT_TIMEOUT_CONFIG = "connection.timeout.ms";
  private static final String CONNECT_TIMEOUT_DOC = "How long to wait for a TCP/TLS connection.";
  public static final String REQUEST_TIMEOUT_CONFIG = "request.timeout.ms";
  private static final String REQUEST_TIMEOUT_DOC =
      "How long one request may take, response included, before it counts as an I/O error.";
  public static final String MAX_RETRIES_CONFIG = "max.retries";
  private static final String MAX_RETRIES_DOC =
      "Retries of a request that got 429, 5xx or an I/O error; other 4xx are never retried. "
          + "When they are spent the task hands the batch back to Connect, which redelivers it.";
  public static final String RETRY_BACKOFF_CONFIG = "retry.backoff.ms";
  private static final String RETRY_BACKOFF_DOC =
      "Delay before the first retry; doubles per retry, with jitter, up to retry.backoff.max.ms. "
          + "A Retry-After header (seconds or date) wins, up to 60 s.";
  public static final String RETRY_BACKOFF_MAX_CONFIG = "retry.backoff.max.ms";
  private static final String RETRY_BACKOFF_MAX_DOC = "Ceiling of the delay between retries.";
  public static final String TRUSTSTORE_LOCATION_CONFIG = "tls.truststore.location";
  private static final String TRUSTSTORE_LOCATION_DOC =
      "Truststore file (JKS or PKCS12) with the CAs an https target is checked against; "
          + "empty for the JVM's default CAs.";
  public static final String TRUSTSTORE_TYPE_CONFIG = "tls.truststore.type";
  private static final String TRUSTSTORE_TYPE_DOC = "Format of tls.truststore.location.";
  public static final String TRUSTSTORE_PASSWORD_CONFIG = "tls.truststore.password";
  private static final String TRUSTSTORE_PASSWORD_DOC = "Password of tls.truststore.location.";
  public static final String CA_PEM_LOCATION_CONFIG = "tls.ca.pem.location";
  private static final String CA_PEM_LOCATION_DOC =
      "PEM file of CA certificates an https target is checked against (instead of a "
          + "truststore); empty for none.";

  public static final int CONNECT_TIMEOUT_DEFAULT = 10_000;
  public static final int REQUEST_TIMEOUT_DEFAULT = 30_000;
  public static final int MAX_RETRIES_DEFAULT = 5;
  public static final long RETRY_BACKOFF_DEFAULT = 200;
  public static final long RETRY_BACKOFF_MAX_DEFAULT = 10_000;

  private HttpConfigs() {}

  /** Adds the connection, retry and TLS keys to {@code def}. */
  public static ConfigDef define(ConfigDef def) {
    addConnectionConfigs(def);
    addRetryConfigs(def);
    addTlsConfigs(def);
    return def;
  }

  private static void addConnectionConfigs(ConfigDef def) {
    int order = 0;
    def.define(
            URL_CONFIG,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new HttpUrlValidator(),
            Importance.HIGH,
            URL_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.LONG,
            "URL")
        .define(
            USERNAME_CONFIG,
            Type.STRING,
            "",
            Importance.MEDIUM,
            USERNAME_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.MEDIUM,
            "Username")
        .define(
            PASSWORD_CONFIG,
            Type.PASSWORD,
            "",
            Importance.MEDIUM,
            PASSWORD_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.MEDIUM,
            "Password")
        .define(
            BEARER_TOKEN_CONFIG,
            Type.PASSWORD,
            "",
            Importance.MEDIUM,
            BEARER_TOKEN_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.LONG,
            "Bearer token")
        .define(
            API_KEY_CONFIG,
            Type.PASSWORD,
            "",
            Importance.MEDIUM,
            API_KEY_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.LONG,
            "API key")
        .define(
            API_KEY_HEADER_CONFIG,
            Type.STRING,
            "Authorization",
            new ConfigDef.NonEmptyString(),
            Importance.LOW,
            API_KEY_HEADER_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.MEDIUM,
            "API key header")
        .define(
            CONNECT_TIMEOUT_CONFIG,
            Type.INT,
            CONNECT_TIMEOUT_DEFAULT,
            Range.between(1, 600_000),
            Importance.LOW,
            CONNECT_TIMEOUT_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.SHORT,
            "Connect timeout")
        .define(
            REQUEST_TIMEOUT_CONFIG,
            Type.INT,
            REQUEST_TIMEOUT_DEFAULT,
            Range.between(1, 600_000),
            Importance.LOW,
            REQUEST_TIMEOUT_DOC,
            GROUP_CONNECTION,
            ++order,
            Width.SHORT,
            "Request timeout");
  }

  private static void addRetryConfigs(ConfigDef def) {
    int order = 0;
    def.define(
            MAX_RETRIES_CONFIG,
            Type.INT,
            MAX_RETRIES_DEFAULT,
            Range.between(0, 100),
            Importance.MEDIUM,
            MAX_RETRIES_DOC,
            GROUP_RETRY,
            ++order,
            Width.SHORT,
            "Max retries")
        .define(
            RETRY_BACKOFF_CONFIG,
            Type.LONG,
            RETRY_BACKOFF_DEFAULT,
            Range.between(0, 3_600_000),
            Importance.LOW,
            RETRY_BACKOFF_DOC,
            GROUP_RETRY,
            ++order,
            Width.SHORT,
            "Retry backoff")
        .define(
            RETRY_BACKOFF_MAX_CONFIG,
            Type.LONG,
            RETRY_BACKOFF_MAX_DEFAULT,
            Range.between(0, 3_600_000),
            Importance.LOW,
            RETRY_BACKOFF_MAX_DOC,
            GROUP_RETRY,
            ++order,
            Width.SHORT,
            "Max retry backoff");
  }

  private static void addTlsConfigs(ConfigDef def) {
    int order = 0;
    def.define(
            TRUSTSTORE_LOCATION_CONFIG,
            Type.STRING,
            "",
            Importance.MEDIUM,
            TRUSTSTORE_LOCATION_DOC,
            GROUP_TLS,
            ++order,
            Width.LONG,
            "Truststore")
        .define(
            TRUSTSTORE_TYPE_CONFIG,
            Type.STRING,
            "PKCS12",
            ValidString.in("PKCS12", "JKS"),
            Importance.LOW,
            TRUSTSTORE_TYPE_DOC,
            GROUP_TLS,
            ++order,
            Width.SHORT,
            "Truststore type")
        .define(
            TRUSTSTORE_PASSWORD_CONFIG,
            Type.PASSWORD,
            "",
            Importance.MEDIUM,
            TRUSTSTORE_PASSWORD_DOC,
            GROUP_TLS,
            ++order,
            Width.MEDIUM,
            "Truststore password")
        .define(
            CA_PEM_LOCATION_CONFIG,
            Type.STRING,
            "",
            Importance.MEDIUM,
            CA_PEM_LOCATION_DOC,
            GROUP_TLS,
            ++order,
            Width.LONG,
            "CA PEM file");
  }

  /**
   * Reads the keys {@link #define} added, checking the rules across keys.
   *
   * @throws ConfigException naming the key at fault
   */
  public static HttpSettings settings(AbstractConfig config) {
    URI url = URI.create(config.getString(URL_CONFIG).trim());
    return new HttpSettings(
        url,
        auth(config),
        tls(config, url),
        Duration.ofMillis(config.getInt(CONNECT_TIMEOUT_CONFIG)),
        Duration.ofMillis(config.getInt(REQUEST_TIMEOUT_CONFIG)),
        retry(config));
  }

  private static Auth auth(AbstractConfig config) {
    String username = config.getString(USERNAME_CONFIG);
    String password = secret(config, PASSWORD_CONFIG);
    String token = secret(config, BEARER_TOKEN_CONFIG);
    String apiKey = secret(config, API_KEY_CONFIG);
    int methods =
        (username.isEmpty() ? 0 : 1) + (token.isEmpty() ? 0 : 1) + (apiKey.isEmpty() ? 0 : 1);
    if (methods > 1) {
      throw new ConfigException(
          USERNAME_CONFIG,
          username,
          "set only one of "
              + USERNAME_CONFIG
              + ", "
              + BEARER_TOKEN_CONFIG
              + " and "
              + API_KEY_CONFIG);
    }
    if (!password.isEmpty() && username.isEmpty()) {
      throw new ConfigException(
          USERNAME_CONFIG, username, PASSWORD_CONFIG + " is set: set the user it belongs to");
    }
    if (!username.isEmpty()) {
      return new Auth.Basic(username, password);
    }
    if (!token.isEmpty()) {
      return new Auth.Bearer(token);
    }
    if (!apiKey.isEmpty()) {
      return new Auth.ApiKey(config.getString(API_KEY_HEADER_CONFIG), apiKey);
    }
    return new Auth.None();
  }

  private static Optional<SSLContext> tls(AbstractConfig config, URI url) {
    String truststore = config.getString(TRUSTSTORE_LOCATION_CONFIG);
    String pem = config.getString(CA_PEM_LOCATION_CONFIG);
    if (!truststore.isEmpty() && !pem.isEmpty()) {
      throw new ConfigException(
          CA_PEM_LOCATION_CONFIG,
          pem,
          "set either it or " + TRUSTSTORE_LOCATION_CONFIG + ", not both");
    }
    if ((!truststore.isEmpty() || !pem.isEmpty()) && !"https".equalsIgnoreCase(url.getScheme())) {
      throw new ConfigException(
          URL_CONFIG, url.toString(), "TLS trust is configured: use an https:// URL");
    }
    try {
      if (!truststore.isEmpty()) {
        return Optional.of(
            TlsTrust.truststore(
                Path.of(truststore),
                config.getString(TRUSTSTORE_TYPE_CONFIG),
                secret(config, TRUSTSTORE_PASSWORD_CONFIG)));
      }
      if (!pem.isEmpty()) {
        return Optional.of(TlsTrust.pemCertificates(Path.of(pem)));
      }
    } catch (IOException | GeneralSecurityException e) {
      String key = truststore.isEmpty() ? CA_PEM_LOCATION_CONFIG : TRUSTSTORE_LOCATION_CONFIG;
      throw new ConfigException(key, truststore.isEmpty() ? pem : truststore, "cannot load: " + e);
    }
    return Optional.empty();
  }

  private static RetryPolicy retry(AbstractConfig config) {
    long initial = config.getLong(RETRY_BACKOFF_CONFIG);
    long max = config.getLong(RETRY_BACKOFF_MAX_CONFIG);
    if (max < initial) {
      throw new ConfigException(
          RETRY_BACKOFF_MAX_CONFIG,
          max,
          "must be >= " + RETRY_BACKOFF_CONFIG + " (" + initial + ")");
    }
    return new RetryPolicy(
        config.getInt(MAX_RETRIES_CONFIG), Duration.ofMillis(initial), Duration.ofMillis(max));
  }

  private static String secret(AbstractConfig config, String key) {
    Password password = config.getPassword(key);
    return password == null ? "" : password.value();
  }

  /** Accepts absolute http:// and https:// URLs with a host. */
  public static final class HttpUrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        throw new ConfigException(name, null, "required: an http:// or https:// URL");
      }
      try {
        URI uri = new URI(value.toString().trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
          throw new ConfigException(name, value, "must be an http:// or https:// URL with a host");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(name, value, "not a URL: " + e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "http:// or https:// URL";
    }
  }
}
