package dev.vigil.deploy.dashboards;

import java.util.List;

/**
 * Vigil's three dashboards. Metric names come from what the apps export on {@code /metrics}
 * (Micrometer: {@code vigil_*}, Kafka clients and Streams via KafkaClientMetrics and
 * KafkaStreamsMetrics) and from the series the Prometheus sink writes (sinks/README.md, "Naming":
 * {@code <signal>:<statistic>}); OpenSearch indices are named after their topics. Tests check
 * both against a real scrape and the topic catalog.
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
            "{{signal}} {{__name__}}",
            "sum by (signal) (rate(vigil_bridge_items_received_total[5m]))",
            "sum by (signal) (rate(vigil_bridge_items_accepted_total[5m]))")
        .promPanel(
            p,
            "Ingest: items refused, per reason",
            "ops",
            "{{signal}} {{reason}}",
            "sum by (signal, reason) (rate(vigil_bridge_items_rejected_total[5m]))")
        .promPanel(
            p,
            "Consumer lag (records, worst partition per consumer)",
            "short",
            "{{client_id}}",
            "max by (client_id) (kafka_consumer_fetch_manager_records_lag_max{client_id=~\".*StreamThread.*\"})")
        .promPanel(
            p,
            "Records processed per stream thread",
            "ops",
            "{{thread_id}}",
            "sum by (thread_id) (kafka_stream_thread_process_rate)")
        .promPanel(
            p,
            "Dead letters, per app and stage",
            "ops",
            "{{app}} {{stage}}",
            "sum by (app, stage) (rate(vigil_dlq_records_total[5m]))")
        .promPanel(
            p,
            "Drops: late, invalid, overflow, unpaired spans",
            "ops",
            "{{__name__}}",
            "sum by (__name__) (rate(vigil_enrichment_late_total[5m]))",
            "sum by (__name__) (rate(vigil_enrichment_invalid_total[5m]))",
            "sum by (__name__) (rate(vigil_enrichment_overflow_total[5m]))",
            "sum by (__name__) (rate(vigil_enrichment_spans_pending_refused_total[5m]))",
            "sum by (__name__) (rate(vigil_anomaly_windows_total{outcome=\"late\"}[5m]))")
        .promPanel(
            p,
            "Stream threads alive and failed",
            "short",
            "{{__name__}}",
            "sum(kafka_stream_alive_stream_threads)",
            "sum(increase(kafka_stream_failed_stream_threads_total[15m]))")
        .promPanel(
            p,
            "Incidents open",
            "short",
            "open",
            "max(vigil_rca_incidents_open)");
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
            "{{service}}",
            "sum by (service) (span_calls:rate1m{service=~\"$service\"})")
        .promPanel(
            s,
            "Error ratio",
            "percentunit",
            "{{service}}",
            "sum by (service) (span_errors:sum1m{service=~\"$service\"})"
                + " / sum by (service) (span_calls:sum1m{service=~\"$service\"})")
        .promPanel(
            s,
            "Latency p99 (worst operation)",
            "ms",
            "{{service}}",
            "max by (service) (span_duration_milliseconds:quantile1m{service=~\"$service\","
                + "quantile=\"0.99\"})")
        .promPanel(
            s,
            "Error logs per minute",
            "short",
            "{{service}}",
            "sum by (service) (log_errors:sum1m{service=~\"$service\"})")
        .promPanel(
            s,
            "Request rate forecast, 15 minutes ahead (mean and upper bound)",
            "reqps",
            "{{service}} {{__name__}}",
            "sum by (service, __name__) (span_calls:forecast_mean{service=~\"$service\","
                + "horizon=\"15m\"})",
            "sum by (service, __name__) (span_calls:forecast_hi{service=~\"$service\","
                + "horizon=\"15m\"})");
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
        .searchPanel(
            o, "Incidents per severity", "vigil.incidents", "*", "severity", false);
  }
}
