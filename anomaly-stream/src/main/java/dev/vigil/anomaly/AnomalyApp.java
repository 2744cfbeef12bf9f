package dev.vigil.anomaly;

import dev.vigil.anomaly.internal.AnomalyMetrics;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.ConfigDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anomaly stream: {@code vigil.signals.1m} in, explained anomaly episodes and service health
 * out on {@code vigil.anomalies}. Lifecycle only; the work is in {@link AnomalyTopology}.
 */
public final class AnomalyApp implements VigilService {
  /** App name: {@value}. */
  public static final String NAME = "anomaly";

  private static final Logger LOGGER = LoggerFactory.getLogger(AnomalyApp.class);

  private final StreamsApp streams;

  /** Prepares the app; {@link #start()} connects. */
  public AnomalyApp(AnomalyConfig config, TopicCatalog topics, MeterRegistry registry) {
    AnomalySettings settings = config.settings();
    LOGGER.info("Anomaly stream settings: {}", settings);
    this.streams =
        new StreamsApp(
            NAME,
            config.core(),
            AnomalyTopology.build(settings, topics, new AnomalyMetrics(registry)),
            topics.dlq(NAME).name(),
            registry);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    streams.start();
  }

  @Override
  public HealthCheck healthCheck() {
    return streams.healthCheck();
  }

  @Override
  public String toString() {
    return streams.toString();
  }

  @Override
  public void close() {
    streams.close();
  }

  /** How the {@code vigil} command runs the anomaly stream. */
  public static final class Definition implements AppDefinition {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void define(ConfigDef definition) {
      AnomalyConfig.define(definition);
    }

    @Override
    public AnomalyApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      return new AnomalyApp(new AnomalyConfig(config), topics, registry);
    }
  }
}
