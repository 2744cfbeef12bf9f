package dev.vigil.sinks.search;

import dev.vigil.sinks.common.VigilSinkConnector;

/**
 * Indexes Vigil's topics (anomalies, incidents, alerts, signals...) and raw OTLP logs into
 * Elasticsearch 7.10+/8/9 or OpenSearch 1/2/3 over the {@code _bulk} API. See the module README for
 * the configuration and what each index holds.
 */
public final class SearchSinkConnector extends VigilSinkConnector {
  /** The connector Connect instantiates. */
  public SearchSinkConnector() {
    super("search sink", SearchSinkConfig.CONFIG_DEF, SearchSinkTask.class, SearchSinkConfig::new);
  }
}
