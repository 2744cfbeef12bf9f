package dev.vigil.deploy.cli;

import dev.vigil.anomaly.AnomalyApp;
import dev.vigil.bridge.BridgeApp;
import dev.vigil.deploy.sinks.SinksApp;
import dev.vigil.enrichment.EnrichmentApp;
import dev.vigil.forecast.ForecastApp;
import dev.vigil.rca.RcaApp;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.config.CoreConfig;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Every app this build contains, in pipeline order. Each app module adds its definition here when
 * it lands; {@code vigil up} runs them all.
 */
public final class VigilApps {
  private VigilApps() {}

  public static List<AppDefinition> all() {
    return List.of(
        new BridgeApp.Definition(),
        new EnrichmentApp.Definition(),
        new AnomalyApp.Definition(),
        new ForecastApp.Definition(),
        new RcaApp.Definition(),
        new SinksApp.Definition());
  }

  /** The shared settings plus every app's own: what every command validates settings against. */
  public static ConfigDef definition() {
    ConfigDef definition = CoreConfig.definition();
    all().forEach(app -> app.define(definition));
    return definition;
  }
}
