package dev.vigil.bridge.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.bridge.internal.BridgeMetrics.Protocol;
import dev.vigil.runtime.management.HttpServers;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.runtime.otlp.OtlpSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP receiver: {@code POST /v1/metrics}, {@code /v1/traces}, {@code /v1/logs} with {@code
 * application/x-protobuf} or {@code application/json} bodies, optionally gzip-encoded.
 *
 * <p>Responses follow the OTLP/HTTP specification: 200 with an export response (partial success
 * when items were dropped); 4xx/5xx with a {@code google.rpc.Status} body in the request's
 * encoding; 429 and 503 with {@code Retry-After}. The body limit applies after decompression, so a
 * decompression bomb stops at the limit.
 */
public final class HttpReceiver implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(HttpReceiver.class);
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final BridgeConfig config;
  private final Ingest ingest;
  private final TokenAuth auth;
  private final BridgeMetrics metrics;
  private HttpServer server;
  private ThreadPoolExecutor executor;
  private ExecutorService shedExecutor;

  /** Set while a thread serves a request that arrived with more than the allowed queue waiting. */
  private static final ThreadLocal<Boolean> SHED = ThreadLocal.withInitial(() -> false);

  /** Prepares the receiver; {@link #start()} binds it. */
  public HttpReceiver(BridgeConfig config, Ingest ingest, TokenAuth auth, BridgeMetrics metrics) {
    this.config = config;
    this.ingest = ingest;
    this.auth = auth;
    this.metrics = metrics;
  }

  /** Binds the port and serves. */
  public void start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(config.host(), config.httpPort());
    if (config.tls().isPresent()) {
      HttpsServer https = HttpServers.https(address, 256);
      https.setHttpsConfigurator(new HttpsConfigurator(PemTls.serverContext(config.tls().get())));
      server = https;
    } else {
      server = HttpServers.http(address, 256);
    }
    AtomicInteger threads = new AtomicInteger();
    executor =
        new ThreadPoolExecutor(
            config.httpThreads(),
            config.httpThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "vigil-bridge-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    shedExecutor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-bridge-http-shed");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(this::dispatch);
    server.createContext("/v1/metrics", exchange -> handle(exchange, OtlpSignal.METRICS));
    server.createContext("/v1/traces", exchange -> handle(exchange, OtlpSignal.TRACES));
    server.createContext("/v1/logs", exchange -> handle(exchange, OtlpSignal.LOGS));
    server.createContext("/", this::notFound);
    server.start();
    LOGGER.info(
        "OTLP/HTTP receiver on {}://{}:{}",
        config.tls().isPresent() ? "https" : "http",
        config.host(),
        port());
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Hands an exchange to the worker pool. When more than {@code bridge.http.max.queued} already
   * wait for a thread, the exchange goes to one separate thread instead, marked, and its handler
   * answers 429 at once without reading or decoding the body: a cheap answer that tells the client
   * to back off, where a longer queue would only add latency until the client times out.
   */
  private void dispatch(Runnable exchange) {
    if (executor.getQueue().size() < config.httpMaxQueued()) {
      executor.execute(exchange);
      return;
    }
    shedExecutor.execute(
        () -> {
          SHED.set(true);
          try {
            exchange.run();
          } finally {
            SHED.set(false);
          }
        });
  }

  private void notFound(HttpExchange exchange) throws IOException {
    try (exchange) {
      reject(
          exchange,
          PROTOBUF,
          404,
          RejectReason.NOT_FOUND,
          Code.NOT_FOUND,
          "no OTLP endpoint at "
              + exchange.getRequestURI().getPath()
              + "; use /v1/metrics, /v1/traces or /v1/logs");
    }
  }

  private void handle(HttpExchange exchange, OtlpSignal signal) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/v1/" + path(signal))) {
        notFound(exchange);
        return;
      }
      String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      String responseType = JSON.equals(contentType) ? JSON : PROTOBUF;
      if (SHED.get()) {
        throttled(
            exchange,
            responseType,
            "the bridge is busy: more than "
                + config.httpMaxQueued()
                + " requests wait for a thread; retry later");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        reject(
            exchange,
            responseType,
            405,
            RejectReason.METHOD_NOT_ALLOWED,
            Code.UNIMPLEMENTED,
            "only POST is allowed");
        return;
      }
      String tenant = null;
      if (auth.enabled()) {
        tenant = auth.tenantOf(exchange.getRequestHeaders().getFirst("Authorization")).orElse(null);
        if (tenant == null) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          reject(
              exchange,
              responseType,
              401,
              RejectReason.UNAUTHENTICATED,
              Code.UNAUTHENTICATED,
              "missing or unknown bearer token");
          return;
        }
      }
      if (!PROTOBUF.equals(contentType) && !JSON.equals(contentType)) {
        reject(
            exchange,
            PROTOBUF,
            415,
            RejectReason.UNSUPPORTED_MEDIA_TYPE,
            Code.INVALID_ARGUMENT,
            "Content-Type must be application/x-protobuf or application/json, got " + contentType);
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
      if (encoding != null && !gzip && !encoding.equalsIgnoreCase("identity")) {
        reject(
            exchange,
            responseType,
            415,
            RejectReason.UNSUPPORTED_ENCODING,
            Code.INVALID_ARGUMENT,
            "Content-Encoding must be gzip or identity, got " + encoding);
        return;
      }
      byte[] body;
      try {
        body = readBody(exchange, gzip);
      } catch (BodyTooLargeException e) {
        discardRest(exchange.getRequestBody());
        reject(
            exchange,
            responseType,
            413,
            RejectReason.TOO_LARGE,
            Code.RESOURCE_EXHAUSTED,
            e.getMessage());
        return;
      } catch (IOException e) {
        reject(
            exchange,
            responseType,
            400,
            RejectReason.MALFORMED,
            Code.INVALID_ARGUMENT,
            "cannot read body: " + e.getMessage());
        return;
      }
      CompletableFuture<IngestResult> result;
      try {
        result =
            JSON.equals(contentType)
                ? ingest.ingestJson(signal, body, Protocol.HTTP, tenant)
                : ingest.ingestProtobuf(signal, body, Protocol.HTTP, tenant);
      } catch (InvalidProtocolBufferException e) {
        reject(
            exchange,
            responseType,
            400,
            RejectReason.MALFORMED,
            Code.INVALID_ARGUMENT,
            "malformed OTLP "
                + (JSON.equals(contentType) ? "JSON" : "protobuf")
                + ": "
                + e.getMessage());
        return;
      }
      respond(exchange, signal, responseType, await(result));
    } catch (RuntimeException e) {
      LOGGER.warn("Unexpected error serving {}", exchange.getRequestURI(), e);
      throw e;
    }
  }

  private IngestResult await(CompletableFuture<IngestResult> result) {
    try {
      // Kafka's own delivery timeout completes the future; the margin only guards against a bug.
      return result.get(config.produceTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IngestResult(
          IngestResult.Outcome.UNAVAILABLE, 0, "interrupted while waiting for Kafka");
    } catch (ExecutionException | TimeoutException e) {
      return new IngestResult(IngestResult.Outcome.UNAVAILABLE, 0, "no answer from Kafka: " + e);
    }
  }

  private void respond(
      HttpExchange exchange, OtlpSignal signal, String responseType, IngestResult result)
      throws IOException {
    switch (result.outcome()) {
      case ACCEPTED ->
          send(
              exchange,
              200,
              responseType,
              OtlpDecoder.response(signal, result.rejectedItems(), result.message()));
      case THROTTLED -> throttled(exchange, responseType, result.message());
      case UNAVAILABLE -> {
        exchange
            .getResponseHeaders()
            .set("Retry-After", Integer.toString(IngestResult.RETRY_AFTER_SECONDS));
        reject(
            exchange,
            responseType,
            503,
            RejectReason.KAFKA_UNAVAILABLE,
            Code.UNAVAILABLE,
            result.message());
      }
    }
  }

  private byte[] readBody(HttpExchange exchange, boolean gzip) throws IOException {
    int limit = config.maxRequestBytes();
    InputStream raw = exchange.getRequestBody();
    InputStream in =
        gzip
            ? new GZIPInputStream(new LimitedInputStream(raw, limit, "compressed body"), 8192)
            : raw;
    return new LimitedInputStream(in, limit, gzip ? "decompressed body" : "body").readAllBytes();
  }

  /**
   * Reads and drops what is left of a refused body, up to a few times the limit, so the client can
   * read the 413 instead of seeing the connection reset under its upload.
   */
  private void discardRest(InputStream body) {
    long budget = 4L * config.maxRequestBytes();
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int n = body.read(buffer); n > 0 && budget > 0; n = body.read(buffer)) {
        budget -= n;
      }
    } catch (IOException e) {
      LOGGER.debug("Client went away while its refused body was discarded", e);
    }
  }

  /** 429 with {@code Retry-After}: the same answer whether the queue or Kafka is full. */
  private void throttled(HttpExchange exchange, String responseType, String message)
      throws IOException {
    exchange
        .getResponseHeaders()
        .set("Retry-After", Integer.toString(IngestResult.RETRY_AFTER_SECONDS));
    reject(exchange, responseType, 429, RejectReason.THROTTLED, Code.RESOURCE_EXHAUSTED, message);
  }

  private void reject(
      HttpExchange exchange,
      String responseType,
      int status,
      RejectReason reason,
      Code code,
      String message)
      throws IOException {
    metrics.requestRejected(Protocol.HTTP, reason);
    com.google.rpc.Status body =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    send(exchange, status, responseType, body);
  }

  private static void send(HttpExchange exchange, int status, String responseType, Message body)
      throws IOException {
    byte[] bytes =
        JSON.equals(responseType)
            ? OtlpJson.print(body).getBytes(StandardCharsets.UTF_8)
            : body.toByteArray();
    exchange.getResponseHeaders().set("Content-Type", responseType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static String path(OtlpSignal signal) {
    return switch (signal) {
      case METRICS -> "metrics";
      case TRACES -> "traces";
      case LOGS -> "logs";
    };
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(1);
      executor.shutdownNow();
      shedExecutor.shutdownNow();
    }
  }

  /** A body over the configured limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
      super(message);
    }
  }

  /** Fails once more than {@code limit} bytes were read. */
  private static final class LimitedInputStream extends java.io.FilterInputStream {
    private final long limit;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, long limit, String what) {
      super(in);
      this.limit = limit;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      count += n;
      if (count > limit) {
        throw new BodyTooLargeException(what + " is over the limit of " + limit + " bytes");
      }
    }
  }
}
