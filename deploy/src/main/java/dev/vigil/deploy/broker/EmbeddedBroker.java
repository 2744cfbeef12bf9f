package dev.vigil.deploy.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) inside the Vigil process, for
 * {@code vigil up}. Its data lives in a directory that is reused on restart: the cluster id is kept
 * beside the log directory, so a second start finds its topics and records again.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final String CLUSTER_ID_FILE = "cluster.id";

  private final Path dataDir;
  private final String host;
  private final int port;
  private final int controllerPort;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private KafkaRaftServer server;
  private String clusterId;
  private Map<String, String> overrides = Map.of();

  /**
   * @param dataDir directory for the broker's logs and cluster id, created if missing
   * @param host interface to listen on, e.g. {@code 127.0.0.1}
   * @param port client port
   * @param controllerPort KRaft controller port
   */
  public EmbeddedBroker(Path dataDir, String host, int port, int controllerPort) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Broker settings that replace the defaults, e.g. for a replay that keeps months-old records
   * which retention would otherwise delete. Call before {@link #start}.
   */
  public EmbeddedBroker withSettings(Map<String, String> settings) {
    this.overrides = Map.copyOf(settings);
    return this;
  }

  /**
   * Formats the data directory on first use, starts the broker and waits until it serves clients.
   *
   * @throws IllegalStateException if it cannot start or is not ready within {@code timeout}
   */
  public void start(Duration timeout) throws IOException {
    Path logDir = dataDir.resolve("kafka-logs");
    Files.createDirectories(logDir);
    clusterId = clusterId();
    Properties props = properties(logDir);
    format(props);
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    awaitReady(timeout);
    LOGGER.info(
        "Kafka broker ready on {} (cluster {}, data {})", bootstrapServers(), clusterId, logDir);
  }

  /** host:port for clients. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  /** The cluster id, stable across restarts of the same data directory. */
  public String clusterId() throws IOException {
    Path file = dataDir.resolve(CLUSTER_ID_FILE);
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String id = Uuid.randomUuid().toString();
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  private Properties properties(Path logDir) {
    Properties props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.bootstrap.servers", host + ":" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + host
                    + ":"
                    + port
                    + ",CONTROLLER://"
                    + host
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + port),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
            // One node: every internal topic has one replica.
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("num.partitions", "1")));
    props.putAll(overrides);
    return props;
  }

  private void format(Properties props) throws IOException {
    Path config = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "written by vigil up; regenerated at every start");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status =
          StorageTool.execute(
              new String[] {
                "format",
                "-t",
                clusterId,
                "-c",
                config.toString(),
                "--standalone",
                "--ignore-formatted"
              },
              print);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "cannot format Kafka data directory "
              + dataDir
              + ": "
              + output.toString(StandardCharsets.UTF_8).trim()
              + " (delete it to start afresh)");
    }
  }

  private void awaitReady(Duration timeout) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      close();
      throw new IllegalStateException(
          "Kafka broker not ready on " + bootstrapServers() + " within " + timeout, e);
    }
  }

  /** Stops the broker; safe to call twice. */
  @Override
  public void close() {
    if (server != null && stopped.compareAndSet(false, true)) {
      LOGGER.info("Stopping Kafka broker");
      server.shutdown();
      server.awaitShutdown();
    }
  }
}
