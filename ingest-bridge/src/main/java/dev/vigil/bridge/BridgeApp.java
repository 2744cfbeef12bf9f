package dev.vigil.bridge;

import dev.vigil.bridge.internal.BridgeMetrics;
import dev.vigil.bridge.internal.GrpcReceiver;
import dev.vigil.bridge.internal.HttpReceiver;
import dev.vigil.bridge.internal.InflightBudget;
import dev.vigil.bridge.internal.Ingest;
import dev.vigil.bridge.internal.KafkaWriter;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.bridge.internal.TokenAuth;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest bridge: OTLP/gRPC and OTLP/HTTP receivers writing to {@code otlp_metrics}, {@code
 * otlp_spans} and {@code otlp_logs} exactly as the Collector's Kafka exporter would ({@code
 * otlp_proto}, one resource per record, keyed by {@code service.name}). A client gets a 2xx only
 * once Kafka has acknowledged its data.
 */
public final class BridgeApp implements VigilService {
  /** App name: {@value}. */
  public static final String NAME = "bridge";

  private static final Logger LOGGER = LoggerFactory.getLogger(BridgeApp.class);

  private final BridgeConfig config;
  private final TopicCatalog topics;
  private final MeterRegistry registry;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private Producer<String, byte[]> producer;
  private KafkaClientMetrics producerMetrics;
  private GrpcReceiver grpc;
  private HttpReceiver http;

  /** Prepares the bridge; {@link #start()} binds its ports. */
  public BridgeApp(BridgeConfig config, TopicCatalog topics, MeterRegistry registry) {
    this.config = config;
    this.topics = topics;
    this.registry = registry;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() throws Exception {
    TokenAuth auth =
        TokenAuth.load(
            config.authTokensFile(),
            config.authTokens(),
            BridgeConfig.AUTH_TOKENS_FILE_CONFIG,
            BridgeConfig.AUTH_TOKENS_CONFIG);
    Map<String, Object> producerConfig = new HashMap<>(config.core().kafkaClientConfig());
    producerConfig.putAll(
        KafkaWriter.producerConfig(
            config.produceTimeout().toMillis(), 2 * config.maxInflightBytes()));
    producerConfig.put("client.id", config.core().topicPrefix() + "vigil-bridge");
    producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(registry);
    InflightBudget budget = new InflightBudget(config.maxInflightBytes());
    BridgeMetrics metrics = new BridgeMetrics(registry, budget);
    Ingest ingest =
        new Ingest(
            Map.of(
                OtlpSignal.METRICS, topics.otlpMetrics.name(),
                OtlpSignal.TRACES, topics.otlpSpans.name(),
                OtlpSignal.LOGS, topics.otlpLogs.name()),
            new RequestSplitter(config.maxRecordBytes()),
            budget,
            new KafkaWriter(producer),
            metrics);
    grpc = new GrpcReceiver(config, ingest, auth, metrics);
    http = new HttpReceiver(config, ingest, auth, metrics);
    grpc.start();
    http.start();
    if (auth.enabled()) {
      LOGGER.info("Bridge requires bearer tokens");
    }
    started.set(true);
  }

  /** Port of the OTLP/gRPC receiver (after start). */
  public int grpcPort() {
    return grpc.port();
  }

  /** Port of the OTLP/HTTP receiver (after start). */
  public int httpPort() {
    return http.port();
  }

  @Override
  public HealthCheck healthCheck() {
    return new HealthCheck(
        NAME,
        () -> !closed.get(),
        () -> started.get() && !closed.get(),
        () -> closed.get() ? "STOPPED" : started.get() ? "RUNNING" : "STARTING");
  }

  @Override
  public String toString() {
    return started.get()
        ? "OTLP gRPC "
            + config.host()
            + ":"
            + grpcPort()
            + ", HTTP "
            + config.host()
            + ":"
            + httpPort()
        : NAME;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LOGGER.info("Stopping the bridge");
      // Receivers first: no new requests; then the producer flushes what was accepted.
      if (grpc != null) {
        grpc.close();
      }
      if (http != null) {
        http.close();
      }
      if (producerMetrics != null) {
        producerMetrics.close();
      }
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    }
  }

  /** How the {@code vigil} command runs the bridge. */
  public static final class Definition implements AppDefinition {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void define(ConfigDef definition) {
      BridgeConfig.define(definition);
    }

    /** None: the bridge refuses bad input with a 4xx instead of dead-lettering it. */
    @Override
    public List<TopicSpec<?, ?>> ownTopics(TopicCatalog topics) {
      return List.of();
    }

    @Override
    public BridgeApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      return new BridgeApp(new BridgeConfig(config), topics, registry);
    }
  }
}
