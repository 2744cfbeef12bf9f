package dev.vigil.sinks.alertmanager;

import dev.vigil.sinks.common.VigilSinkConnector;

/**
 * Posts {@code vigil.alerts} to Alertmanager, keeping firing alerts alive and posting resolutions.
 * See sinks/README.md.
 */
public final class AlertmanagerSinkConnector extends VigilSinkConnector {
  /** The connector Connect instantiates. */
  public AlertmanagerSinkConnector() {
    super(
        "Alertmanager sink",
        AlertmanagerSinkConfig.CONFIG_DEF,
        AlertmanagerSinkTask.class,
        AlertmanagerSinkConfig::new);
  }
}
