package dev.vigil.deploy.sinks;

import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.sinks.embedded.EmbeddedConnect;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink connectors in this process: an embedded Kafka Connect standalone worker running the
 * Prometheus, Alertmanager and search sinks whose target URL is set. With none set it does nothing.
 *
 * <p>Only the URL is configurable here; for auth, TLS and tuning of the targets run the plugin in a
 * real Connect worker (sinks/README.md). Kafka settings ({@code kafka.*}, e.g. SASL and TLS) reach
 * the worker and every client it makes. Malformed records go to {@code vigil.dlq.sinks}.
 */
public final class SinksApp implements VigilService {
  private static final Logger LOGGER = LoggerFactory.getLogger(SinksApp.class);

  public static final String PROMETHEUS_URL_CONFIG = "sinks.prometheus.url";
  private static final String PROMETHEUS_URL_DOC =
      "Remote-write URL (e.g. http://localhost:9090/api/v1/write) to write signals and forecasts "
          + "to; empty: no Prometheus sink.";
  public static final String ALERTMANAGER_URL_CONFIG = "sinks.alertmanager.url";
  private static final String ALERTMANAGER_URL_DOC =
      "Alertmanager base URL (e.g. http://localhost:9093) to post alerts to; empty: no "
          + "Alertmanager sink.";
  public static final String SEARCH_URL_CONFIG = "sinks.search.url";
  private static final String SEARCH_URL_DOC =
      "OpenSearch or Elasticsearch URL (e.g. http://localhost:9200) to index anomalies, incidents, "
          + "alerts, signals and OTLP logs into; empty: no search sink.";
  private static final String GROUP = "Sinks";
  private static final String NAME = "sinks";
  static final String SEARCH_CONNECTOR = "dev.vigil.sinks.search.SearchSinkConnector";
  private static final java.util.List<String> WORKER_CLIENT_PREFIXES =
      java.util.List.of("", "consumer.", "producer.", "admin.");

  private final CoreConfig config;
  private final TopicCatalog topics;
  private final Map<String, Map<String, String>> connectors;
  private final AtomicReference<EmbeddedConnect> connect = new AtomicReference<>();

  SinksApp(CoreConfig config, TopicCatalog topics) {
    this.config = config;
    this.topics = topics;
    this.connectors = connectorConfigs();
  }

  /** Registers the sinks with the {@code vigil} command. */
  public static final class Definition implements AppDefinition {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void define(ConfigDef definition) {
      int order = 0;
      definition
          .define(
              PROMETHEUS_URL_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              PROMETHEUS_URL_DOC,
              GROUP,
              ++order,
              Width.LONG,
              "Prometheus remote-write URL")
          .define(
              ALERTMANAGER_URL_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              ALERTMANAGER_URL_DOC,
              GROUP,
              ++order,
              Width.LONG,
              "Alertmanager URL")
          .define(
              SEARCH_URL_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              SEARCH_URL_DOC,
              GROUP,
              ++order,
              Width.LONG,
              "Search URL");
    }

    @Override
    public VigilService create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      return new SinksApp(config, topics);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() throws Exception {
    if (connectors.isEmpty()) {
      LOGGER.info(
          "No sink target configured ({}, {}, {}): no sinks run",
          PROMETHEUS_URL_CONFIG,
          ALERTMANAGER_URL_CONFIG,
          SEARCH_URL_CONFIG);
      return;
    }
    Map<String, String> worker = workerOverrides(config);
    // Lets each connector name its consumer group (see connectorConfigs).
    worker.put("connector.client.config.override.policy", "All");
    EmbeddedConnect started =
        EmbeddedConnect.start(
            config.bootstrapServers(),
            Files.createDirectories(config.stateDir().resolve("connect")),
            worker);
    connect.set(started);
    connectors.forEach(started::putConnector);
  }

  /**
   * Worker settings from the {@code kafka.*} keys. A Connect worker uses its top-level client
   * settings only for its own connections; the sink tasks' consumers, the dead-letter producer and
   * the admin client that creates the DLQ topic read theirs under {@code consumer.}, {@code
   * producer.} and {@code admin.}. So every key is copied to all four, or TLS and SASL would stop
   * at the worker and the tasks would connect in plaintext.
   */
  static Map<String, String> workerOverrides(CoreConfig config) {
    Map<String, String> worker = new LinkedHashMap<>();
    for (String prefix : WORKER_CLIENT_PREFIXES) {
      config
          .kafkaClientOverrides()
          .forEach((key, value) -> worker.put(prefix + key, String.valueOf(value)));
    }
    return worker;
  }

