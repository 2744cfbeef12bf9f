package dev.vigil.bridge;

import dev.vigil.runtime.config.CoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/** The ingest bridge's settings, read from the process's validated {@link CoreConfig}. */
public final class BridgeConfig {
  public static final String HOST_CONFIG = "bridge.host";
  private static final String HOST_DOC = "Interface both OTLP receivers listen on.";
  public static final String GRPC_PORT_CONFIG = "bridge.grpc.port";
  private static final String GRPC_PORT_DOC = "OTLP/gRPC port; 0 picks a free one.";
  public static final String HTTP_PORT_CONFIG = "bridge.http.port";
  private static final String HTTP_PORT_DOC =
      "OTLP/HTTP port (/v1/metrics, /v1/traces, /v1/logs); 0 picks a free one.";
  public static final String MAX_REQUEST_BYTES_CONFIG = "bridge.max.request.bytes";
  private static final String MAX_REQUEST_BYTES_DOC =
      "Largest request accepted, after decompression; larger ones get 413 / RESOURCE_EXHAUSTED.";
  public static final String MAX_INFLIGHT_BYTES_CONFIG = "bridge.max.inflight.bytes";
  private static final String MAX_INFLIGHT_BYTES_DOC =
      "Bytes of accepted requests not yet acknowledged by Kafka. When reached, new requests get"
          + " 429 / RESOURCE_EXHAUSTED with a retry hint instead of being buffered: memory stays bounded.";
  public static final String MAX_RECORD_BYTES_CONFIG = "bridge.max.record.bytes";
  private static final String MAX_RECORD_BYTES_DOC =
      "Largest Kafka record written; a resource's batch above it is split into several records."
          + " Keep it under the producer's max.request.size and the topic's max.message.bytes.";
  public static final String PRODUCE_TIMEOUT_CONFIG = "bridge.produce.timeout.ms";
  private static final String PRODUCE_TIMEOUT_DOC =
      "How long a request waits for Kafka's acknowledgement before the client gets 503 / UNAVAILABLE"
          + " (keep it below the exporters' timeout, 10 s in the OpenTelemetry SDKs).";
  public static final String WORKER_THREADS_CONFIG = "bridge.http.threads";
  private static final String WORKER_THREADS_DOC = "Threads serving OTLP/HTTP requests.";
  public static final String HTTP_MAX_QUEUED_CONFIG = "bridge.http.max.queued";
  private static final String HTTP_MAX_QUEUED_DOC =
      "OTLP/HTTP requests that may wait for a free thread. When more arrive (the bridge is busier"
          + " than its threads can serve), they are refused at once with 429 and Retry-After,"
          + " without reading their body, instead of queueing: clients back off rather than time"
          + " out.";
  public static final String GRPC_MAX_CALLS_CONFIG = "bridge.grpc.max.calls";
  private static final String GRPC_MAX_CALLS_DOC =
      "OTLP/gRPC calls that may be in progress at once (being decoded or waiting for Kafka). When"
          + " more arrive (the bridge is busier than it can serve), they are refused at once with"
          + " RESOURCE_EXHAUSTED and a RetryInfo, before their request is decoded, instead of"
          + " each taking a thread: clients back off rather than time out.";
  public static final String TLS_CERT_CONFIG = "bridge.tls.cert.file";
  private static final String TLS_CERT_DOC =
      "PEM certificate chain; with bridge.tls.key.file, both receivers serve TLS only.";
  public static final String TLS_KEY_CONFIG = "bridge.tls.key.file";
  private static final String TLS_KEY_DOC =
      "PEM private key (PKCS#8, 'BEGIN PRIVATE KEY') of the certificate.";
  public static final String AUTH_TOKENS_FILE_CONFIG = "bridge.auth.tokens.file";
  private static final String AUTH_TOKENS_FILE_DOC =
      "File of 'token=tenant' lines. When set (or bridge.auth.tokens), every request needs"
          + " 'Authorization: Bearer <token>'; the tenant goes into the Kafka record header vigil.tenant.";
  public static final String AUTH_TOKENS_CONFIG = "bridge.auth.tokens";
  private static final String AUTH_TOKENS_DOC =
      "Comma-separated 'token=tenant' pairs (e.g. from VIGIL_BRIDGE_AUTH_TOKENS); never logged.";

  private static final String GROUP = "Ingest bridge";

  private final CoreConfig config;

  /** Reads the bridge's settings from a config validated against {@link #define}. */
  public BridgeConfig(CoreConfig config) {
    this.config = config;
  }

