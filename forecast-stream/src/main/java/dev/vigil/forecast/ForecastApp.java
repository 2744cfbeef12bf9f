package dev.vigil.forecast;

import dev.vigil.forecast.internal.ForecastMetrics;
import dev.vigil.forecast.sagemaker.SageMakerClients;
import dev.vigil.forecast.sagemaker.SageMakerForecaster;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.HealthCheck;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.ConfigDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast stream: {@code vigil.signals.1m} in, forecasts out on {@code vigil.forecasts}.
 * Lifecycle only; the work is in {@link ForecastTopology}.
 */
public final class ForecastApp implements VigilService {
  /** App name: {@value}. */
  public static final String NAME = "forecast";

  private static final Logger LOGGER = LoggerFactory.getLogger(ForecastApp.class);

  private final StreamsApp streams;
  private final SageMakerForecaster sageMaker;

  /** Prepares the app; {@link #start()} connects. */
  public ForecastApp(ForecastConfig config, TopicCatalog topics, MeterRegistry registry) {
    this(config.core(), config.settings(), topics, registry, null);
  }

  /**
   * Prepares the app with a given SageMaker caller (tests point it at a local server).
   *
   * @param sageMaker null to build one from the settings when they name an endpoint
   */
  public ForecastApp(
      CoreConfig core,
      ForecastSettings settings,
      TopicCatalog topics,
      MeterRegistry registry,
      SageMakerForecaster sageMaker) {
    LOGGER.info("Forecast stream settings: {}", settings);
    ForecastMetrics metrics = new ForecastMetrics(registry);
    if (sageMaker == null && settings.sageMaker() != null) {
      sageMaker =
          new SageMakerForecaster(
              settings.sageMaker(), SageMakerClients.create(settings.sageMaker()), metrics::call);
    }
    this.sageMaker = sageMaker;
    if (sageMaker != null) {
      SageMakerForecaster caller = sageMaker;
      Gauge.builder("vigil.forecast.sagemaker.in.flight", caller, SageMakerForecaster::inFlight)
          .description("SageMaker batches submitted and not yet completed")
          .register(registry);
      Gauge.builder(
              "vigil.forecast.sagemaker.breaker.open",
              caller,
              c -> c.breakerState().name().equals("CLOSED") ? 0 : 1)
          .description("1 while the SageMaker breaker is open or half-open")
          .register(registry);
    }
    this.streams =
        new StreamsApp(
            NAME,
            core,
            ForecastTopology.build(settings, topics, metrics, sageMaker),
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
    return streams + (sageMaker == null ? "" : ", SageMaker endpoint " + sageMaker.endpoint());
  }

  @Override
  public void close() {
    streams.close();
    if (sageMaker != null) {
      sageMaker.close();
    }
  }

  /** How the {@code vigil} command runs the forecast stream. */
  public static final class Definition implements AppDefinition {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void define(ConfigDef definition) {
      ForecastConfig.define(definition);
    }

    @Override
    public ForecastApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry) {
      return new ForecastApp(new ForecastConfig(config), topics, registry);
    }
  }
}
