package dev.vigil.deploy.dashboards;

import dev.vigil.deploy.dashboards.Dashboard.Target;
import java.util.List;

/**
 * Vigil's three dashboards. Metric names come from what the apps export on {@code /metrics}
 * (Micrometer: {@code vigil_*}, Kafka clients and Streams via KafkaClientMetrics and
 * KafkaStreamsMetrics) and from the series the Prometheus sink writes (sinks/README.md, "Naming":
 * {@code <signal>:<statistic>}); OpenSearch indices are named after their topics. Tests check both
 * against a real scrape and the topic catalog.
 */
public final class VigilDashboards {
  /** Prometheus that scrapes the pods' management endpoints (annotations prometheus.io/*). */
  public static final String PODS_DATASOURCE = "vigil-prometheus";

  /** Prometheus (or VictoriaMetrics, Mimir) that receives the sink's remote writes. */
  public static final String SIGNALS_DATASOURCE = "vigil-signals";

  /** OpenSearch or Elasticsearch the search sink writes to. */
  public static final String SEARCH_DATASOURCE = "vigil-search";

  private VigilDashboards() {}

  /** Every dashboard, in the order of the files. */
  static List<Dashboard> all() {
    return List.of(pipelineHealth(), serviceHealth(), anomaliesAndIncidents());
  }

  /**
   * The query of every panel and variable, over all dashboards, that reads {@code datasourceUid}.
   */
  public static List<String> queries(String datasourceUid) {
    return all().stream()
        .flatMap(d -> d.queries().stream())
        .filter(q -> q.datasourceUid().equals(datasourceUid))
        .map(Dashboard.Query::expression)
        .toList();
  }

  static Dashboard pipelineHealth() {
    String p = PODS_DATASOURCE;
    return new Dashboard(
            "vigil-pipeline",
            "Vigil / pipeline health",
            "Is Vigil keeping up: ingest, consumer lag, processing, dead letters and every drop.")
        .promPanel(
            p,
            "Ingest: items received and accepted by Kafka, per signal",
            "ops",
            new Target(
                "sum by (signal) (rate(vigil_bridge_items_received_total[5m]))",
                "{{signal}} received"),
            new Target(
                "sum by (signal) (rate(vigil_bridge_items_accepted_total[5m]))",
                "{{signal}} accepted"))
        .promPanel(
            p,
            "Ingest: items and whole requests refused, per reason",
            "ops",
            new Target(
                "sum by (signal, reason) (rate(vigil_bridge_items_rejected_total[5m]))",
                "{{signal}} items {{reason}}"),
            new Target(
                "sum by (protocol, reason) (rate(vigil_bridge_requests_rejected_total[5m]))",
                "{{protocol}} requests {{reason}}"))
        .promPanel(
            p,
            "Consumer lag (records, worst partition per consumer)",
            "short",
            new Target(
                "max by (client_id) (kafka_consumer_fetch_manager_records_lag_max{client_id=~\".*StreamThread.*\"})",
                "{{client_id}}"))
        .promPanel(
            p,
            "Records processed per stream thread",
            "ops",
            new Target("sum by (thread_id) (kafka_stream_thread_process_rate)", "{{thread_id}}"))
        .promPanel(
            p,
            "Dead letters, per app and stage",
            "ops",
            new Target(
                "sum by (app, stage) (rate(vigil_dlq_records_total[5m]))", "{{app}} {{stage}}"))
        .promPanel(
            p,
            "Drops: late, invalid, overflow, unpaired spans",
            "ops",
            new Target("sum(rate(vigil_enrichment_late_total[5m]))", "late"),
            new Target("sum(rate(vigil_enrichment_invalid_total[5m]))", "invalid"),
            new Target("sum(rate(vigil_enrichment_overflow_total[5m]))", "overflow"),
            new Target(
                "sum(rate(vigil_enrichment_spans_pending_refused_total[5m]))",
                "pending spans refused"),
            new Target(
                "sum(rate(vigil_anomaly_windows_total{outcome=\"late\"}[5m]))",
                "anomaly windows late"))
        .promPanel(
            p,
            "Stream threads alive and failed",
            "short",
            new Target("sum(kafka_stream_alive_stream_threads)", "alive"),
            new Target(
                "sum(increase(kafka_stream_failed_stream_threads_total[15m]))", "failed (15 min)"))
        .promPanel(
            p, "Incidents open", "short", new Target("max(vigil_rca_incidents_open)", "open"));
  }

  static Dashboard serviceHealth() {
    String s = SIGNALS_DATASOURCE;
    return new Dashboard(
            "vigil-services",
            "Vigil / service health",
            "Golden signals per service from Vigil's 1-minute windows (Prometheus remote write).")
        .labelVariable(s, "service", "span_calls:rate1m", "service")
        .promPanel(
            s,
            "Requests per second",
            "reqps",
            new Target(
                "sum by (service) (span_calls:rate1m{service=~\"$service\"})", "{{service}}"))
        .promPanel(
            s,
            "Error ratio",
            "percentunit",
            new Target(
                "sum by (service) (span_errors:sum1m{service=~\"$service\"})"
                    + " / sum by (service) (span_calls:sum1m{service=~\"$service\"})",
                "{{service}}"))
        .promPanel(
            s,
            "Latency p99 (worst operation)",
            "ms",
            new Target(
                "max by (service) (span_duration_milliseconds:quantile1m{service=~\"$service\","
                    + "quantile=\"0.99\"})",
                "{{service}}"))
        .promPanel(
            s,
            "Error logs per minute",
            "short",
            new Target("sum by (service) (log_errors:sum1m{service=~\"$service\"})", "{{service}}"))
        .promPanel(
            s,
            "Request rate forecast, 15 minutes ahead (mean and upper bound)",
            "reqps",
            new Target(
                "sum by (service) (span_calls:forecast_mean{service=~\"$service\","
                    + "horizon=\"15m\"})",
                "{{service}} mean"),
            new Target(
                "sum by (service) (span_calls:forecast_hi{service=~\"$service\","
                    + "horizon=\"15m\"})",
                "{{service}} upper"));
  }

  static Dashboard anomaliesAndIncidents() {
    String o = SEARCH_DATASOURCE;
    return new Dashboard(
            "vigil-incidents",
            "Vigil / anomalies and incidents",
            "Anomalies and incidents as the search sink indexes them (one index per topic).")
        .searchPanel(o, "Anomalies per severity", "vigil.anomalies", "*", "severity", false)
        .searchPanel(o, "Anomalies per service", "vigil.anomalies", "*", "service", false)
        .searchPanel(o, "Open incidents", "vigil.incidents", "state:OPEN", "severity", true)
        .searchPanel(o, "Latest anomalies", "vigil.anomalies", "*", "service", true)
        .searchPanel(o, "Incidents per severity", "vigil.incidents", "*", "severity", false);
  }
}
