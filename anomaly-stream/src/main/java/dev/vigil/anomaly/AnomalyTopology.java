package dev.vigil.anomaly;

import dev.vigil.anomaly.internal.AnomalyMetrics;
import dev.vigil.anomaly.internal.HealthProcessor;
import dev.vigil.anomaly.internal.SeriesProcessor;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The anomaly stream's topology: pure, settings in, {@link Topology} out.
 *
 * <pre>
 * vigil.signals.1m ─▶ anomaly-series (store anomaly-series-state) ─┬──────────────────▶ vigil.anomalies
 *                                                                  └▶ anomaly-service-health ─┘
 *                                                                     (store anomaly-health-state)
 * </pre>
 *
 * <p>No repartition: {@code vigil.signals.1m} is partitioned by service, so every series of a
 * service, and its health, live on one task. Both stores are changelogged RocksDB stores without
 * caching, so every update reaches the changelog in the transaction that consumed its input.
 */
public final class AnomalyTopology {
  /** Source node name. */
  public static final String SOURCE = "signals-source";

  /** Series detector node name. */
  public static final String SERIES = "anomaly-series";

  private AnomalyTopology() {}

  /** Builds the topology. */
  public static Topology build(
      AnomalySettings settings, TopicCatalog topics, AnomalyMetrics metrics) {
    Topology topology = new Topology();
    topology.addSource(
        SOURCE,
        VigilSerdes.SERIES_KEY.deserializer(),
        VigilSerdes.SIGNAL_WINDOW.deserializer(),
        topics.signals.name());
    topology.addProcessor(SERIES, () -> new SeriesProcessor(settings, metrics), SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SeriesProcessor.STORE),
                VigilSerdes.SERIES_KEY,
                Serdes.ByteArray())
            .withCachingDisabled(),
        SERIES);
    String[] parents = {SERIES};
    if (settings.serviceHealth()) {
      topology.addProcessor(
          SeriesProcessor.HEALTH_CHILD, () -> new HealthProcessor(settings, metrics), SERIES);
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(HealthProcessor.STORE),
                  Serdes.String(),
                  Serdes.ByteArray())
              .withCachingDisabled(),
          SeriesProcessor.HEALTH_CHILD);
      parents = new String[] {SERIES, SeriesProcessor.HEALTH_CHILD};
    }
    topology.addSink(
        SeriesProcessor.EVENTS_CHILD,
        topics.anomalies.name(),
        new StringSerializer(),
        VigilSerdes.ANOMALY_EVENT.serializer(),
        parents);
    return topology;
  }
}
