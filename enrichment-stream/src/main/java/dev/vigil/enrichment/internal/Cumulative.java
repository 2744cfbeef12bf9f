package dev.vigil.enrichment.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * a new baseline (that interval's increase is not counted).
 *
 * <p>The last points of a service's cumulative streams share a few store entries ({@link
 * WindowState#BUCKETS} buckets by hash of the stream id; key: service name, a zero byte, the
 * bucket), kept decoded in memory and written back once per input record ({@link #flush()}).
 */
public final class Cumulative {
  private final long windowNanos;
  private final long ttlMs;
  private final Map<String, Streams> services = new HashMap<>();
  private final List<Streams> dirty = new ArrayList<>();
  private KeyValueStore<Bytes, byte[]> store;

  /** Conversion with the given window length (for fresh streams) and idle TTL. */
  public Cumulative(long windowMs, long ttlMs) {
    this.windowNanos = windowMs * 1_000_000L;
    this.ttlMs = ttlMs;
  }

  /** Binds the store of last values. */
  public void init(KeyValueStore<Bytes, byte[]> kvStore) {
    this.store = kvStore;
    services.clear();
    dirty.clear();
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
   * The increase of a scalar or vector cumulative stream of {@code service} since its last point;
   * {@code null} for a baseline, a duplicate or an out-of-order point. Index {@code notMonotonic}
   * of {@code values} (e.g. a histogram's sum) is not used for reset detection; -1 for none.
   */
  public Delta delta(
      String service,
      String id,
      long startNanos,
      long timeNanos,
      long layout,
      double[] values,
      int notMonotonic) {
    return delta(
        service, id, startNanos, timeNanos, layout, values, notMonotonic, Double.NaN, Double.NaN);
  }

  /**
   * As {@link #delta(String, String, long, long, long, double[], int)}, for points that also carry
   * their lifetime min and max (NaN when absent): a new lifetime extreme happened in this interval.
   */
  public Delta delta(
      String service,
      String id,
      long startNanos,
      long timeNanos,
      long layout,
      double[] values,
      int notMonotonic,
      double min,
      double max) {
    Streams streams = streams(service, Math.floorMod(id.hashCode(), WindowState.BUCKETS));
    Last prev = streams.last.get(id);
    Last now = new Last(startNanos, timeNanos, layout, values, min, max);
    if (prev == null) {
      streams.put(id, now, dirty);
      boolean fresh = startNanos > 0 && timeNanos - startNanos <= windowNanos;
      return fresh ? new Delta(values, false, true, min, max) : null;
    }
    if (timeNanos <= prev.timeNanos) {
      return null;
    }
    streams.put(id, now, dirty);
    if (prev.layout != layout || prev.values.length != values.length) {
      return null;
    }
    double[] delta = new double[values.length];
    boolean reset = startNanos != 0 && prev.startNanos != 0 && startNanos != prev.startNanos;
    for (int i = 0; i < values.length; i++) {
      delta[i] = values[i] - prev.values[i];
      if (delta[i] < 0 && i != notMonotonic) {
        reset = true;
      }
    }
    if (reset) {
      return new Delta(values, true, true, min, max);
    }
    return new Delta(
        delta, false, false, min < prev.min ? min : Double.NaN, max > prev.max ? max : Double.NaN);
  }

  /** Writes the streams of every service touched since the last flush. */
  public void flush() {
    for (Streams streams : dirty) {
      Bytes key = key(streams.service, streams.bucket);
      if (streams.last.isEmpty()) {
        store.delete(key);
      } else {
        store.put(key, streams.encode());
      }
      streams.dirty = false;
    }
    dirty.clear();
  }

  /**
   * Removes streams whose last point is older than the TTL before {@code nowMs}; returns how many.
   */
  public int expire(long nowMs) {
    long cutoffNanos = (nowMs - ttlMs) * 1_000_000L;
    List<byte[]> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        keys.add(entry.key.get());
      }
    }
    int expired = 0;
    for (byte[] key : keys) {
      String service = new String(key, 0, key.length - 2, StandardCharsets.UTF_8);
      Streams streams = streams(service, key[key.length - 1]);
      for (Iterator<Last> it = streams.last.values().iterator(); it.hasNext(); ) {
        if (it.next().timeNanos < cutoffNanos) {
          it.remove();
          expired++;
          if (!streams.dirty) {
            streams.dirty = true;
            dirty.add(streams);
          }
        }
      }
    }
    flush();
    services.values().removeIf(s -> s.last.isEmpty());
    return expired;
  }

  private Streams streams(String service, int bucket) {
    String name = service + '\u0000' + (char) bucket;
    Streams streams = services.get(name);
    if (streams == null) {
      streams = new Streams(service, bucket);
      byte[] stored = store.get(key(service, bucket));
      if (stored != null) {
        streams.decode(stored);
      }
      services.put(name, streams);
    }
    return streams;
  }

  private static Bytes key(String service, int bucket) {
    byte[] name = service.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(name.length + 2).put(name).put((byte) 0).put((byte) bucket).array());
  }

  private record Last(
      long startNanos, long timeNanos, long layout, double[] values, double min, double max) {}

  /** The last points of the cumulative streams of one service in one bucket. */
  private static final class Streams {
    final String service;
    final int bucket;
    final Map<String, Last> last = new HashMap<>();
    boolean dirty;

    Streams(String service, int bucket) {
      this.service = service;
      this.bucket = bucket;
    }

    void put(String id, Last point, List<Streams> dirtyList) {
      last.put(id, point);
      if (!dirty) {
        dirty = true;
        dirtyList.add(this);
      }
    }

    byte[] encode() {
      List<byte[]> ids = new ArrayList<>(last.size());
      int size = 4;
      for (Map.Entry<String, Last> entry : last.entrySet()) {
        byte[] id = entry.getKey().getBytes(StandardCharsets.UTF_8);
        ids.add(id);
        size += 4 + id.length + 8 * 3 + 4 + 8 * entry.getValue().values.length + 16;
      }
      ByteBuffer buf = ByteBuffer.allocate(size).putInt(last.size());
      int i = 0;
      for (Last point : last.values()) {
        byte[] id = ids.get(i++);
        buf.putInt(id.length).put(id);
        buf.putLong(point.startNanos).putLong(point.timeNanos).putLong(point.layout);
        buf.putInt(point.values.length);
        for (double v : point.values) {
          buf.putDouble(v);
        }
        buf.putDouble(point.min).putDouble(point.max);
      }
      return buf.array();
    }

    void decode(byte[] bytes) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      int n = buf.getInt();
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[buf.getInt()];
        buf.get(id);
        long start = buf.getLong();
        long time = buf.getLong();
        long layout = buf.getLong();
        double[] values = new double[buf.getInt()];
        for (int j = 0; j < values.length; j++) {
          values[j] = buf.getDouble();
        }
        last.put(
            new String(id, StandardCharsets.UTF_8),
            new Last(start, time, layout, values, buf.getDouble(), buf.getDouble()));
      }
    }
  }
}
