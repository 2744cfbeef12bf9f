package dev.vigil.anomaly.internal;

import dev.vigil.anomaly.AnomalySettings;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One health score per service and window, from the scores of its golden signals, so the RCA stage
 * gets one episode per service instead of one per series.
 *
 * <p>For each of latency, errors, traffic, saturation and log errors it takes the highest
 * direction-aware score among the service's series of that type in the window, corrected for the
 * number n of series it is the maximum of: {@code max^n} (Šidák). The maximum of many normal scores
 * is high by chance alone: a service with ten latency series has one above 0.99 in one window of
 * ten. Uncorrected, the entry points of a 500-service platform (the most series) started health
 * episodes with no anomalous series at all. n is the count of the service's previous window, so the
 * score within a window only grows as its series arrive. The types, and the count of anomalous
 * series, are then combined so that the health score is about as often high by chance as one
 * series' score is (see {@link #score(double[], int[], int, double)}): one clearly anomalous signal
 * type is enough, and types or series that agree raise it. A window is complete when the service's
 * first window of a later time arrives (series of one service share a partition, and windows close
 * in time order). The health score runs through the same episode rules as a series; its events have
 * the series {@code SeriesKey{service, "service.health", []}}, the number of anomalous series as
 * observed value and 0 as expected.
 *
 * <p><b>Fast start.</b> Waiting for the next window costs a minute, so while window W's series
 * arrive the running health score is kept; the moment it reaches the critical score (the score that
 * starts a series episode at once) and no health episode is open, the START goes out at once, dated
 * and identified exactly as the full judgement would date it. The running score only grows as
 * series arrive, so the full judgement of W would have started the same episode: the fast path
 * moves that START earlier, never adds one. The full judgement of W still runs when W+1 arrives;
 * for a window that started early it emits an UPDATE with W's final figures, never a second START.
 */
public final class HealthProcessor implements Processor<String, Object, String, Object> {
  /** Per-service health state. */
  public static final String STORE = "anomaly-health-state";

  /** Signal name of health events: {@value}. */
  public static final String HEALTH_SIGNAL = "service.health";

  /** Detector name of health events: {@value}. */
  public static final String DETECTOR = "service-health/1";

  private static final List<SignalType> GOLDEN =
      List.of(
          SignalType.LATENCY,
          SignalType.ERRORS,
          SignalType.TRAFFIC,
          SignalType.SATURATION,
          SignalType.LOG_ERRORS);
  private static final int BYTES = 8 + 8 + 4 + 8 * 5 + Episode.BYTES + 1 + 2 * 4 * 5;

  private final AnomalySettings settings;
  private final AnomalyMetrics metrics;
  private final boolean fastStart;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, byte[]> store;

  /** A processor with the given settings. */
  public HealthProcessor(AnomalySettings settings, AnomalyMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.fastStart = settings.healthFastStart();
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, Object> record) {
    Scored scored = (Scored) record.value();
    int slot = GOLDEN.indexOf(scored.type());
    if (slot < 0) {
      return;
    }
    String service = record.key();
    byte[] bytes = store.get(service);
    State s = bytes == null ? new State() : State.read(bytes);
    if (scored.windowEnd() < s.windowEnd) {
      return; // a straggler of a window already judged
    }
    if (scored.windowEnd() > s.windowEnd) {
      if (s.windowEnd > 0) {
        judge(service, s, record.timestamp());
        System.arraycopy(s.series, 0, s.seriesBefore, 0, s.series.length);
      }
      s.windowStart = scored.windowStart();
      s.windowEnd = scored.windowEnd();
      s.anomalous = 0;
      s.startedEarly = false;
      java.util.Arrays.fill(s.max, 0);
      java.util.Arrays.fill(s.series, 0);
    }
    s.max[slot] = Math.max(s.max[slot], scored.score());
    s.series[slot]++;
    if (scored.score() >= settings.threshold()) {
      s.anomalous++;
    }
    if (fastStart && !s.startedEarly && !s.episode.open) {
      double running = score(s);
      if (running >= AnomalySettings.CRITICAL_SCORE) {
        // Critical: the episode starts with this window whatever the rest of it brings.
        Episode.Transition t = s.episode.observe(settings, running, s.windowStart);
        s.startedEarly = true;
        metrics.healthFastStart();
        emit(service, s, t, running, record.timestamp());
      }
    }
    store.put(service, s.write());
  }

  private void judge(String service, State s, long timestamp) {
    double score = score(s);
    Episode.Transition t;
    if (s.startedEarly) {
      // The episode already started with this window (fast start): the window is not counted
      // twice, and its final figures go out as an UPDATE.
      s.episode.peak = Math.max(s.episode.peak, score);
      t = Episode.Transition.UPDATE;
    } else {
      t = s.episode.observe(settings, score, s.windowStart);
    }
    if (t == Episode.Transition.NONE) {
      return;
    }
    emit(service, s, t, score, timestamp);
  }

