package dev.vigil.rca.internal;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.ServiceInfo;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link RcaEngine} inside Kafka Streams: anomalies, edge windows and changes of one
 * environment come in on one task; at every multiple of the evaluation interval in event time it
 * publishes incident versions and alerts. The engine's state is written through to {@value
 * #STATE_STORE} (changelogged, so exactly-once restores it) and read back at start.
 *
 * <p>The evaluation at time T runs when the first record later than T arrives, before that record
 * is folded in: every anomaly and edge window of T (they all carry their window's end) is in by
 * then, whatever order the task received them in. A stream-time punctuator would fire at the first
 * record of T and judge a window half folded in, so the same data could give different versions.
 */
public final class RcaProcessor implements Processor<Object, Object, String, SpecificRecord> {
  /** The engine's state store: {@value}. */
  public static final String STATE_STORE = "rca-state";

  /** The catalog's global store: {@value}. */
  public static final String CATALOG_STORE = "rca-catalog";

  private static final Logger LOGGER = LoggerFactory.getLogger(RcaProcessor.class);

  private final RcaSettings settings;
  private final RcaMetrics metrics;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> state;
  private KeyValueStore<String, Object> catalog;
  private RcaEngine engine;
  private long evaluatedAt = Long.MIN_VALUE;

  /** A processor; Streams calls {@link #init} before use. */
  public RcaProcessor(RcaSettings settings, RcaMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.state = context.getStateStore(STATE_STORE);
    this.catalog = context.getStateStore(CATALOG_STORE);
    this.engine = new RcaEngine(settings, this::lookUp, metrics);
    int restored = 0;
    try (KeyValueIterator<String, byte[]> all = state.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        engine.restore(entry.key, entry.value);
        restored++;
      }
    }
    LOGGER.info(
        "RCA engine started from {} stored entries: {} open incidents, {} edges",
        restored,
        engine.openIncidents().size(),
        engine.graph().edgeCount());
  }

  @Override
  public void process(Record<Object, Object> record) {
    long interval = settings.evaluateInterval().toMillis();
    long due = Math.floorDiv(record.timestamp() - 1, interval) * interval;
    if (due > evaluatedAt) {
      // After a restart this evaluates once more what was evaluated before: only what changed since
      // the last published version (digests are stored) is published, so nothing repeats.
      evaluate(due);
      evaluatedAt = due;
    }
    Object value = record.value();
    if (value instanceof AnomalyEvent anomaly) {
      engine.onAnomaly(anomaly);
    } else if (value instanceof EdgeWindow window && record.key() instanceof EdgeKey edge) {
      engine.onEdge(edge, window);
    } else if (value instanceof ChangeEvent change) {
      engine.onChange(change);
    } else {
      // A null value (tombstone) or a type this processor was never wired to read.
      throw new IllegalArgumentException(
          "unexpected record "
              + (value == null ? "with null value" : value.getClass().getSimpleName()));
    }
    engine.flush(this::write);
  }

  private void evaluate(long streamTime) {
    for (RcaEngine.Published published : engine.evaluate(streamTime)) {
      Incident incident = published.incident();
      // Incident versions are rare (a few per incident): worth a line each for operators.
      LOGGER.info(
          "Incident {} v{} {} {}: root cause {}, {} services, {} anomalies",
          incident.getId(),
          incident.getVersion(),
          incident.getState(),
          incident.getSeverity(),
          incident.getRootCauses().isEmpty() ? "-" : incident.getRootCauses().get(0).getService(),
          incident.getServices().size(),
          incident.getAnomalies());
      context.forward(new Record<>(published.incident().getId(), published.incident(), streamTime));
      context.forward(
          new Record<>(published.alert().getFingerprint(), published.alert(), streamTime));
    }
    engine.flush(this::write);
  }

  private void write(String key, byte[] value) {
    if (value == null) {
      state.delete(key);
    } else {
      state.put(key, value);
    }
  }

  private ServiceInfo lookUp(String service) {
    Object value = catalog.get(service);
    if (value instanceof ValueAndTimestamp<?> stamped) {
      value = stamped.value();
    }
    return value instanceof ServiceInfo info ? info : null;
  }
}
