package dev.vigil.rca.internal;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.ServiceInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
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
 *
 * <p>Waiting for a later record costs a whole window in live operation, so a wall-clock trigger
 * evaluates T earlier: {@code evaluateDelay} of wall-clock time after the first anomaly or edge
 * window of T (time in (T − interval, T]) arrived, the upstream stages have had that long to hand
 * over the rest of window T (the enrichment emits a window's signals and edges together). Whichever
 * comes first evaluates T, once: {@link Clock#evaluatedAt} is kept in the store, so a restart
 * neither evaluates T again nor goes back to an earlier time. Without wall-clock advance (a replay,
 * or a delay of 0) only the event-time rule runs, so the output depends on the input alone.
 */
public final class RcaProcessor implements Processor<Object, Object, String, SpecificRecord> {
  /** The engine's state store: {@value}. */
  public static final String STATE_STORE = "rca-state";

  /** The catalog's global store: {@value}. */
  public static final String CATALOG_STORE = "rca-catalog";

  /** Key of the evaluation clock in {@value #STATE_STORE}: {@value}. */
  static final String CLOCK_KEY = "clock/evaluation";

  /** How often the wall-clock trigger looks whether an evaluation is due. */
  private static final Duration TICK = Duration.ofSeconds(1);

  private static final Logger LOGGER = LoggerFactory.getLogger(RcaProcessor.class);

  private final RcaSettings settings;
  private final RcaMetrics metrics;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> state;
  private KeyValueStore<String, Object> catalog;
  private RcaEngine engine;
  private Clock clock = new Clock(Long.MIN_VALUE, Long.MIN_VALUE);

  /** Wall-clock time the first record of {@link Clock#pending} arrived at (not stored). */
  private long pendingSince;

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
        if (entry.key.equals(CLOCK_KEY)) {
          clock = Clock.read(entry.value);
        } else {
          engine.restore(entry.key, entry.value);
        }
        restored++;
      }
    }
    // A window whose records came in before the restart but was not evaluated yet: its wall-clock
    // wait starts again now (the arrival time was not stored; waiting longer is the safe side).
    pendingSince = context.currentSystemTimeMs();
    if (!settings.evaluateDelay().isZero()) {
      Duration tick =
          settings.evaluateDelay().compareTo(TICK) < 0 ? settings.evaluateDelay() : TICK;
      context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }
    LOGGER.info(
        "RCA engine started from {} stored entries: {} open incidents, {} edges, evaluated at {}",
        restored,
        engine.openIncidents().size(),
        engine.graph().edgeCount(),
        clock.evaluatedAt == Long.MIN_VALUE ? "never" : clock.evaluatedAt);
  }

  @Override
  public void process(Record<Object, Object> record) {
    long interval = settings.evaluateInterval().toMillis();
    long due = Math.floorDiv(record.timestamp() - 1, interval) * interval;
    if (due > clock.evaluatedAt) {
      evaluate(due, "event_time");
    }
    // The evaluation this record belongs to: the first multiple of the interval at or after it.
    // Only window records (anomalies, edge windows: they carry their window's end and come after
    // it closed, all of one window within seconds) start the wall-clock wait. A change is written
    // when it happens, before its window's records: waiting from it would evaluate T before them.
    long belongsTo = due + interval;
    boolean windowRecord = !(record.value() instanceof ChangeEvent);
    if (windowRecord && belongsTo > clock.evaluatedAt && belongsTo > clock.pending) {
      clock = new Clock(clock.evaluatedAt, belongsTo);
      pendingSince = context.currentSystemTimeMs();
      state.put(CLOCK_KEY, clock.write());
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

  /** Wall-clock tick: evaluates the pending time once its records have had the delay to come. */
  private void onWallClock(long now) {
    if (clock.pending > clock.evaluatedAt
        && now - pendingSince >= settings.evaluateDelay().toMillis()) {
      evaluate(clock.pending, "wall_clock");
    }
  }

  private void evaluate(long streamTime, String trigger) {
    metrics.evaluation(trigger);
    for (RcaEngine.Published published : engine.evaluate(streamTime)) {
      Incident incident = published.incident();
      // Incident versions are rare (a few per incident): worth a line each for operators.
      LOGGER.info(
          "Incident {} v{} {} {}: root cause {}, {} services, {} anomalies ({})",
          incident.getId(),
          incident.getVersion(),
          incident.getState(),
          incident.getSeverity(),
          incident.getRootCauses().isEmpty() ? "-" : incident.getRootCauses().get(0).getService(),
          incident.getServices().size(),
          incident.getAnomalies(),
          trigger);
      context.forward(new Record<>(published.incident().getId(), published.incident(), streamTime));
      context.forward(
          new Record<>(published.alert().getFingerprint(), published.alert(), streamTime));
    }
    engine.flush(this::write);
    clock = new Clock(streamTime, clock.pending);
    state.put(CLOCK_KEY, clock.write());
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

  /**
   * The evaluation clock, stored with the engine's state so that it commits with the versions it
   * published.
   *
   * @param evaluatedAt the latest time evaluated, {@link Long#MIN_VALUE} for none
   * @param pending the latest time records arrived for (an evaluation time), evaluated once it is
   *     not newer than {@code evaluatedAt}
   */
  record Clock(long evaluatedAt, long pending) {
    byte[] write() {
      return ByteBuffer.allocate(16).putLong(evaluatedAt).putLong(pending).array();
    }

    static Clock read(byte[] bytes) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      return new Clock(buf.getLong(), buf.getLong());
    }
  }
}
