package dev.vigil.anomaly.detector;

import java.util.Objects;

/**
 * Vigil's default detector: a robust, online, seasonal baseline with a calibrated score.
 *
 * <p>The baseline of a point is {@code level + trend + daily(t) + weekly(t)}:
 *
 * <ul>
 *   <li><b>level and trend</b>: Holt's linear method with a damped trend, updated with the residual
 *       clipped at {@value #HUBER} spreads (a Huber update), so a single outlier moves the level by
 *       at most a fraction of a spread;
 *   <li><b>seasonality</b>: a daily profile of 24 hourly slots and a weekly profile of 168
 *       hour-of-week slots, interpolated linearly between slot centres and kept zero-mean. Each
 *       slot starts as a running mean and settles to an exponential average forgetting about a
 *       fifth of its knowledge per day (daily) or a third per week (weekly). Profiles are enabled
 *       by the step: daily up to 3 h steps, weekly up to 1 day steps. The seasonal part is only
 *       used for scoring while it predicts at least 10% better than level and trend alone, so a
 *       series without seasonality is not scored against a noisy profile;
 *   <li><b>fast level</b>: a second level with α 0.4 and its own spread; when it predicts at least
 *       30% better than the main baseline (a smooth series that wanders faster than the main level
 *       follows, like a temperature), it is the baseline. It holds still for one anomalous point
 *       only, then follows again with clipped updates: it carries what the slow parts have not
 *       learned, so a frozen fast level would soon disagree with a series that merely moved;
 *   <li><b>spread</b>: an exponential average of the absolute one-step residual (winsorised at
 *       {@value #SPREAD_CLIP} spreads, and learning less as a point nears the band, so a lasting
 *       moderate anomaly does not widen the band that should catch it), floored by a tenth of a
 *       slow long-term spread and by the series' minimum scale.
 * </ul>
 *
 * <p>The statistic is the larger of the point's residual in spreads and a smoothed statistic (an
 * exponential average of recent residuals, divided by its own observed spread), so both a spike and
 * a small shift that persists for a few points score. {@link Calibration} turns it into the score.
 * A point beyond the band ({@link DetectorSettings#bandScore()}) does not update the baseline at
 * all, so anomalies do not poison it; after {@link DetectorSettings#relearnAfterPoints()} such
 * points on the same side (a lasting level shift) the level jumps to the new regime and alerting
 * stops. Each point costs constant time and the state is {@code SeasonalState}'s fixed 1,669 bytes.
 */
public final class SeasonalDetector implements Detector<SeasonalState> {
  /** Name and version, carried by every anomaly event: {@value}. */
  public static final String ID = "seasonal-robust/1";

  static final double HUBER = 2.5;
  static final double SPREAD_CLIP = 2.5;
  private static final double LEVEL_ALPHA = 0.08;
  private static final double FAST_ALPHA = 0.4;
  private static final double TREND_ALPHA = 0.004;
  private static final double TREND_DAMPING = 0.995;
  private static final int FAST_HOLD_POINTS = 1;
  private static final int TREND_MAX_GAP = 60;
  private static final double SPREAD_ALPHA = 0.02;
  private static final double LONG_SPREAD_ALPHA = 0.002;
  private static final double LONG_SPREAD_FLOOR = 0.1;
  private static final double SMOOTH_ALPHA = 0.2;
  private static final double SMOOTH_VARIANCE_ALPHA = 0.01;
  private static final double SMOOTH_CLIP = 6;
  private static final double DAY_CYCLE_WEIGHT = 0.2;
  private static final double WEEK_CYCLE_WEIGHT = 0.3;
  private static final double SEASONAL_GAIN = 0.9;
  private static final double FAST_GAIN = 0.7;
  private static final int BOOTSTRAP_POINTS = 10;
  private static final int FREEZE_MIN_POINTS = 30;
  private static final int YOUNG_POINTS = 120;
  private static final double YOUTH = 1.5;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long WEEK = 7 * DAY;

