package dev.vigil.forecast.model;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * What {@link HoltWinters} knows about one series. While warming up: a window of bucket sums (two
 * of the longest season) and the spread of one-step differences. Once fitted: the smoothing
 * parameters, level, trend, the seasonal slots, the residual variance and the errors behind the
 * rolling MASE. Its size is fixed by the {@link Seasonality}, whatever the series' length (see
 * {@link #serializedSize}).
 */
public final class HoltWintersState {
  private static final byte FORMAT = 1;

  final Seasonality seasonality;
  long lastT = Long.MIN_VALUE;
  double lastValue = Double.NaN;
  long points;
  long trainedAt = Long.MIN_VALUE;
  boolean ready;

  // Warm-up window, null once fitted.
  long firstBucket = Long.MIN_VALUE;
  float[] bucketSum;
  short[] bucketCount;
  double diffSquares;
  long diffCount;

  // The fitted model, per step.
  double alpha;
  double beta;
  double gamma;
  double phi;
  double level;
  double trend;
  float[][] seasons;
  double variance;
  long scored;
  double modelError;
  double naiveError;

  HoltWintersState(Seasonality seasonality) {
    this.seasonality = seasonality;
    int buckets = seasonality.warmupBuckets();
    this.bucketSum = new float[buckets];
    this.bucketCount = new short[buckets];
  }

  /** Points learned from so far. */
  public long points() {
    return points;
  }

  /** Whether the warm-up is over and the model forecasts. */
  public boolean ready() {
    return ready;
  }

  /** Event time of the last point learned from (or the end of the warm-up window). */
  public long lastTimestamp() {
    return lastT;
  }

  /** Event time at which the smoothing parameters were fitted; {@code Long.MIN_VALUE} before. */
  public long trainedAt() {
    return trainedAt;
  }

  /** The layout the state was made for. */
  public Seasonality seasonality() {
    return seasonality;
  }

  /** Bytes of the serialized state, while warming up or once fitted: the larger of the two. */
  public static int serializedSize(Seasonality s, boolean fitted) {
    int header = 1 + 8 + 1 + 4 * s.periods().length + 4 + 1 + 8 + 8 + 8 + 8;
    if (!fitted) {
      return header + 8 + 8 + 8 + 4 + s.warmupBuckets() * (4 + 2);
    }
    int slots = 0;
    for (int i = 0; i < s.periods().length; i++) {
      slots += s.slots(i);
    }
    return header + 8 * 7 + 8 + 8 * 2 + 4 * slots;
  }

  byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(serializedSize(seasonality, ready));
    buf.put(FORMAT).putLong(seasonality.stepMillis()).put((byte) seasonality.periods().length);
    for (int p : seasonality.periods()) {
      buf.putInt(p);
    }
    buf.putInt(seasonality.slotWidth()).put((byte) (ready ? 1 : 0));
    buf.putLong(lastT).putDouble(lastValue).putLong(points).putLong(trainedAt);
    if (!ready) {
      buf.putLong(firstBucket).putDouble(diffSquares).putLong(diffCount);
      buf.putInt(bucketSum.length);
      for (int i = 0; i < bucketSum.length; i++) {
        buf.putFloat(bucketSum[i]).putShort(bucketCount[i]);
      }
    } else {
      buf.putDouble(alpha).putDouble(beta).putDouble(gamma).putDouble(phi);
      buf.putDouble(level).putDouble(trend).putDouble(variance).putLong(scored);
      buf.putDouble(modelError).putDouble(naiveError);
      for (float[] season : seasons) {
        for (float v : season) {
          buf.putFloat(v);
        }
      }
    }
    return buf.array();
  }

  /**
   * Reads a state written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException if the bytes are not a state of this layout
   */
  static HoltWintersState fromBytes(byte[] bytes, Seasonality expected) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      if (buf.get() != FORMAT) {
        throw new IllegalArgumentException("not a Holt-Winters state of format " + FORMAT);
      }
      long step = buf.getLong();
      int[] periods = new int[buf.get()];
      for (int i = 0; i < periods.length; i++) {
        periods[i] = buf.getInt();
      }
      Seasonality found = new Seasonality(step, periods, buf.getInt());
      if (!found.equals(expected)) {
        throw new IllegalArgumentException("state of " + found + ", expected " + expected);
      }
      HoltWintersState s = new HoltWintersState(expected);
      s.ready = buf.get() == 1;
      s.lastT = buf.getLong();
      s.lastValue = buf.getDouble();
      s.points = buf.getLong();
      s.trainedAt = buf.getLong();
      if (!s.ready) {
        s.firstBucket = buf.getLong();
        s.diffSquares = buf.getDouble();
        s.diffCount = buf.getLong();
        if (buf.getInt() != s.bucketSum.length) {
          throw new IllegalArgumentException("warm-up window of another length");
        }
        for (int i = 0; i < s.bucketSum.length; i++) {
          s.bucketSum[i] = buf.getFloat();
          s.bucketCount[i] = buf.getShort();
        }
      } else {
        s.bucketSum = null;
        s.bucketCount = null;
        s.alpha = buf.getDouble();
        s.beta = buf.getDouble();
        s.gamma = buf.getDouble();
        s.phi = buf.getDouble();
        s.level = buf.getDouble();
        s.trend = buf.getDouble();
        s.variance = buf.getDouble();
        s.scored = buf.getLong();
        s.modelError = buf.getDouble();
        s.naiveError = buf.getDouble();
        s.seasons = new float[periods.length][];
        for (int i = 0; i < periods.length; i++) {
          s.seasons[i] = new float[expected.slots(i)];
          for (int j = 0; j < s.seasons[i].length; j++) {
            s.seasons[i][j] = buf.getFloat();
          }
        }
      }
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(buf.remaining() + " unexpected trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated Holt-Winters state", e);
    }
  }
}
