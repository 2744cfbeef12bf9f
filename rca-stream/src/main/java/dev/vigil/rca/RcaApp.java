package dev.vigil.rca;

import dev.vigil.rca.internal.RcaMetrics;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The rca-stream app: {@link RcaTopology} run by the shared {@link StreamsApp} (exactly-once v2,
 * DLQ {@code vigil.dlq.rca}, metrics, health).
 */
public final class RcaApp {
  /** App name: {@value}. */
  public static final String NAME = "rca";

  private RcaApp() {}

  /** Builds the app (not started). */
  public static StreamsApp create(RcaConfig config, TopicCatalog topics, MeterRegistry registry) {
    return new StreamsApp(
        NAME,
        config.core(),
        RcaTopology.build(config.settings(), topics, new RcaMetrics(registry)),
        topics.dlq(NAME).name(),
        registry);
  }

  /** How the {@code vigil} command runs the app. */
  public static final class Definition implements AppDefinition {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void define(ConfigDef definition) {
      RcaConfig.define(definition);
    }

    @Override
    public StreamsApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      return RcaApp.create(new RcaConfig(config), topics, registry);
    }
  }
}
