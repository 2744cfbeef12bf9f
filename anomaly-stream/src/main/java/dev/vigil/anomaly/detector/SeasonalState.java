package dev.vigil.anomaly.detector;

import java.nio.ByteBuffer;

/**
 * What {@link SeasonalDetector} knows about one series: level, trend, spreads, a daily profile of
 * 24 hourly slots and a weekly profile of 168 hour-of-week slots (additive offsets, with how much
 * each slot has learned), the smoothed statistic and the run of anomalous points. 1,669 bytes
 * serialized, whatever the series' length.
 */
public final class SeasonalState {
  static final int DAY_SLOTS = 24;
  static final int WEEK_SLOTS = 168;
  private static final byte FORMAT = 1;

  final long stepMillis;
  final double minScale;
  long lastTimestamp = Long.MIN_VALUE;
  long points;
  double level;
  double fastLevel;
  double trend;
  double spreadSeasonal;
  double spreadPlain;
  double spreadFast;
  double spreadLong;
  double smoothed;
  double smoothedVariance = 0.2;
  int run;
  double runMean;
  final float[] day = new float[DAY_SLOTS];
  final float[] dayWeight = new float[DAY_SLOTS];
  double daySum;
  final float[] week = new float[WEEK_SLOTS];
  final float[] weekWeight = new float[WEEK_SLOTS];
  double weekSum;

  SeasonalState(long stepMillis, double minScale) {
    if (stepMillis < 1) {
      throw new IllegalArgumentException("stepMillis must be >= 1, got " + stepMillis);
    }
    if (!(minScale >= 0) || Double.isInfinite(minScale)) {
      throw new IllegalArgumentException("minScale must be finite and >= 0, got " + minScale);
    }
    this.stepMillis = stepMillis;
    this.minScale = minScale;
  }

  /** Points learned from so far. */
  public long points() {
    return points;
  }

  /** Event time of the last point learned from. */
  public long lastTimestamp() {
    return lastTimestamp;
  }

  /** The series' sampling step. */
  public long stepMillis() {
    return stepMillis;
  }

  /** Bytes of every serialized state: fixed, so a caller can keep several back to back. */
  public static int serializedSize() {
    return 1 + 8 * 2 + 8 * 2 + 8 * 12 + 4 + 4 * 2 * (DAY_SLOTS + WEEK_SLOTS);
  }

  byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(serializedSize());
    buf.put(FORMAT).putLong(stepMillis).putDouble(minScale).putLong(lastTimestamp).putLong(points);
    buf.putDouble(level)
        .putDouble(fastLevel)
        .putDouble(spreadFast)
        .putDouble(trend)
        .putDouble(spreadSeasonal)
        .putDouble(spreadPlain);
    buf.putDouble(spreadLong).putDouble(smoothed).putDouble(smoothedVariance);
    buf.putInt(run).putDouble(runMean).putDouble(daySum).putDouble(weekSum);
    for (int i = 0; i < DAY_SLOTS; i++) {
      buf.putFloat(day[i]).putFloat(dayWeight[i]);
    }
    for (int i = 0; i < WEEK_SLOTS; i++) {
      buf.putFloat(week[i]).putFloat(weekWeight[i]);
    }
    return buf.array();
  }

  static SeasonalState fromBytes(byte[] bytes) {
    if (bytes.length != serializedSize() || bytes[0] != FORMAT) {
      throw new IllegalArgumentException(
          "not a SeasonalState (format " + FORMAT + ", " + serializedSize() + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    SeasonalState s = new SeasonalState(buf.getLong(), buf.getDouble());
    s.lastTimestamp = buf.getLong();
    s.points = buf.getLong();
    s.level = buf.getDouble();
    s.fastLevel = buf.getDouble();
    s.spreadFast = buf.getDouble();
    s.trend = buf.getDouble();
    s.spreadSeasonal = buf.getDouble();
    s.spreadPlain = buf.getDouble();
    s.spreadLong = buf.getDouble();
    s.smoothed = buf.getDouble();
    s.smoothedVariance = buf.getDouble();
    s.run = buf.getInt();
    s.runMean = buf.getDouble();
    s.daySum = buf.getDouble();
    s.weekSum = buf.getDouble();
    for (int i = 0; i < DAY_SLOTS; i++) {
      s.day[i] = buf.getFloat();
      s.dayWeight[i] = buf.getFloat();
    }
    for (int i = 0; i < WEEK_SLOTS; i++) {
      s.week[i] = buf.getFloat();
      s.weekWeight[i] = buf.getFloat();
    }
    return s;
  }
}
