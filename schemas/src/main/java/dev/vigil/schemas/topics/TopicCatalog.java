package dev.vigil.schemas.topics;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one typed, immutable catalog of every topic Vigil reads or writes, for one environment.
 *
 * <p>Every app takes its topics from here and provisioning creates them from here, so a name, a
 * serde or a retention is defined once. All names carry the environment prefix (e.g. {@code
 * staging.}). High-volume topics get the configured partition count; the control-plane topics
 * (catalog, changes, anomalies, incidents, alerts) get one partition, because root-cause analysis
 * needs the whole graph of an environment in one place and their volume is tiny.
 */
public final class TopicCatalog {
  /** Default partition count of high-volume topics: {@value}. */
  public static final int DEFAULT_PARTITIONS = 6;

  /** The Collector's Kafka exporter defaults: metrics, spans, logs. */
  private static final List<String> DEFAULT_OTLP_TOPICS =
      List.of("otlp_metrics", "otlp_spans", "otlp_logs");

  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]*");
  private static final Duration RAW_RETENTION = Duration.ofHours(6);
  private static final Duration WINDOW_RETENTION = Duration.ofDays(7);
  private static final Duration EVENT_RETENTION = Duration.ofDays(30);
  private static final Duration DLQ_RETENTION = Duration.ofDays(14);

  private final String prefix;
  private final int partitions;
  private final short replicationFactor;

  public final TopicSpec<String, byte[]> otlpMetrics;
  public final TopicSpec<String, byte[]> otlpSpans;
  public final TopicSpec<String, byte[]> otlpLogs;
  public final TopicSpec<String, ServiceInfo> catalog;
  public final TopicSpec<String, ChangeEvent> changes;
  public final TopicSpec<SeriesKey, SignalWindow> signals;
  public final TopicSpec<EdgeKey, EdgeWindow> edges;
  public final TopicSpec<String, AnomalyEvent> anomalies;
  public final TopicSpec<SeriesKey, Forecast> forecasts;
  public final TopicSpec<String, Incident> incidents;
  public final TopicSpec<String, Alert> alerts;

  private TopicCatalog(
      String prefix, int partitions, short replicationFactor, List<String> otlpNames) {
    this.prefix = prefix;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    Serde<String> str = Serdes.String();
    Serde<byte[]> bytes = Serdes.ByteArray();
    otlpMetrics = data(otlpNames.get(0), RAW_RETENTION, str, bytes);
    otlpSpans = data(otlpNames.get(1), RAW_RETENTION, str, bytes);
    otlpLogs = data(otlpNames.get(2), RAW_RETENTION, str, bytes);
    catalog = control("vigil.catalog.services", null, str, VigilSerdes.SERVICE_INFO);
    changes = control("vigil.changes", EVENT_RETENTION, str, VigilSerdes.CHANGE_EVENT);
    signals =
        data(
            "vigil.signals.1m",
            WINDOW_RETENTION,
            VigilSerdes.SERIES_KEY,
            VigilSerdes.SIGNAL_WINDOW);
    edges = data("vigil.edges.1m", WINDOW_RETENTION, VigilSerdes.EDGE_KEY, VigilSerdes.EDGE_WINDOW);
    anomalies = control("vigil.anomalies", EVENT_RETENTION, str, VigilSerdes.ANOMALY_EVENT);
    forecasts =
        data("vigil.forecasts", WINDOW_RETENTION, VigilSerdes.SERIES_KEY, VigilSerdes.FORECAST);
    incidents = control("vigil.incidents", null, str, VigilSerdes.INCIDENT);
    alerts = control("vigil.alerts", null, str, VigilSerdes.ALERT);
  }

  /**
   * Creates the catalog of one environment.
   *
   * @param prefix environment prefix of every name, e.g. {@code "prod."}; empty for none
   * @param partitions partitions of high-volume topics, at least 1
   * @param replicationFactor replication factor of every topic, at least 1
   * @throws IllegalArgumentException if the prefix has characters Kafka forbids in topic names
   */
  public static TopicCatalog create(String prefix, int partitions, short replicationFactor) {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be >= 1, got " + replicationFactor);
    }
    return new TopicCatalog(prefix, partitions, replicationFactor, DEFAULT_OTLP_TOPICS);
  }

  /**
   * The same catalog with other names for the raw OTLP topics, e.g. those an existing Collector
   * already writes to (the prefix still applies).
   *
   * @throws IllegalArgumentException if a name is empty or has characters Kafka forbids
   */
  public TopicCatalog withOtlpTopics(String metrics, String spans, String logs) {
    List<String> names = List.of(metrics, spans, logs);
    for (String name : names) {
      if (name.isEmpty() || !LEGAL_PREFIX.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "OTLP topic name '" + name + "' must be non-empty letters, digits, '.', '_' and '-'");
      }
    }
    return new TopicCatalog(prefix, partitions, replicationFactor, names);
  }

  /** The catalog with no prefix, {@value #DEFAULT_PARTITIONS} partitions, replication 1. */
  public static TopicCatalog defaults() {
    return create("", DEFAULT_PARTITIONS, (short) 1);
  }

  /** The environment prefix. */
  public String prefix() {
    return prefix;
  }

  /** Every topic of the data flow, in pipeline order (DLQs excluded: see {@link #dlq}). */
  public List<TopicSpec<?, ?>> all() {
    return List.of(
        otlpMetrics,
        otlpSpans,
        otlpLogs,
        catalog,
        changes,
        signals,
        edges,
        anomalies,
        forecasts,
        incidents,
        alerts);
  }

  /** The dead-letter topic of one app, {@code vigil.dlq.<app>}: original key and value bytes. */
  public TopicSpec<byte[], byte[]> dlq(String app) {
    Objects.requireNonNull(app, "app");
    return new TopicSpec<>(
        prefix + "vigil.dlq." + app,
        1,
        replicationFactor,
        CleanupPolicy.DELETE,
        Optional.of(DLQ_RETENTION),
        Serdes.ByteArray(),
        Serdes.ByteArray());
  }

  /** Finds a catalog topic (or a DLQ) by its full name. */
  public Optional<TopicSpec<?, ?>> find(String name) {
    for (TopicSpec<?, ?> spec : all()) {
      if (spec.name().equals(name)) {
        return Optional.of(spec);
      }
    }
    String dlqPrefix = prefix + "vigil.dlq.";
    if (name.startsWith(dlqPrefix) && name.length() > dlqPrefix.length()) {
      return Optional.of(dlq(name.substring(dlqPrefix.length())));
    }
    return Optional.empty();
  }

  private <K, V> TopicSpec<K, V> data(String name, Duration retention, Serde<K> k, Serde<V> v) {
    return new TopicSpec<>(
        prefix + name,
        partitions,
        replicationFactor,
        CleanupPolicy.DELETE,
        Optional.of(retention),
        k,
        v);
  }

  private <K, V> TopicSpec<K, V> control(
      String name, Duration retentionOrNullForCompacted, Serde<K> k, Serde<V> v) {
    Optional<Duration> retention = Optional.ofNullable(retentionOrNullForCompacted);
    CleanupPolicy policy = retention.isPresent() ? CleanupPolicy.DELETE : CleanupPolicy.COMPACT;
    return new TopicSpec<>(prefix + name, 1, replicationFactor, policy, retention, k, v);
  }
}
