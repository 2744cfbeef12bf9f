package dev.vigil.deploy.cli;

import dev.vigil.runtime.streams.AppDefinition;
import java.util.List;

/**
 * Every stream app this build contains, in pipeline order. Each stream module adds its definition
 * here when it lands (enrichment, anomaly, forecast, rca); until then {@code vigil up} runs the
 * broker, topics and management endpoint only.
 */
final class VigilApps {
  private VigilApps() {}

  static List<AppDefinition> all() {
    return List.of();
  }
}
