package dev.vigil.perf.pipeline;

import dev.vigil.bridge.BridgeConfig;
import dev.vigil.deploy.broker.EmbeddedBroker;
import dev.vigil.deploy.cli.VigilApps;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.ProvisionReport;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Everything {@code vigil up} runs, in this JVM: the embedded KRaft broker, the catalog's topics,
 * and every app of the build except the Connect sinks (they need external receivers), wired the
 * same way (one {@link CoreConfig}, each app from its {@link AppDefinition}).
 */
final class Pipeline implements AutoCloseable {
  private final Path dir;
  private final EmbeddedBroker broker;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final List<String> groups = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private CoreConfig config;
  private int grpcPort;
  private int httpPort;

  Pipeline(Path dir) throws IOException {
    this.dir = dir;
    this.broker = new EmbeddedBroker(dir.resolve("broker"), "127.0.0.1", freePort(), freePort());
  }

  /** Starts broker, topics and apps; returns once every app has been started. */
  void start(Map<String, String> extraSettings) throws Exception {
    broker.start(Duration.ofSeconds(60));
    grpcPort = freePort();
    httpPort = freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    settings.put(CoreConfig.STATE_DIR_CONFIG, stateDir().toString());
    settings.put(CoreConfig.MANAGEMENT_PORT_CONFIG, "0");
    settings.put(BridgeConfig.HOST_CONFIG, "127.0.0.1");
    settings.put(BridgeConfig.GRPC_PORT_CONFIG, Integer.toString(grpcPort));
    settings.put(BridgeConfig.HTTP_PORT_CONFIG, Integer.toString(httpPort));
    settings.putAll(extraSettings);
    config = new CoreConfig(VigilApps.definition(), new ConfigSources().cli(settings));
    List<AppDefinition> apps =
        VigilApps.all().stream().filter(app -> !app.name().equals("sinks")).toList();
    TopicCatalog topics = config.topicCatalog();
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    apps.forEach(app -> specs.addAll(app.ownTopics(topics)));
    try (Admin admin = Admin.create(config.kafkaClientConfig())) {
      ProvisionReport report = new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(specs);
      if (!report.missing().isEmpty()) {
        throw new IllegalStateException("topics missing: " + report.missing());
      }
    }
    for (AppDefinition definition : apps) {
      VigilService app = definition.create(config, topics, registry);
      running.push(app);
      app.start();
      if (!definition.name().equals("bridge")) {
        groups.add(StreamsApp.applicationId(definition.name(), config));
      }
    }
  }

  /** The sum of a counter of the apps over every tag combination with {@code tag=value}. */
  double count(String name, String tag, String value) {
    return registry.find(name).tag(tag, value).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  CoreConfig config() {
    return config;
  }

  TopicCatalog topics() {
    return config.topicCatalog();
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The Streams apps' consumer groups (= application ids), in pipeline order. */
  List<String> groups() {
    return groups;
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + grpcPort;
  }

  String httpEndpoint() {
    return "http://127.0.0.1:" + httpPort;
  }

  Path stateDir() {
    return dir.resolve("streams");
  }

  /** Bytes under the Streams state directory (RocksDB stores, checkpoints). */
  long stateBytes() throws IOException {
    return stateBytesByStore().values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@link #bytesByStore} of this pipeline's state directory. */
  Map<String, Long> stateBytesByStore() throws IOException {
    return bytesByStore(stateDir());
  }

  /**
   * Bytes under the Streams state directory by store name, summed over tasks and apps ({@code
   * <app>/<task>/rocksdb/<store>/...}); what is not in a store (checkpoints, locks) is under {@code
   * "(not a store)"}.
   */
  static Map<String, Long> bytesByStore(Path stateDir) throws IOException {
    Map<String, Long> byStore = new TreeMap<>();
    if (!Files.exists(stateDir)) {
      return byStore;
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                Path relative = stateDir.relativize(f);
                String store =
                    relative.getNameCount() > 4 && relative.getName(2).toString().equals("rocksdb")
                        ? relative.getName(3).toString()
                        : "(not a store)";
                try {
                  byStore.merge(store, Files.size(f), Long::sum);
                } catch (IOException e) {
                  // a RocksDB file removed by compaction meanwhile
                }
              });
    }
    return byStore;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        System.err.println("close: " + e);
      }
    }
    broker.close();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