  private final DetectorSettings settings;
  private final double band;

  /** A detector with the given settings. */
  public SeasonalDetector(DetectorSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.band = Calibration.critical(settings.bandScore());
  }

  /** The settings. */
  public DetectorSettings settings() {
    return settings;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SeasonalState newState(long stepMillis, double minScale) {
    return new SeasonalState(stepMillis, minScale);
  }

  @Override
  public byte[] serialize(SeasonalState state) {
    return state.toBytes();
  }

  @Override
  public SeasonalState deserialize(byte[] bytes) {
    return SeasonalState.fromBytes(bytes);
  }

  @Override
  public Assessment assess(SeasonalState s, long timestamp, double value, Sense sense) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be finite, got " + value);
    }
    if (timestamp <= s.lastTimestamp) {
      return null;
    }
    if (s.points == 0) {
      s.level = value;
      s.fastLevel = value;
      s.lastTimestamp = timestamp;
      s.points = 1;
      return new Assessment(0, 0, value, value, value, false, false);
    }
    long step = s.stepMillis;
    long gap = Math.max(1, (timestamp - s.lastTimestamp + step / 2) / step);
    if (gap > TREND_MAX_GAP) {
      s.trend = 0;
    }
    double levelPred = s.level + s.trend * gap;

    boolean daily = step <= 3 * HOUR;
    boolean weekly = step <= DAY;
    double season = 0;
    int d0 = 0;
    double df = 0;
    int w0 = 0;
    double wf = 0;
    if (daily) {
      double pos = slotPosition(timestamp, DAY, SeasonalState.DAY_SLOTS);
      d0 = (int) pos;
      df = pos - d0;
      season += profile(s.day, d0, df, s.daySum);
    }
    if (weekly) {
      double pos = slotPosition(timestamp, WEEK, SeasonalState.WEEK_SLOTS);
      w0 = (int) pos;
      wf = pos - w0;
      season += profile(s.week, w0, wf, s.weekSum);
    }
    double seasonalResidual = value - levelPred - season;
    double plainResidual = value - levelPred;
    double fastResidual = value - s.fastLevel - season;
    boolean useSeasonal = (daily || weekly) && s.spreadSeasonal < SEASONAL_GAIN * s.spreadPlain;
    double base = levelPred;
    double seasonUsed = useSeasonal ? season : 0;
    double spread = useSeasonal ? s.spreadSeasonal : s.spreadPlain;
    boolean fast = s.spreadFast < FAST_GAIN * spread;
    if (fast) {
      // A smooth, wandering series: the fast level predicts it clearly better.
      base = s.fastLevel;
      seasonUsed = season;
      spread = s.spreadFast;
    }
    double expected = base + seasonUsed;
    double residual = value - expected;
    double scale = scale(s, spread, expected) * youth(s.points);
    double z = residual / scale;

    boolean anomalous = s.points >= FREEZE_MIN_POINTS && Math.abs(z) > band;
    // The smoothed statistic is for small shifts; points beyond the band speak for themselves and
    // would keep it high long after an episode ends.
    if (!anomalous) {
      s.smoothed += SMOOTH_ALPHA * (clamp(z, SMOOTH_CLIP) - s.smoothed);
    }
    double smoothedZ = s.smoothed / Math.sqrt(s.smoothedVariance);
    double statistic = Math.abs(z) >= Math.abs(smoothedZ) ? z : smoothedZ;
    boolean warm = s.points >= settings.warmupPoints();

    boolean relearned = false;
    if (anomalous) {
      relearned = holdOrRelearn(s, levelPred, base, residual, z);
      if (fast && !relearned && Math.abs(s.run) > FAST_HOLD_POINTS) {
        // The fast level carries what the slow parts have not learned and cannot hold still for
        // long: past a short spike it follows again (clipped), so a smooth series that moved is
        // flagged at the move, not for as long as a frozen baseline would disagree with it.
        learnFast(s, fastResidual, expected, 0);
      }
    } else {
      if (s.run != 0) {
        s.run -= Integer.signum(s.run);
      }
      double weight =
          s.points < FREEZE_MIN_POINTS
              ? 1
              : Math.min(1, Math.max(0, (band - Math.abs(z)) / (band - HUBER)));
      learn(s, levelPred, seasonalResidual, plainResidual, expected, timestamp, weight);
      learnFast(s, fastResidual, expected, weight);
    }
    s.lastTimestamp = timestamp;
    s.points++;

