package dev.vigil.runtime.streams;

import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Streams topology the way every Vigil app runs: exactly-once v2, explicit names for
 * internal topics and stores, failing records to the app's DLQ, metrics bound to the registry.
 *
 * <p>{@link #start()} blocks until the app is RUNNING (or fails after {@code startup.timeout.ms}).
 * An exception that escapes the handlers shuts the client down rather than crash-looping a thread:
 * the app turns unhealthy, and the orchestrator restarts the process.
 */
public final class StreamsApp implements VigilService {
  private static final Logger LOGGER = LoggerFactory.getLogger(StreamsApp.class);

  private final String name;
  private final CoreConfig config;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final DeadLetters deadLetters;
  private final CountDownLatch running = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Prepares an app; nothing connects until {@link #start()}.
   *
   * @param name app name, e.g. {@code anomaly}: part of application.id, DLQ and metric tags
   * @param config validated shared settings
   * @param topology the app's topology
   * @param dlqTopic the app's dead-letter topic (from the topic catalog)
   * @param registry where the app's metrics go
   */
  public StreamsApp(
      String name, CoreConfig config, Topology topology, String dlqTopic, MeterRegistry registry) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.deadLetters = new DeadLetters(name, dlqTopic, registry);
    this.streams = new KafkaStreams(topology, properties(name, config, deadLetters));
    this.streams.setUncaughtExceptionHandler(
        e -> {
          LOGGER.error("App {} hit an unhandled error and shuts down; it turns unhealthy", name, e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    this.streams.setStateListener(
        (now, before) -> {
          LOGGER.info("App {} state {} -> {}", name, before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    StateRestoreMetrics restores = new StateRestoreMetrics(name, registry);
    this.streams.setGlobalStateRestoreListener(restores);
    this.streams.setStandbyUpdateListener(restores);
    this.metrics = new KafkaStreamsMetrics(streams);
    this.metrics.bindTo(registry);
  }

  /**
   * The Streams settings of an app: exactly-once v2, explicit internal names, DLQ handlers.
   *
   * @param name app name
   * @param config shared settings
   * @param deadLetters the app's dead-letter writer, handed to the handlers
   */
  public static Properties properties(String name, CoreConfig config, DeadLetters deadLetters) {
    Properties props = new Properties();
    props.putAll(config.kafkaClientOverrides());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(name, config));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamsThreads());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.streamsStandbyReplicas());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.streamsCommitInterval().toMillis());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplicationFactor());
    // Auto-generated names change when the topology changes and orphan state: refuse them.
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DlqDeserializationHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProcessingHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProductionHandler.class);
    props.put(DeadLetters.CONFIG_KEY, deadLetters);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    return props;
  }

  /** The Streams application.id of an app: topic prefix + {@code vigil-} + name. */
  public static String applicationId(String name, CoreConfig config) {
    return config.topicPrefix() + "vigil-" + name;
  }

  /**
   * Starts the app and waits until it is RUNNING.
   *
   * @throws IllegalStateException if it is not RUNNING within {@code startup.timeout.ms}, or failed
   */
  @Override
  public void start() {
    LOGGER.info("Starting app {} (application.id {})", name, applicationId(name, config));
    streams.start();
    Duration timeout = config.startupTimeout();
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "app "
                + name
                + " did not reach RUNNING within "
                + timeout
                + " (state "
                + streams.state()
                + "); is Kafka reachable at "
                + config.bootstrapServers()
                + "?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting app " + name, e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Current Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public String toString() {
    return "Kafka Streams app " + applicationId(name, config) + " (" + streams.state() + ")";
  }

  /** Dead letters this app wrote. */
  public long deadLettered() {
    return deadLetters.total();
  }

  /** Live while not failed; ready only while RUNNING (not while rebalancing or restoring). */
  @Override
  public HealthCheck healthCheck() {
    return new HealthCheck(
        name,
        () ->
            streams.state() != KafkaStreams.State.ERROR
                && streams.state() != KafkaStreams.State.PENDING_ERROR,
        () -> streams.state() == KafkaStreams.State.RUNNING,
        () -> streams.state().name());
  }

  /** Stops the app gracefully within {@code shutdown.timeout.ms}; safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LOGGER.info("Stopping app {}", name);
      metrics.close();
      // Leave the group: a graceful stop means this instance is going away, so its partitions
      // should move now rather than after the session timeout (45 s), which also delayed a
      // restarted instance that much.
      if (!streams.close(
          CloseOptions.timeout(config.shutdownTimeout())
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
        LOGGER.warn("App {} did not stop within {}", name, config.shutdownTimeout());
      }
    }
  }
}