  /**
   * The health score of a window: the largest of three combinations of its series' scores, each
   * calibrated so that under noise alone it exceeds a score s with probability about 1 - s, as a
   * single series does (their maximum at most three times as often, measured: less than twice,
   * {@code HealthScoreTest}). The corrected maximum of a type is {@code c = max^n}, n its series in
   * the previous window (1 when there was none); k is the number of types the service had then.
   *
   * <ul>
   *   <li>Šidák over the types, {@code max(c)^k}: one clearly anomalous type is enough.
   *   <li>Fisher's combination of the types' {@code p = 1 - c}: {@code X = -2 Σ ln p} is χ² with 2k
   *       degrees of freedom under noise, whose distribution function has the closed form {@code 1
   *       - P Σ_{j<k} (-ln P)^j / j!} with {@code P = Π p}. Types that agree raise it.
   *   <li>The count of anomalous series: under noise each of the N series of the previous window is
   *       above the threshold with probability at most {@code 1 - threshold}, so the score is the
   *       binomial {@code P(X < anomalous)}. Many series of one type that agree (every route of a
   *       service slower) raise it, where the type's maximum alone would not.
   * </ul>
   *
   * The noisy-OR {@code 1 - P} used before 2026-12-06 is the Fisher term with k = 1 whatever the
   * number of types: under noise, with 5 latency, 1 error and 1 traffic series, it reached the
   * critical score in 1,107 of 10^6 windows where one series does in 37 ({@code HealthScoreTest}).
   */
  static double score(double[] max, int[] seriesBefore, int anomalous, double threshold) {
    int types = 0;
    int series = 0;
    double strongest = 0;
    double product = 1;
    for (int i = 0; i < max.length; i++) {
      if (seriesBefore[i] > 0) {
        types++;
        series += seriesBefore[i];
      }
      double corrected = Math.pow(max[i], Math.max(1, seriesBefore[i]));
      strongest = Math.max(strongest, corrected);
      product *= 1 - corrected;
    }
    types = Math.max(1, types);
    if (product <= 0) {
      return 1;
    }
    double log = -Math.log(product);
    double term = 1;
    double sum = 1;
    for (int j = 1; j < types; j++) {
      term *= log / j;
      sum += term;
    }
    double fisher = Math.max(0, 1 - product * sum);
    double sidak = Math.pow(strongest, types);
    return Math.max(Math.max(fisher, sidak), binomialBelow(anomalous, series, 1 - threshold));
  }

  /** {@code P(X < k)} for X binomial with n trials of probability q; n is at least k. */
  static double binomialBelow(int k, int n, double q) {
    if (k <= 0) {
      return 0;
    }
    n = Math.max(n, k);
    double pmf = Math.pow(1 - q, n); // P(X = 0)
    double below = 0;
    for (int j = 0; j < k; j++) {
      below += pmf;
      pmf *= (double) (n - j) / (j + 1) * q / (1 - q);
    }
    return Math.min(1, below);
  }

  private double score(State s) {
    return score(s.max, s.seriesBefore, s.anomalous, settings.threshold());
  }

  private void emit(String service, State s, Episode.Transition t, double score, long timestamp) {
    metrics.event("service", t);
    AnomalyEvent event =
        AnomalyEvent.newBuilder()
            .setId(
                SeriesProcessor.episodeId(
                    new SeriesKey(service, HEALTH_SIGNAL, List.of()), s.episode.startedAt))
            .setService(service)
            .setSeries(new SeriesKey(service, HEALTH_SIGNAL, List.of()))
            .setPhase(AnomalyPhase.valueOf(t.name()))
            .setAt(Instant.ofEpochMilli(s.windowEnd))
            .setStartedAt(Instant.ofEpochMilli(s.episode.startedAt))
            .setObserved(s.anomalous)
            .setExpected(0)
            .setLower(0)
            .setUpper(0)
            .setScore(score)
            .setSeverity(AnomalySettings.severity(s.episode.peak))
            .setDirection(Direction.UP)
            .setDetector(DETECTOR)
            .setSignalType(SignalType.OTHER)
            .build();
    context.forward(
        new Record<String, Object>(service, event, timestamp), SeriesProcessor.EVENTS_CHILD);
  }

  /** What health knows about one service. */
  private static final class State {
    long windowStart;
    long windowEnd;
    int anomalous;
    final double[] max = new double[5];
    Episode episode = new Episode();
    boolean startedEarly;
    // Series of each type in this window so far, and in the service's previous window.
    final int[] series = new int[5];
    final int[] seriesBefore = new int[5];

    byte[] write() {
      ByteBuffer buf = ByteBuffer.allocate(BYTES);
      buf.putLong(windowStart).putLong(windowEnd).putInt(anomalous);
      for (double m : max) {
        buf.putDouble(m);
      }
      episode.write(buf);
      buf.put((byte) (startedEarly ? 1 : 0));
      for (int i = 0; i < series.length; i++) {
        buf.putInt(series[i]).putInt(seriesBefore[i]);
      }
      return buf.array();
    }

    static State read(byte[] bytes) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      State s = new State();
      s.windowStart = buf.getLong();
      s.windowEnd = buf.getLong();
      s.anomalous = buf.getInt();
      for (int i = 0; i < s.max.length; i++) {
        s.max[i] = buf.getDouble();
      }
      s.episode = Episode.read(buf);
      // States written before the fast start have no flag: their window did not start early.
      s.startedEarly = buf.hasRemaining() && buf.get() == 1;
      // States written before the series counts have none: no correction until the next window.
      for (int i = 0; i < s.series.length && buf.hasRemaining(); i++) {
        s.series[i] = buf.getInt();
        s.seriesBefore[i] = buf.getInt();
      }
      return s;
    }
  }
}
