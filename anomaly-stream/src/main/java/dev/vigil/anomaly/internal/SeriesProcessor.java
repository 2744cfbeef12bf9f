package dev.vigil.anomaly.internal;

import dev.vigil.anomaly.AnomalySettings;
import dev.vigil.anomaly.detector.Assessment;
import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.Severity;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each window of each series with its own detector state (two for a latency series: its
 * quantile and its trimmed mean, see {@link SignalProfile}), keeps the series' episode, and emits
 * START, UPDATE and END events with their explanation. Every scored window also goes to the
 * service-health processor (child {@link #HEALTH_CHILD}).
 */
public final class SeriesProcessor implements Processor<SeriesKey, SignalWindow, String, Object> {
  /** The per-series state store: detector state and episode, keyed by series. */
  public static final String STORE = "anomaly-series-state";

  /** Name of the child receiving anomaly events. */
  public static final String EVENTS_CHILD = "anomalies-sink";

  /** Name of the child receiving every scored window. */
  public static final String HEALTH_CHILD = "anomaly-service-health";

  private static final long DEFAULT_STEP = 60_000L;
  private static final Logger LOGGER = LoggerFactory.getLogger(SeriesProcessor.class);

  private final AnomalySettings settings;
  private final SeasonalDetector detector;
  private final AnomalyMetrics metrics;
  private final boolean health;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<SeriesKey, byte[]> store;

  /** A processor with the given settings, counting into {@code metrics}. */
  public SeriesProcessor(AnomalySettings settings, AnomalyMetrics metrics) {
    this.settings = settings;
    this.detector = new SeasonalDetector(settings.detector());
    this.metrics = metrics;
    this.health = settings.serviceHealth();
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<SeriesKey, SignalWindow> record) {
    SeriesKey key = record.key();
    SignalWindow w = record.value();
    SignalProfile profile = SignalProfile.of(w.getType());
    Double raw = profile.value(w);
    if (raw == null) {
      metrics.window(AnomalyMetrics.Outcome.NO_VALUE);
      return;
    }
    long start = w.getWindowStart().toEpochMilli();
    long end = w.getWindowEnd().toEpochMilli();
    Double secondRaw = profile.second(w);
    byte[] bytes = store.get(key);
    SeasonalState state = null;
    SeasonalState secondState = null;
    Episode episode = null;
    if (bytes != null) {
      try {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        episode = Episode.read(buf);
        state = detector.deserialize(next(buf));
        if (buf.hasRemaining()) {
          secondState = detector.deserialize(next(buf));
        }
      } catch (IllegalArgumentException | BufferUnderflowException e) {
        // A state this version cannot read (e.g. written by another detector version): relearning
        // the series beats dead-lettering every window of it for ever.
        LOGGER.warn("Unreadable state of series {}; it learns again from scratch", key, e);
        metrics.stateReset();
        state = null;
        secondState = null;
      }
    }
    long step = end > start ? end - start : DEFAULT_STEP;
    if (state == null) {
      state = detector.newState(step, profile.minScale);
      episode = new Episode();
    }
    Assessment a = detector.assess(state, start, profile.transform.forward(raw), profile.sense);
    if (a == null) {
      // Not newer than the series' last window. A revision (the enrichment's final values of a
      // window it emitted early) is not a new window: scoring it again would count one minute
      // twice in the baseline and the episode. The first emission stands.
      if (w.getRevision() > 0) {
        metrics.revision();
      } else {
        metrics.window(AnomalyMetrics.Outcome.LATE);
      }
      return;
    }
    metrics.window(a.warm() ? AnomalyMetrics.Outcome.SCORED : AnomalyMetrics.Outcome.WARMUP);
    if (a.relearned()) {
      metrics.relearned();
    }
    // The second statistic has its own baseline; the window counts with the higher score. A
    // quantile of so few calls that it is one of the two slowest does not count (its baseline
    // still learns the window): two timeouts would set it, where the trimmed mean leaves the
    // slowest call out and spreads the second over the rest.
    Assessment reported = a;
    String statistic = profile.statistic(w);
    if (secondRaw != null) {
      if (secondState == null) {
        secondState = detector.newState(step, profile.minScale);
      }
      Assessment b =
          detector.assess(secondState, start, profile.transform.forward(secondRaw), profile.sense);
      if (b != null && b.relearned()) {
        metrics.relearned();
      }
      if (b != null && (b.score() > a.score() || profile.quantileIsOfTheTwoSlowestCalls(w))) {
        reported = b;
        raw = secondRaw;
        statistic = SignalProfile.TRIMMED_MEAN;
      }
    }
    Episode.Transition transition = episode.observe(settings, reported.score(), start);
    byte[] detectorBytes = detector.serialize(state);
    byte[] secondBytes = secondState == null ? new byte[0] : detector.serialize(secondState);
    ByteBuffer out = ByteBuffer.allocate(Episode.BYTES + detectorBytes.length + secondBytes.length);
    episode.write(out);
    out.put(detectorBytes).put(secondBytes);
    store.put(key, out.array());

    String service = key.getService();
    if (transition != Episode.Transition.NONE) {
      AnomalyEvent event =
          event(key, w, raw, statistic, reported, profile, episode, transition, end);
      metrics.event("series", transition);
      context.forward(new Record<String, Object>(service, event, record.timestamp()), EVENTS_CHILD);
    }
    if (health) {
      context.forward(
          new Record<String, Object>(
              service, new Scored(w.getType(), reported.score(), start, end), record.timestamp()),
          HEALTH_CHILD);
    }
  }

  private AnomalyEvent event(
      SeriesKey key,
      SignalWindow w,
      double raw,
      String statistic,
      Assessment a,
      SignalProfile profile,
      Episode episode,
      Episode.Transition transition,
      long end) {
    Transform t = profile.transform;
    // An SLO bounds a quantile of latency, so the window's own value is checked, not a mean.
    return AnomalyEvent.newBuilder()
        .setId(episodeId(key, episode.startedAt))
        .setService(key.getService())
        .setSeries(key)
        .setPhase(AnomalyPhase.valueOf(transition.name()))
        .setAt(Instant.ofEpochMilli(end))
        .setStartedAt(Instant.ofEpochMilli(episode.startedAt))
        .setObserved(raw)
        .setExpected(t.inverse(a.expected()))
        .setLower(t.inverse(a.lower()))
        .setUpper(t.inverse(a.upper()))
        .setScore(a.score())
        .setSeverity(
            severity(
                AnomalySettings.severity(episode.peak), profile.sloBreached(w, profile.value(w))))
        .setDirection(a.statistic() >= 0 ? Direction.UP : Direction.DOWN)
        .setDetector(detector.id())
        .setSignalType(w.getType() == null ? SignalType.OTHER : w.getType())
        .setStatistic(statistic)
        .build();
  }

  /** The next detector state of a stored value: states are back to back, each of fixed size. */
  private static byte[] next(ByteBuffer buf) {
    byte[] bytes = new byte[Math.min(SeasonalState.serializedSize(), buf.remaining())];
    buf.get(bytes);
    return bytes;
  }

  /**
   * The score's severity, adjusted by the catalog's SLO when the window carries one: an anomaly
   * that breaches the SLO is at least WARNING, one that stays within it at most WARNING (CRITICAL
   * is for what users feel).
   */
  static Severity severity(Severity byScore, Boolean sloBreached) {
    if (sloBreached == null) {
      return byScore;
    }
    if (sloBreached) {
      return byScore == Severity.CRITICAL ? Severity.CRITICAL : Severity.WARNING;
    }
    return byScore == Severity.CRITICAL ? Severity.WARNING : byScore;
  }

  /** Deterministic episode id: the same for START, UPDATEs and END, and across replays. */
  static String episodeId(SeriesKey key, long startedAt) {
    StringBuilder id = new StringBuilder(key.getService()).append('\0').append(key.getSignal());
    for (Attribute d : key.getDims()) {
      id.append('\0').append(d.getKey()).append('=').append(d.getValue());
    }
    id.append('\0').append(startedAt);
    return UUID.nameUUIDFromBytes(id.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }
}
