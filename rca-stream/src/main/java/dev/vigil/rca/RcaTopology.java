package dev.vigil.rca;

import dev.vigil.rca.internal.EventTimeExtractor;
import dev.vigil.rca.internal.PredictiveAlertProcessor;
import dev.vigil.rca.internal.RcaMetrics;
import dev.vigil.rca.internal.RcaProcessor;
import dev.vigil.rca.internal.RcaSettings;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The rca-stream topology (pure: settings in, topology out).
 *
 * <pre>
 * vigil.anomalies ─────────────────────────────┐
 * vigil.edges.1m ──▶ repartition rca-edges (1 partition) ──┼──▶ rca-engine ──▶ vigil.incidents
 * vigil.changes ───────────────────────────────┘   (state: rca-state)  └──▶ vigil.alerts
 * vigil.catalog.services ──▶ GlobalKTable rca-catalog (read by rca-engine and rca-predictive)
 * vigil.forecasts ──▶ rca-predictive (state: rca-predictive-state) ──▶ vigil.alerts
 * </pre>
 *
 * <p>Root-cause analysis needs the whole graph of an environment in one place: anomalies and
 * changes have one partition, and the edges are repartitioned onto one, so the engine runs as one
 * task. After anomaly detection the volume is small enough for that. Time is event time read from
 * the records ({@link EventTimeExtractor}).
 */
public final class RcaTopology {
  /** Name of the edges' repartition: {@value}. */
  public static final String EDGES_REPARTITION = "rca-edges";

  private static final EventTimeExtractor EVENT_TIME = new EventTimeExtractor();

  private RcaTopology() {}

  /** Builds the topology. */
  public static Topology build(RcaSettings settings, TopicCatalog topics, RcaMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.globalTable(
        topics.catalog.name(),
        topics.catalog.consumed().withName("rca-catalog-source"),
        Materialized.<String, ServiceInfo, KeyValueStore<Bytes, byte[]>>as(
                RcaProcessor.CATALOG_STORE)
            .withKeySerde(topics.catalog.keySerde())
            .withValueSerde(topics.catalog.valueSerde()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RcaProcessor.STATE_STORE),
            Serdes.String(),
            Serdes.ByteArray()));

    KStream<Object, Object> anomalies =
        builder.stream(
                topics.anomalies.name(),
                topics
                    .anomalies
                    .consumed()
                    .withName("rca-anomalies-source")
                    .withTimestampExtractor(EVENT_TIME))
            .map((k, v) -> KeyValue.<Object, Object>pair(k, v), Named.as("rca-anomalies-in"));
    KStream<Object, Object> edges =
        builder.stream(
                topics.edges.name(),
                topics
                    .edges
                    .consumed()
                    .withName("rca-edges-source")
                    .withTimestampExtractor(EVENT_TIME))
            .repartition(
                Repartitioned.with(topics.edges.keySerde(), topics.edges.valueSerde())
                    .withName(EDGES_REPARTITION)
                    .withNumberOfPartitions(1))
            .map((k, v) -> KeyValue.<Object, Object>pair(k, v), Named.as("rca-edges-in"));
    KStream<Object, Object> changes =
        builder.stream(
                topics.changes.name(),
                topics
                    .changes
                    .consumed()
                    .withName("rca-changes-source")
                    .withTimestampExtractor(EVENT_TIME))
            .map((k, v) -> KeyValue.<Object, Object>pair(k, v), Named.as("rca-changes-in"));

    KStream<String, SpecificRecord> out =
        anomalies
            .merge(edges, Named.as("rca-merge-edges"))
            .merge(changes, Named.as("rca-merge-changes"))
            .process(
                () -> new RcaProcessor(settings, metrics),
                Named.as("rca-engine"),
                RcaProcessor.STATE_STORE);
    out.split(Named.as("rca-out-"))
        .branch(
            (k, v) -> v instanceof Incident,
            Branched.withConsumer(
                s ->
                    s.mapValues(v -> (Incident) v, Named.as("rca-as-incident"))
                        .to(
                            topics.incidents.name(),
                            topics.incidents.produced().withName("rca-incidents-sink")),
                "incidents"))
        .branch(
            (k, v) -> v instanceof Alert,
            Branched.withConsumer(
                s ->
                    s.mapValues(v -> (Alert) v, Named.as("rca-as-alert"))
                        .to(
                            topics.alerts.name(),
                            topics.alerts.produced().withName("rca-alerts-sink")),
                "alerts"))
        .noDefaultBranch();

    // Predictive alerts: a sub-topology of its own, one task per forecast partition, into the same
    // alert topic and lifecycle as the incident alerts.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PredictiveAlertProcessor.STORE),
            Serdes.String(),
            Serdes.ByteArray()));
    builder.stream(
            topics.forecasts.name(), topics.forecasts.consumed().withName("rca-forecasts-source"))
        .process(
            () -> new PredictiveAlertProcessor(metrics),
            Named.as("rca-predictive"),
            PredictiveAlertProcessor.STORE)
        .to(topics.alerts.name(), topics.alerts.produced().withName("rca-predictive-alerts-sink"));
    return builder.build();
  }
}
