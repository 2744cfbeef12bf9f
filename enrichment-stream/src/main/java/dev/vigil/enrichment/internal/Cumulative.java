package dev.vigil.enrichment.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Cumulative-to-delta conversion per raw stream (metric name plus every attribute), with reset
 * detection.
 *
 * <p>The first point of a stream is a baseline and yields no delta, unless its start time lies
 * within one window of its time (the stream just started, from zero). A later point yields the
 * increase since the previous one. A reset (a new start time, or a count that went down) yields the
 * new point's values in full: the stream restarted from zero at its start time. A point not newer
 * than the last one (a duplicate or out of order) yields nothing. A change of bucket layout starts
 * a new baseline.
 */
public final class Cumulative {
  private final long windowNanos;
  private final long ttlMs;
  private KeyValueStore<Bytes, byte[]> store;

  /** Conversion with the given window length (for fresh streams) and idle TTL. */
  public Cumulative(long windowMs, long ttlMs) {
    this.windowNanos = windowMs * 1_000_000L;
    this.ttlMs = ttlMs;
  }

  /** Binds the store of last values. */
  public void init(KeyValueStore<Bytes, byte[]> kvStore) {
    this.store = kvStore;
  }

  /**
   * Outcome of one conversion.
   *
   * @param values the increase per index
   * @param reset whether the stream restarted
   * @param whole whether {@code values} is the whole point (a fresh stream or a reset)
   * @param min the smallest value observed in the interval, when known (the whole point's min, or a
   *     lifetime min that went down), else NaN
   * @param max likewise the largest value, else NaN
   */
  public record Delta(double[] values, boolean reset, boolean whole, double min, double max) {}

  /**
   * The increase of a scalar or vector cumulative stream since its last point; {@code null} for a
   * baseline, a duplicate or an out-of-order point. Index {@code notMonotonic} of {@code values}
   * (e.g. a histogram's sum) is not used for reset detection; -1 for none.
   */
  public Delta delta(
      String id, long startNanos, long timeNanos, long layout, double[] values, int notMonotonic) {
    return delta(id, startNanos, timeNanos, layout, values, notMonotonic, Double.NaN, Double.NaN);
  }

  /**
   * As {@link #delta(String, long, long, long, double[], int)}, for points that also carry their
   * lifetime min and max (NaN when absent): a new lifetime extreme happened in this interval.
   */
  public Delta delta(
      String id,
      long startNanos,
      long timeNanos,
      long layout,
      double[] values,
      int notMonotonic,
      double min,
      double max) {
    Bytes key = Bytes.wrap(id.getBytes(StandardCharsets.UTF_8));
    byte[] stored = store.get(key);
    if (stored == null) {
      store.put(key, encode(startNanos, timeNanos, layout, values, min, max));
      boolean fresh = startNanos > 0 && timeNanos - startNanos <= windowNanos;
      return fresh ? new Delta(values, false, true, min, max) : null;
    }
    ByteBuffer prev = ByteBuffer.wrap(stored);
    long prevStart = prev.getLong();
    long prevTime = prev.getLong();
    long prevLayout = prev.getLong();
    int n = prev.getInt();
    if (timeNanos <= prevTime) {
      return null;
    }
    store.put(key, encode(startNanos, timeNanos, layout, values, min, max));
    if (prevLayout != layout || n != values.length) {
      return null;
    }
    double[] delta = new double[n];
    boolean reset = startNanos != 0 && prevStart != 0 && startNanos != prevStart;
    for (int i = 0; i < n; i++) {
      delta[i] = values[i] - prev.getDouble();
      if (delta[i] < 0 && i != notMonotonic) {
        reset = true;
      }
    }
    double prevMin = prev.getDouble();
    double prevMax = prev.getDouble();
    if (reset) {
      return new Delta(values, true, true, min, max);
    }
    return new Delta(
        delta, false, false, min < prevMin ? min : Double.NaN, max > prevMax ? max : Double.NaN);
  }

  /**
   * Removes streams whose last point is older than the TTL before {@code nowMs}; returns how many.
   */
  public int expire(long nowMs) {
    long cutoffNanos = (nowMs - ttlMs) * 1_000_000L;
    List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        if (ByteBuffer.wrap(entry.value).getLong(8) < cutoffNanos) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(store::delete);
    return expired.size();
  }

  private static byte[] encode(
      long start, long time, long layout, double[] values, double min, double max) {
    ByteBuffer buf = ByteBuffer.allocate(8 * 3 + 4 + 8 * values.length + 16);
    buf.putLong(start).putLong(time).putLong(layout).putInt(values.length);
    for (double v : values) {
      buf.putDouble(v);
    }
    buf.putDouble(min).putDouble(max);
    return buf.array();
  }
}
