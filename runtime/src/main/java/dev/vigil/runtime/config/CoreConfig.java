package dev.vigil.runtime.config;

import dev.vigil.schemas.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings every Vigil process shares: Kafka connection, topics, Streams, management endpoint.
 *
 * <p>Values come from {@link ConfigSources} and are validated at construction: an unknown key, a
 * wrong type or an out-of-range value throws a {@link ConfigError} that names the key, where the
 * value came from, and what is allowed. Keys under {@value #KAFKA_PREFIX} are not checked here;
 * they pass through, prefix removed, to every Kafka client (e.g. {@code kafka.security.protocol}).
 * An app with settings of its own extends this class with {@link #definition()} plus its keys.
 */
public class CoreConfig extends AbstractConfig {
  /** Prefix of settings passed through to the Kafka clients: {@value}. */
  public static final String KAFKA_PREFIX = "kafka.";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  private static final String BOOTSTRAP_SERVERS_DOC =
      "Kafka brokers to connect to, host:port[,host:port].";
  public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
  private static final String TOPIC_PREFIX_DOC =
      "Prefix of every topic name, selecting an environment (e.g. 'staging.'). Empty for none.";
  public static final String TOPIC_OTLP_METRICS_CONFIG = "topic.otlp.metrics";
  private static final String TOPIC_OTLP_METRICS_DOC =
      "Raw OTLP metrics topic (before the prefix), as the Collector's kafka exporter names it.";
  public static final String TOPIC_OTLP_SPANS_CONFIG = "topic.otlp.spans";
  private static final String TOPIC_OTLP_SPANS_DOC = "Raw OTLP spans topic (before the prefix).";
  public static final String TOPIC_OTLP_LOGS_CONFIG = "topic.otlp.logs";
  private static final String TOPIC_OTLP_LOGS_DOC = "Raw OTLP logs topic (before the prefix).";
  public static final String TOPIC_PARTITIONS_CONFIG = "topic.partitions";
  private static final String TOPIC_PARTITIONS_DOC =
      "Partitions of high-volume topics at creation; the most replicas an app can scale to.";
  public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "topic.replication.factor";
  private static final String TOPIC_REPLICATION_FACTOR_DOC =
      "Replication factor of Vigil's topics at creation; 3 on a production cluster.";
  public static final String TOPIC_PROVISION_CONFIG = "topic.provision";
  private static final String TOPIC_PROVISION_DOC =
      "Create missing topics at start-up and verify existing ones against the catalog.";
  public static final String STATE_DIR_CONFIG = "state.dir";
  private static final String STATE_DIR_DOC = "Directory of the Streams state stores (RocksDB).";
  public static final String STREAMS_THREADS_CONFIG = "streams.threads";
  private static final String STREAMS_THREADS_DOC = "Stream threads per app instance.";
  public static final String STREAMS_STANDBY_REPLICAS_CONFIG = "streams.standby.replicas";
  private static final String STREAMS_STANDBY_REPLICAS_DOC =
      "Warm copies of each state store on other instances, for fast fail-over.";
  public static final String STREAMS_COMMIT_INTERVAL_CONFIG = "streams.commit.interval.ms";
  private static final String STREAMS_COMMIT_INTERVAL_DOC =
      "How often transactions commit; bounds end-to-end latency under exactly-once.";
  public static final String MANAGEMENT_HOST_CONFIG = "management.host";
  private static final String MANAGEMENT_HOST_DOC =
      "Interface of the management endpoint (/metrics, /health/live, /health/ready).";
  public static final String MANAGEMENT_PORT_CONFIG = "management.port";
  private static final String MANAGEMENT_PORT_DOC =
      "Port of the management endpoint; 0 picks a free one.";
  public static final String STARTUP_TIMEOUT_CONFIG = "startup.timeout.ms";
  private static final String STARTUP_TIMEOUT_DOC =
      "How long an app may take to reach RUNNING before start-up fails.";
  public static final String SHUTDOWN_TIMEOUT_CONFIG = "shutdown.timeout.ms";
  private static final String SHUTDOWN_TIMEOUT_DOC = "How long a graceful shutdown may take.";

  private static final String GROUP_KAFKA = "Kafka";
  private static final String GROUP_STREAMS = "Streams";
  private static final String GROUP_MANAGEMENT = "Management";

  private final ConfigSources sources;

  /**
   * Validates the shared settings.
   *
   * @throws ConfigError naming the first key at fault
   */
  public CoreConfig(ConfigSources sources) {
    this(definition(), sources);
  }

  /**
   * Validates settings against a definition that extends {@link #definition()} with the keys of the
   * apps that run in this process.
   *
   * @throws ConfigError naming the first key at fault
   */
  public CoreConfig(ConfigDef definition, ConfigSources sources) {
    super(definition, checked(definition, sources), false);
    this.sources = sources;
  }

  /** A fresh definition of the shared keys, for apps to add their own to. */
  public static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    addKafkaConfigs(def);
    addStreamsConfigs(def);
    addManagementConfigs(def);
    return def;
  }

  private static void addKafkaConfigs(ConfigDef def) {
    int order = 0;
    def.define(
        BOOTSTRAP_SERVERS_CONFIG,
        Type.STRING,
        "127.0.0.1:9092",
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        BOOTSTRAP_SERVERS_DOC,
        GROUP_KAFKA,
        ++order,
        Width.LONG,
        "Bootstrap servers");
    def.define(
        TOPIC_PREFIX_CONFIG,
        Type.STRING,
        "",
        new TopicNameValidator(true),
        Importance.MEDIUM,
        TOPIC_PREFIX_DOC,
        GROUP_KAFKA,
        ++order,
        Width.SHORT,
        "Topic prefix");
    def.define(
        TOPIC_OTLP_METRICS_CONFIG,
        Type.STRING,
        "otlp_metrics",
        new TopicNameValidator(false),
        Importance.LOW,
        TOPIC_OTLP_METRICS_DOC,
        GROUP_KAFKA,
        ++order,
        Width.MEDIUM,
        "OTLP metrics topic");
    def.define(
        TOPIC_OTLP_SPANS_CONFIG,
        Type.STRING,
        "otlp_spans",
        new TopicNameValidator(false),
        Importance.LOW,
        TOPIC_OTLP_SPANS_DOC,
        GROUP_KAFKA,
        ++order,
        Width.MEDIUM,
        "OTLP spans topic");
    def.define(
        TOPIC_OTLP_LOGS_CONFIG,
        Type.STRING,
        "otlp_logs",
        new TopicNameValidator(false),
        Importance.LOW,
        TOPIC_OTLP_LOGS_DOC,
        GROUP_KAFKA,
        ++order,
        Width.MEDIUM,
        "OTLP logs topic");
    def.define(
        TOPIC_PARTITIONS_CONFIG,
        Type.INT,
        6,
        Range.between(1, 10_000),
        Importance.MEDIUM,
        TOPIC_PARTITIONS_DOC,
        GROUP_KAFKA,
        ++order,
        Width.SHORT,
        "Partitions");
    def.define(
        TOPIC_REPLICATION_FACTOR_CONFIG,
        Type.SHORT,
        (short) 1,
        Range.between(1, 16),
        Importance.MEDIUM,
        TOPIC_REPLICATION_FACTOR_DOC,
        GROUP_KAFKA,
        ++order,
        Width.SHORT,
        "Replication factor");
    def.define(
        TOPIC_PROVISION_CONFIG,
        Type.BOOLEAN,
        true,
        null,
        Importance.LOW,
        TOPIC_PROVISION_DOC,
        GROUP_KAFKA,
        ++order,
        Width.SHORT,
        "Provision topics");
  }

  private static void addStreamsConfigs(ConfigDef def) {
    int order = 0;
    def.define(
        STATE_DIR_CONFIG,
        Type.STRING,
        "data/streams",
        new ConfigDef.NonEmptyString(),
        Importance.MEDIUM,
        STATE_DIR_DOC,
        GROUP_STREAMS,
        ++order,
        Width.LONG,
        "State directory");
    def.define(
        STREAMS_THREADS_CONFIG,
        Type.INT,
        1,
        Range.between(1, 64),
        Importance.MEDIUM,
        STREAMS_THREADS_DOC,
        GROUP_STREAMS,
        ++order,
        Width.SHORT,
        "Stream threads");
    def.define(
        STREAMS_STANDBY_REPLICAS_CONFIG,
        Type.INT,
        0,
        Range.between(0, 8),
        Importance.LOW,
        STREAMS_STANDBY_REPLICAS_DOC,
        GROUP_STREAMS,
        ++order,
        Width.SHORT,
        "Standby replicas");
    def.define(
        STREAMS_COMMIT_INTERVAL_CONFIG,
        Type.LONG,
        100L,
        Range.between(10, 60_000),
        Importance.LOW,
        STREAMS_COMMIT_INTERVAL_DOC,
        GROUP_STREAMS,
        ++order,
        Width.SHORT,
        "Commit interval");
    def.define(
        STARTUP_TIMEOUT_CONFIG,
        Type.LONG,
        60_000L,
        Range.between(1_000, 3_600_000),
        Importance.LOW,
        STARTUP_TIMEOUT_DOC,
        GROUP_STREAMS,
        ++order,
        Width.SHORT,
        "Start-up timeout");
    def.define(
        SHUTDOWN_TIMEOUT_CONFIG,
        Type.LONG,
        10_000L,
        Range.between(0, 600_000),
        Importance.LOW,
        SHUTDOWN_TIMEOUT_DOC,
        GROUP_STREAMS,
        ++order,
        Width.SHORT,
        "Shutdown timeout");
  }

  private static void addManagementConfigs(ConfigDef def) {
    int order = 0;
    def.define(
        MANAGEMENT_HOST_CONFIG,
        Type.STRING,
        "0.0.0.0",
        new ConfigDef.NonEmptyString(),
        Importance.LOW,
        MANAGEMENT_HOST_DOC,
        GROUP_MANAGEMENT,
        ++order,
        Width.MEDIUM,
        "Management host");
    def.define(
        MANAGEMENT_PORT_CONFIG,
        Type.INT,
        9464,
        Range.between(0, 65_535),
        Importance.LOW,
        MANAGEMENT_PORT_DOC,
        GROUP_MANAGEMENT,
        ++order,
        Width.SHORT,
        "Management port");
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS_CONFIG);
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX_CONFIG);
  }

  public int topicPartitions() {
    return getInt(TOPIC_PARTITIONS_CONFIG);
  }

  /** The topic catalog of this environment: prefix, partitions, replication and OTLP names. */
  public TopicCatalog topicCatalog() {
    return TopicCatalog.create(topicPrefix(), topicPartitions(), topicReplicationFactor())
        .withOtlpTopics(
            getString(TOPIC_OTLP_METRICS_CONFIG),
            getString(TOPIC_OTLP_SPANS_CONFIG),
            getString(TOPIC_OTLP_LOGS_CONFIG));
  }

  public short topicReplicationFactor() {
    return getShort(TOPIC_REPLICATION_FACTOR_CONFIG);
  }

  public boolean topicProvision() {
    return getBoolean(TOPIC_PROVISION_CONFIG);
  }

  public Path stateDir() {
    return Path.of(getString(STATE_DIR_CONFIG));
  }

  public int streamsThreads() {
    return getInt(STREAMS_THREADS_CONFIG);
  }

  public int streamsStandbyReplicas() {
    return getInt(STREAMS_STANDBY_REPLICAS_CONFIG);
  }

  public Duration streamsCommitInterval() {
    return Duration.ofMillis(getLong(STREAMS_COMMIT_INTERVAL_CONFIG));
  }

  public Duration startupTimeout() {
    return Duration.ofMillis(getLong(STARTUP_TIMEOUT_CONFIG));
  }

  public Duration shutdownTimeout() {
    return Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT_CONFIG));
  }

  public String managementHost() {
    return getString(MANAGEMENT_HOST_CONFIG);
  }

  public int managementPort() {
    return getInt(MANAGEMENT_PORT_CONFIG);
  }

  /** Settings for every Kafka client: the {@value #KAFKA_PREFIX} keys, prefix removed. */
  public Map<String, Object> kafkaClientOverrides() {
    return originalsWithPrefix(KAFKA_PREFIX, true);
  }

  /** Client settings for an Admin, producer or consumer: bootstrap servers plus overrides. */
  public Map<String, Object> kafkaClientConfig() {
    Map<String, Object> config = new HashMap<>(kafkaClientOverrides());
    config.put(BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  /**
   * The effective settings, one {@code key=value (origin)} line each, secrets masked: logged at
   * start-up so an operator sees what the process really runs with.
   */
  public String describe() {
    StringBuilder out = new StringBuilder();
    new java.util.TreeMap<>(originals())
        .forEach(
            (key, value) ->
                out.append(key)
                    .append('=')
                    .append(Secrets.mask(key, value))
                    .append(" (")
                    .append(originOf(key))
                    .append(")\n"));
    values()
        .forEach(
            (key, value) -> {
              if (!originals().containsKey(key)) {
                out.append(key).append('=').append(Secrets.mask(key, value)).append(" (default)\n");
              }
            });
    return out.toString();
  }

  /**
   * {@code text} (an error message, a log line) with every secret of these settings masked: values
   * of secret keys, the password inside a JAAS config, URL passwords. For messages of libraries
   * that may echo a value they could not parse.
   */
  public String redact(String text) {
    java.util.Set<String> secrets = new java.util.HashSet<>();
    originals().forEach((key, value) -> secrets.addAll(Secrets.secretParts(key, value)));
    return Secrets.redact(text, secrets);
  }

  /** Where the effective value of {@code key} came from. */
  public String originOf(String key) {
    return sources.originOf(key);
  }

  private static Map<String, String> checked(ConfigDef definition, ConfigSources sources) {
    Map<String, String> values = sources.values();
    values.keySet().stream()
        .filter(key -> !definition.names().contains(key) && !key.startsWith(KAFKA_PREFIX))
        .sorted()
        .findFirst()
        .ifPresent(
            key -> {
              throw unknownKey(definition, sources, key);
            });
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(KAFKA_PREFIX) && key.length() == KAFKA_PREFIX.length()) {
        throw new ConfigError(
            key, "empty Kafka client key 'kafka.' (from " + sources.originOf(key) + ")");
      }
    }
    for (String key : definition.names()) {
      if (!values.containsKey(key)) {
        continue;
      }
      ConfigDef.ConfigKey configKey = definition.configKeys().get(key);
      try {
        Object parsed = ConfigDef.parseType(key, values.get(key), configKey.type);
        if (configKey.validator != null) {
          configKey.validator.ensureValid(key, parsed);
        }
      } catch (ConfigException e) {
        String allowed =
            configKey.validator == null ? "" : " Allowed: " + configKey.validator + ".";
        throw new ConfigError(
            key,
            "invalid value '"
                + Secrets.mask(key, values.get(key))
                + "' for "
                + key
                + " (from "
                + sources.originOf(key)
                + "): "
                + reason(e)
                + "."
                + allowed
                + " "
                + configKey.documentation);
      }
    }
    return values;
  }

  private static String reason(ConfigException e) {
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    return colon >= 0 ? message.substring(colon + 2) : message;
  }

  private static ConfigError unknownKey(ConfigDef definition, ConfigSources sources, String key) {
    String closest =
        definition.names().stream()
            .min(Comparator.comparingInt(name -> EditDistance.between(name, key)))
            .orElse("");
    String hint = EditDistance.between(closest, key) <= 3 ? " Did you mean '" + closest + "'?" : "";
    return new ConfigError(
        key,
        "unknown config key '"
            + key
            + "' (from "
            + sources.originOf(key)
            + ")."
            + hint
            + " Known keys: "
            + String.join(", ", definition.names().stream().sorted().toList())
            + "; keys under '"
            + KAFKA_PREFIX
            + "' pass through to the Kafka clients.");
  }
}
