package dev.vigil.forecast;

import dev.vigil.forecast.internal.ForecastMetrics;
import dev.vigil.forecast.internal.ForecastProcessor;
import dev.vigil.forecast.sagemaker.SageMakerForecaster;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The forecast stream's topology: pure, settings in, {@link Topology} out.
 *
 * <pre>
 * vigil.signals.1m ─▶ forecast-series ─▶ vigil.forecasts
 *                     stores forecast-series-state, and with SageMaker forecast-context and
 *                     forecast-pending
 * </pre>
 *
 * <p>No repartition: {@code vigil.signals.1m} is partitioned by service and forecasts keep its key.
 * Stores are changelogged RocksDB stores without caching, so every update reaches the changelog in
 * the transaction that consumed its input.
 */
public final class ForecastTopology {
  /** Source node name. */
  public static final String SOURCE = "forecast-signals-source";

  /** Processor node name. */
  public static final String SERIES = "forecast-series";

  /** Sink node name. */
  public static final String SINK = "forecasts-sink";

  private ForecastTopology() {}

  /**
   * Builds the topology.
   *
   * @param sageMaker the shared SageMaker caller, null for the embedded model only
   */
  public static Topology build(
      ForecastSettings settings,
      TopicCatalog topics,
      ForecastMetrics metrics,
      SageMakerForecaster sageMaker) {
    Topology topology = new Topology();
    topology.addSource(
        SOURCE,
        VigilSerdes.SERIES_KEY.deserializer(),
        VigilSerdes.SIGNAL_WINDOW.deserializer(),
        topics.signals.name());
    topology.addProcessor(
        SERIES, () -> new ForecastProcessor(settings, metrics, sageMaker), SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ForecastProcessor.STATE_STORE),
                VigilSerdes.SERIES_KEY,
                Serdes.ByteArray())
            .withCachingDisabled(),
        SERIES);
    if (sageMaker != null) {
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(ForecastProcessor.CONTEXT_STORE),
                  VigilSerdes.SERIES_KEY,
                  Serdes.ByteArray())
              .withCachingDisabled(),
          SERIES);
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(ForecastProcessor.PENDING_STORE),
                  VigilSerdes.SERIES_KEY,
                  VigilSerdes.FORECAST)
              .withCachingDisabled(),
          SERIES);
    }
    topology.addSink(
        SINK,
        topics.forecasts.name(),
        VigilSerdes.SERIES_KEY.serializer(),
        VigilSerdes.FORECAST.serializer(),
        SERIES);
    return topology;
  }
}
