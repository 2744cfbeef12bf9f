package dev.vigil.enrichment;

import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.ConfigDef;

/** The enrichment app: its topology run through the shared {@link StreamsApp} lifecycle. */
public final class EnrichmentApp {
  private EnrichmentApp() {}

  /**
   * Builds the app (not started).
   *
   * @param config validated settings
   * @param topics the environment's topic catalog
   * @param registry where Streams and enrichment metrics go
   */
  public static StreamsApp create(
      EnrichmentConfig config, TopicCatalog topics, MeterRegistry registry) {
    EnrichmentMetrics metrics = new EnrichmentMetrics(registry);
    return new StreamsApp(
        EnrichmentTopology.APP,
        config.core(),
        EnrichmentTopology.build(config.settings(), topics, metrics),
        topics.dlq(EnrichmentTopology.APP).name(),
        registry);
  }

  /** How the {@code vigil} command finds this app. */
  public static final class Definition implements AppDefinition {
    @Override
    public String name() {
      return EnrichmentTopology.APP;
    }

    @Override
    public void define(ConfigDef definition) {
      EnrichmentConfig.define(definition);
    }

    @Override
    public StreamsApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      return EnrichmentApp.create(new EnrichmentConfig(config), topics, registry);
    }
  }
}