  @Override
  public HealthCheck healthCheck() {
    return new HealthCheck(NAME, () -> true, this::allRunning, this::state);
  }

  @Override
  public void close() {
    EmbeddedConnect running = connect.getAndSet(null);
    if (running != null) {
      running.close();
    }
  }

  @Override
  public String toString() {
    if (connectors.isEmpty()) {
      return "none (set "
          + PROMETHEUS_URL_CONFIG
          + ", "
          + ALERTMANAGER_URL_CONFIG
          + " or "
          + SEARCH_URL_CONFIG
          + ")";
    }
    EmbeddedConnect running = connect.get();
    return String.join(", ", connectors.keySet())
        + (running == null ? "" : "   (Connect REST " + running.restUrl() + ")");
  }

  /** The connectors to run, by name, from the URLs that are set. */
  Map<String, Map<String, String>> connectorConfigs() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    String prometheus = config.getString(PROMETHEUS_URL_CONFIG);
    if (!prometheus.isBlank()) {
      Map<String, String> c =
          common("dev.vigil.sinks.prometheus.PrometheusSinkConnector", prometheus);
      c.put("topics", topics.signals.name() + "," + topics.forecasts.name());
      out.put("prometheus", withGroup("prometheus", c));
    }
    String alertmanager = config.getString(ALERTMANAGER_URL_CONFIG);
    if (!alertmanager.isBlank()) {
      Map<String, String> c =
          common("dev.vigil.sinks.alertmanager.AlertmanagerSinkConnector", alertmanager);
      c.put("topics", topics.alerts.name());
      out.put("alertmanager", withGroup("alertmanager", c));
    }
    String search = config.getString(SEARCH_URL_CONFIG);
    if (!search.isBlank()) {
      Map<String, String> c = common(SEARCH_CONNECTOR, search);
      c.put(
          "topics",
          String.join(
              ",",
              topics.anomalies.name(),
              topics.incidents.name(),
              topics.alerts.name(),
              topics.signals.name(),
              topics.otlpLogs.name()));
      c.put("logs.topics", topics.otlpLogs.name());
      out.put("search", withGroup("search", c));
    }
    return out;
  }

  /**
   * Names the connector's consumer group {@code <topic.prefix>vigil-sinks-<connector>}, not
   * Connect's {@code connect-<connector>}: two environments (topic prefixes) on one cluster then
   * keep separate offsets, and one prefixed group ACL covers every app (runtime/README.md, ACLs).
   */
  private Map<String, String> withGroup(String connector, Map<String, String> c) {
    c.put("consumer.override.group.id", config.topicPrefix() + "vigil-sinks-" + connector);
    return c;
  }

  private Map<String, String> common(String connectorClass, String url) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", connectorClass);
    c.put("tasks.max", "1");
    c.put("connection.url", url.trim());
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", topics.dlq(NAME).name());
    c.put(
        "errors.deadletterqueue.topic.replication.factor",
        String.valueOf(config.topicReplicationFactor()));
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    return c;
  }

  private boolean allRunning() {
    EmbeddedConnect running = connect.get();
    if (running == null) {
      return connectors.isEmpty();
    }
    for (String name : connectors.keySet()) {
      ConnectorStateInfo status = running.status(name);
      if (!"RUNNING".equals(status.connector().state())
          || status.tasks().stream().anyMatch(t -> !"RUNNING".equals(t.state()))) {
        return false;
      }
    }
    return true;
  }

  private String state() {
    EmbeddedConnect running = connect.get();
    if (running == null) {
      return connectors.isEmpty() ? "NO TARGETS" : "STOPPED";
    }
    StringBuilder out = new StringBuilder();
    for (String name : connectors.keySet()) {
      ConnectorStateInfo status = running.status(name);
      out.append(out.length() == 0 ? "" : " ")
          .append(name)
          .append('=')
          .append(status.connector().state());
      status.tasks().forEach(t -> out.append('/').append(t.state()));
    }
    return out.toString();
  }
}