    double score = warm ? Calibration.score(sense.badPart(statistic)) : 0;
    double half = band * scale;
    return new Assessment(
        score, statistic, expected, expected - half, expected + half, warm, relearned);
  }

  /**
   * Widens the band of a young series: a spread learned from a few points is itself uncertain, and
   * a series may alert after {@link DetectorSettings#warmupPoints()} already. The factor is {@code
   * 1 + 1.5 (1/√n − 1/√120)}: 1.34 after 10 points, 1.14 after 30, 1.06 after 60 and 1 from 120 on,
   * so a new service or a benchmark case with minutes of history is judged, with caution.
   */
  static double youth(long points) {
    if (points >= YOUNG_POINTS) {
      return 1;
    }
    return 1 + YOUTH * (1 / Math.sqrt(Math.max(points, 1)) - 1 / Math.sqrt(YOUNG_POINTS));
  }

  /** Keeps the baseline still during an anomaly; accepts a new level once it has lasted. */
  private boolean holdOrRelearn(
      SeasonalState s, double levelPred, double base, double residual, double z) {
    int sign = z > 0 ? 1 : -1;
    if (s.run * sign > 0) {
      s.run += sign;
      s.runMean += (residual - s.runMean) / Math.min(Math.abs(s.run), 10);
    } else {
      s.run = sign;
      s.runMean = residual;
    }
    if (Math.abs(s.run) >= settings.relearnAfterPoints()) {
      s.level = base + s.runMean;
      s.fastLevel = s.level;
      s.trend = 0;
      s.run = 0;
      s.smoothed = 0;
      return true;
    }
    s.level = levelPred;
    s.trend *= TREND_DAMPING; // an anomaly is no reason to extrapolate a trend for ever
    return false;
  }

  /**
   * Learns from a point within the band. {@code weight} is 1 up to {@value #HUBER} spreads and
   * falls to 0 at the band, so a moderate anomaly that lasts neither drags the baseline along nor
   * inflates the spread before it is scored.
   */
  private static void learn(
      SeasonalState s,
      double levelPred,
      double seasonalResidual,
      double plainResidual,
      double expected,
      long timestamp,
      double weight) {
    long step = s.stepMillis;
    boolean daily = step <= 3 * HOUR;
    boolean weekly = step <= DAY;
    double n = s.points + 1;
    boolean bootstrapping = s.points < BOOTSTRAP_POINTS;
    double clip =
        bootstrapping ? Double.POSITIVE_INFINITY : HUBER * scale(s, s.spreadSeasonal, expected);
    double e = Math.max(-clip, Math.min(clip, seasonalResidual));
    double alpha = Math.max(LEVEL_ALPHA, 1 / n);
    s.level = levelPred + alpha * e;
    if (!bootstrapping) {
      s.trend = TREND_DAMPING * s.trend + TREND_ALPHA * e;
    }
    double rest = (1 - alpha) * e;
    if (daily) {
      double pos = slotPosition(timestamp, DAY, SeasonalState.DAY_SLOTS);
      int d0 = (int) pos;
      double rate = Math.min(1, DAY_CYCLE_WEIGHT * step / HOUR);
      double moved = learnSlots(s.day, s.dayWeight, d0, pos - d0, rest, rate);
      s.daySum += moved;
      rest -= moved / 2;
    }
    // The weekly profile learns only what two days of daily profile leave unexplained; earlier it
    // would soak up the daily cycle for the weekday it happened to see first.
    if (weekly && s.points * step >= 2 * DAY) {
      double pos = slotPosition(timestamp, WEEK, SeasonalState.WEEK_SLOTS);
      int w0 = (int) pos;
      double rate = Math.min(1, WEEK_CYCLE_WEIGHT * step / HOUR);
      s.weekSum += learnSlots(s.week, s.weekWeight, w0, pos - w0, rest, rate);
    }
    double spreadAlpha = Math.max(SPREAD_ALPHA, 1 / n) * weight;
    s.spreadSeasonal = spread(s.spreadSeasonal, seasonalResidual, spreadAlpha, bootstrapping);
    s.spreadPlain = spread(s.spreadPlain, plainResidual, spreadAlpha, bootstrapping);
    s.spreadLong =
        spread(
            s.spreadLong,
            Math.min(Math.abs(seasonalResidual), Math.abs(plainResidual)),
            Math.max(LONG_SPREAD_ALPHA, 1 / n),
            bootstrapping);
    if (s.points >= FREEZE_MIN_POINTS) {
      double sq = Math.min(s.smoothed * s.smoothed, 9 * s.smoothedVariance);
      s.smoothedVariance += SMOOTH_VARIANCE_ALPHA * (sq - s.smoothedVariance);
      s.smoothedVariance = Math.max(s.smoothedVariance, 0.05);
    }
  }

  /** The fast level: for smooth series that wander faster than the main level follows. */
  private static void learnFast(
      SeasonalState s, double fastResidual, double expected, double weight) {
    boolean bootstrapping = s.points < BOOTSTRAP_POINTS;
    double clip =
        bootstrapping ? Double.POSITIVE_INFINITY : HUBER * scale(s, s.spreadFast, expected);
    s.fastLevel += FAST_ALPHA * Math.max(-clip, Math.min(clip, fastResidual));
    double n = s.points + 1;
    s.spreadFast =
        spread(s.spreadFast, fastResidual, Math.max(SPREAD_ALPHA, 1 / n) * weight, bootstrapping);
  }

  /** Moves two neighbouring slots towards the residual; returns the total change. */
  private static double learnSlots(
      float[] slots, float[] weights, int i0, double frac, double residual, double rate) {
    int i1 = (i0 + 1) % slots.length;
    double moved = 0;
    double w = 1 - frac;
    if (w > 0) {
      weights[i0] = (float) (weights[i0] + w);
      double delta = w * Math.max(rate, w / weights[i0]) * residual;
      slots[i0] = (float) (slots[i0] + delta);
      moved += delta;
    }
    if (frac > 0) {
      weights[i1] = (float) (weights[i1] + frac);
      double delta = frac * Math.max(rate, frac / weights[i1]) * residual;
      slots[i1] = (float) (slots[i1] + delta);
      moved += delta;
    }
    return moved;
  }

  private static double spread(double spread, double residual, double alpha, boolean free) {
    double abs = Math.abs(residual);
    if (!free && spread > 0) {
      abs = Math.min(abs, SPREAD_CLIP * spread);
    }
    return spread + alpha * (abs - spread);
  }

  private static double scale(SeasonalState s, double spread, double expected) {
    double floor =
        Math.max(
            s.minScale,
            Math.max(LONG_SPREAD_FLOOR * s.spreadLong, 1e-9 * (1 + Math.abs(expected))));
    return Math.max(spread, floor);
  }

  /** Position in slots, slot centres at integers: 0.0 is the middle of the first slot. */
  private static double slotPosition(long timestamp, long period, int slots) {
    double pos = Math.floorMod(timestamp, period) / (double) (period / slots) - 0.5;
    return pos < 0 ? pos + slots : pos;
  }

  private static double profile(float[] slots, int i0, double frac, double sum) {
    int i1 = (i0 + 1) % slots.length;
    return (1 - frac) * slots[i0] + frac * slots[i1] - sum / slots.length;
  }

  private static double clamp(double v, double limit) {
    return Math.max(-limit, Math.min(limit, v));
  }
}
