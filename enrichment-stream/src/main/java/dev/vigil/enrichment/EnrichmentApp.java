package dev.vigil.enrichment;

import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.streams.AppDefinition;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

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
        config,
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

    /**
     * Builds the app from the shared settings; the enrichment keys take their defaults unless
     * {@code config} already is an {@link EnrichmentConfig}.
     */
    @Override
    public StreamsApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      EnrichmentConfig enrichmentConfig =
          config instanceof EnrichmentConfig own ? own : new EnrichmentConfig(sourcesOf(config));
      return EnrichmentApp.create(enrichmentConfig, topics, registry);
    }

    private static ConfigSources sourcesOf(CoreConfig config) {
      Map<String, String> values = new HashMap<>();
      config.originalsStrings().forEach(values::put);
      return new ConfigSources().cli(values);
    }
  }
}
