package dev.vigil.sinks.prometheus;

import dev.vigil.sinks.common.VigilSinkConnector;

/**
 * Writes {@code vigil.signals.1m} and {@code vigil.forecasts} to a Prometheus remote-write receiver
 * (Prometheus, VictoriaMetrics, Mimir, Thanos Receive). See sinks/README.md.
 */
public final class PrometheusSinkConnector extends VigilSinkConnector {
  /** The connector Connect instantiates. */
  public PrometheusSinkConnector() {
    super(
        "Prometheus sink",
        PrometheusSinkConfig.CONFIG_DEF,
        PrometheusSinkTask.class,
        PrometheusSinkConfig::new);
  }
}