  /** Adds the bridge's keys to a definition. */
  public static void define(ConfigDef def) {
    int order = 0;
    def.define(
        HOST_CONFIG,
        Type.STRING,
        "0.0.0.0",
        new ConfigDef.NonEmptyString(),
        Importance.MEDIUM,
        HOST_DOC,
        GROUP,
        ++order,
        Width.MEDIUM,
        "Host");
    def.define(
        GRPC_PORT_CONFIG,
        Type.INT,
        4317,
        Range.between(0, 65_535),
        Importance.MEDIUM,
        GRPC_PORT_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "gRPC port");
    def.define(
        HTTP_PORT_CONFIG,
        Type.INT,
        4318,
        Range.between(0, 65_535),
        Importance.MEDIUM,
        HTTP_PORT_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "HTTP port");
    def.define(
        MAX_REQUEST_BYTES_CONFIG,
        Type.INT,
        4 * 1024 * 1024,
        Range.between(1024, 256 * 1024 * 1024),
        Importance.MEDIUM,
        MAX_REQUEST_BYTES_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max request bytes");
    def.define(
        MAX_INFLIGHT_BYTES_CONFIG,
        Type.LONG,
        64L * 1024 * 1024,
        Range.between(1024 * 1024, 16L * 1024 * 1024 * 1024),
        Importance.MEDIUM,
        MAX_INFLIGHT_BYTES_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max in-flight bytes");
    def.define(
        MAX_RECORD_BYTES_CONFIG,
        Type.INT,
        900 * 1024,
        Range.between(1024, 64 * 1024 * 1024),
        Importance.LOW,
        MAX_RECORD_BYTES_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max record bytes");
    def.define(
        PRODUCE_TIMEOUT_CONFIG,
        Type.LONG,
        8_000L,
        Range.between(1_000, 600_000),
        Importance.LOW,
        PRODUCE_TIMEOUT_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Produce timeout");
    def.define(
        WORKER_THREADS_CONFIG,
        Type.INT,
        32,
        Range.between(1, 1024),
        Importance.LOW,
        WORKER_THREADS_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "HTTP threads");
    def.define(
        HTTP_MAX_QUEUED_CONFIG,
        Type.INT,
        64,
        Range.between(1, 100_000),
        Importance.LOW,
        HTTP_MAX_QUEUED_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "HTTP max queued");
    def.define(
        GRPC_MAX_CALLS_CONFIG,
        Type.INT,
        64,
        Range.between(1, 100_000),
        Importance.LOW,
        GRPC_MAX_CALLS_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "gRPC max calls");
    def.define(
        TLS_CERT_CONFIG,
        Type.STRING,
        "",
        null,
        Importance.MEDIUM,
        TLS_CERT_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "TLS certificate");
    def.define(
        TLS_KEY_CONFIG,
        Type.STRING,
        "",
        null,
        Importance.MEDIUM,
        TLS_KEY_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "TLS key");
    def.define(
        AUTH_TOKENS_FILE_CONFIG,
        Type.STRING,
        "",
        null,
        Importance.MEDIUM,
        AUTH_TOKENS_FILE_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "Auth tokens file");
    def.define(
        AUTH_TOKENS_CONFIG,
        Type.PASSWORD,
        "",
        null,
        Importance.MEDIUM,
        AUTH_TOKENS_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "Auth tokens");
  }

  public CoreConfig core() {
    return config;
  }

  public String host() {
    return config.getString(HOST_CONFIG);
  }

  public int grpcPort() {
    return config.getInt(GRPC_PORT_CONFIG);
  }

  public int httpPort() {
    return config.getInt(HTTP_PORT_CONFIG);
  }

  public int maxRequestBytes() {
    return config.getInt(MAX_REQUEST_BYTES_CONFIG);
  }

  public long maxInflightBytes() {
    return config.getLong(MAX_INFLIGHT_BYTES_CONFIG);
  }

  public int maxRecordBytes() {
    return config.getInt(MAX_RECORD_BYTES_CONFIG);
  }

  public Duration produceTimeout() {
    return Duration.ofMillis(config.getLong(PRODUCE_TIMEOUT_CONFIG));
  }

  public int httpThreads() {
    return config.getInt(WORKER_THREADS_CONFIG);
  }

  /** OTLP/HTTP requests that may wait for a thread before more are refused with 429. */
  public int httpMaxQueued() {
    return config.getInt(HTTP_MAX_QUEUED_CONFIG);
  }

  /** OTLP/gRPC calls that may be in progress before more are refused with RESOURCE_EXHAUSTED. */
  public int grpcMaxCalls() {
    return config.getInt(GRPC_MAX_CALLS_CONFIG);
  }

  /** The TLS certificate and key files, when TLS is configured. */
  public Optional<Tls> tls() {
    String cert = config.getString(TLS_CERT_CONFIG);
    String key = config.getString(TLS_KEY_CONFIG);
    if (cert.isEmpty() != key.isEmpty()) {
      throw new dev.vigil.runtime.config.ConfigError(
          cert.isEmpty() ? TLS_CERT_CONFIG : TLS_KEY_CONFIG,
          "TLS needs both " + TLS_CERT_CONFIG + " and " + TLS_KEY_CONFIG + "; only one is set");
    }
    return cert.isEmpty() ? Optional.empty() : Optional.of(new Tls(Path.of(cert), Path.of(key)));
  }

  public Optional<Path> authTokensFile() {
    String file = config.getString(AUTH_TOKENS_FILE_CONFIG);
    return file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file));
  }

  public String authTokens() {
    Password tokens = config.getPassword(AUTH_TOKENS_CONFIG);
    return tokens == null ? "" : tokens.value();
  }

  /**
   * TLS material.
   *
   * @param certificate PEM certificate chain
   * @param privateKey PEM PKCS#8 private key
   */
  public record Tls(Path certificate, Path privateKey) {}
}
