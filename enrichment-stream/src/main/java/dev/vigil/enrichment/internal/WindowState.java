package dev.vigil.enrichment.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Open event-time tumbling windows of one task, backed by a changelogged key-value store, with the
 * task's watermark and the cardinality guard.
 *
 * <p>One store entry holds every series of one service in one window: the key is the window start
 * (8 bytes, big-endian) followed by the service name (UTF-8), the value the service's aggregates. A
 * per-service batch (one OTLP resource) thus costs one store write and one changelog record per
 * window it touches, not one per series. The empty key holds the watermark, the largest event time
 * seen. Aggregates live decoded in memory, are written back once per input record ({@link
 * #flush()}), and are rebuilt from the store on {@link #init}.
 *
 * <p>A window closes once the watermark reaches its end plus the grace; input older than that is
 * late and {@link #aggregate} refuses it. The cardinality guard admits at most {@code
 * maxSeriesPerService} distinct series per service and window; the rest share the service's
 * overflow series.
 */
public final class WindowState {
  /** Store entries per service and window. */
  public static final int BUCKETS = 8;

  private static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[0]);

  private final long windowMs;
  private final long graceMs;
  private final int maxSeriesPerService;
  private final double accuracy;
  private final TreeMap<Long, Window> open = new TreeMap<>();
  private final List<Bucket> dirty = new ArrayList<>();
  private KeyValueStore<Bytes, byte[]> store;
  private long watermark = Long.MIN_VALUE;
  private long storedWatermark = Long.MIN_VALUE;
  private boolean overflowed;

  /** Window state with the given window length, grace, series cap and sketch accuracy. */
  public WindowState(long windowMs, long graceMs, int maxSeriesPerService, double accuracy) {
    this.windowMs = windowMs;
    this.graceMs = graceMs;
    this.maxSeriesPerService = maxSeriesPerService;
    this.accuracy = accuracy;
  }

  /** Loads the open windows and the watermark from the store. */
  public void init(KeyValueStore<Bytes, byte[]> kvStore) {
    this.store = Objects.requireNonNull(kvStore, "store");
    open.clear();
    dirty.clear();
    watermark = Long.MIN_VALUE;
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        byte[] key = entry.key.get();
        if (key.length == 0) {
          watermark = ByteBuffer.wrap(entry.value).getLong();
          continue;
        }
        long start = ByteBuffer.wrap(key, 0, 8).getLong();
        String service = new String(key, 8, key.length - 10, StandardCharsets.UTF_8);
        ServiceSeries series = open.computeIfAbsent(start, Window::new).of(service);
        series.decode(key[key.length - 1], entry.value, accuracy);
      }
    }
    storedWatermark = watermark;
  }

  /**
   * The aggregate of a series in the window of {@code eventTimeMs}, created if new; {@code null}
   * when that window has already closed (late input). When the service is at its cap, the service's
   * overflow aggregate is returned instead: see {@link #lastWasOverflow()}.
   */
  public Aggregate aggregate(
      long eventTimeMs, String service, String id, Aggregate.Kind kind, String unit) {
    long start = eventTimeMs - Math.floorMod(eventTimeMs, windowMs);
    overflowed = false;
    if (watermark != Long.MIN_VALUE && start + windowMs + graceMs <= watermark) {
      return null;
    }
    ServiceSeries series = open.computeIfAbsent(start, Window::new).of(service);
    Aggregate aggregate = series.aggregates.get(id);
    if (aggregate == null) {
      if (series.admitted >= maxSeriesPerService) {
        overflowed = true;
        id = SeriesIds.overflow(service);
        aggregate = series.aggregates.get(id);
        if (aggregate == null) {
          aggregate = new Aggregate(Aggregate.Kind.OVERFLOW, null, accuracy);
          series.put(id, aggregate);
        }
      } else {
        aggregate = new Aggregate(kind, unit, accuracy);
        series.put(id, aggregate);
        series.admitted++;
      }
    } else if (aggregate.kind() == Aggregate.Kind.OVERFLOW) {
      overflowed = true;
    }
    Bucket bucket = series.bucket(id);
    if (!bucket.dirty) {
      bucket.dirty = true;
      dirty.add(bucket);
    }
    return aggregate;
  }

  /** Whether the last {@link #aggregate} call returned an overflow aggregate. */
  public boolean lastWasOverflow() {
    return overflowed;
  }

  /** Raises the watermark (never lowers it). */
  public void advance(long eventTimeMs) {
    if (eventTimeMs > watermark) {
      watermark = eventTimeMs;
    }
  }

  /** The largest event time seen, {@link Long#MIN_VALUE} before any. */
  public long watermark() {
    return watermark;
  }

  /** Writes every service touched since the last flush, and the watermark, to the store. */
  public void flush() {
    for (Bucket bucket : dirty) {
      store.put(key(bucket.start, bucket.service, bucket.index), bucket.encode());
      bucket.dirty = false;
    }
    dirty.clear();
    if (watermark != storedWatermark) {
      store.put(WATERMARK_KEY, ByteBuffer.allocate(8).putLong(watermark).array());
      storedWatermark = watermark;
    }
  }

  /** Removes every window whose end plus grace the watermark has reached, oldest first. */
  public void closeDue(ClosedWindowConsumer consumer) {
    Iterator<Map.Entry<Long, Window>> windows = open.entrySet().iterator();
    while (windows.hasNext()) {
      Map.Entry<Long, Window> entry = windows.next();
      long start = entry.getKey();
      if (start + windowMs + graceMs > watermark) {
        break;
      }
      for (ServiceSeries series : entry.getValue().services.values()) {
        for (Map.Entry<String, Aggregate> aggregate : series.aggregates.entrySet()) {
          consumer.accept(start, start + windowMs, aggregate.getKey(), aggregate.getValue());
        }
        for (Bucket bucket : series.buckets) {
          if (bucket != null) {
            store.delete(key(start, series.service, bucket.index));
          }
        }
      }
      windows.remove();
    }
  }

  /** Open windows (for tests and state accounting). */
  public int openWindows() {
    return open.size();
  }

  private static Bytes key(long start, String service, int bucket) {
    byte[] name = service.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(8 + name.length + 2)
            .putLong(start)
            .put(name)
            .put((byte) 0)
            .put((byte) bucket)
            .array());
  }

  /** Receives one closed window of one series. */
  @FunctionalInterface
  public interface ClosedWindowConsumer {
    /** Called once per series of a closed window. */
    void accept(long windowStart, long windowEnd, String id, Aggregate aggregate);
  }

  private static final class Window {
    final long start;
    final Map<String, ServiceSeries> services = new HashMap<>();

    Window(long start) {
      this.start = start;
    }

    ServiceSeries of(String service) {
      return services.computeIfAbsent(service, s -> new ServiceSeries(start, s));
    }
  }

  /** The series of one service in one window. */
  private static final class ServiceSeries {
    final long start;
    final String service;
    final Map<String, Aggregate> aggregates = new LinkedHashMap<>();
    final Bucket[] buckets = new Bucket[BUCKETS];
    int admitted;

    ServiceSeries(long start, String service) {
      this.start = start;
      this.service = service;
    }

    void put(String id, Aggregate aggregate) {
      aggregates.put(id, aggregate);
      bucket(id).ids.add(id);
    }

    Bucket bucket(String id) {
      int index = Math.floorMod(id.hashCode(), BUCKETS);
      Bucket bucket = buckets[index];
      if (bucket == null) {
        bucket = new Bucket(this, index);
        buckets[index] = bucket;
      }
      return bucket;
    }

    void decode(int index, byte[] bytes, double accuracy) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      int n = buf.getInt();
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[buf.getInt()];
        buf.get(id);
        byte[] value = new byte[buf.getInt()];
        buf.get(value);
        String seriesId = new String(id, StandardCharsets.UTF_8);
        put(seriesId, Aggregate.decode(value, accuracy));
        if (!SeriesIds.isOverflow(seriesId)) {
          admitted++;
        }
      }
      if (buckets[index] == null) {
        buckets[index] = new Bucket(this, index);
      }
    }
  }

  /** The series of one service and window that share one store entry. */
  private static final class Bucket {
    final ServiceSeries series;
    final long start;
    final String service;
    final int index;
    final List<String> ids = new ArrayList<>();
    boolean dirty;

    Bucket(ServiceSeries series, int index) {
      this.series = series;
      this.start = series.start;
      this.service = series.service;
      this.index = index;
    }

    byte[] encode() {
      List<byte[]> idBytes = new ArrayList<>(ids.size());
      List<byte[]> values = new ArrayList<>(ids.size());
      int size = 4;
      for (String id : ids) {
        byte[] idb = id.getBytes(StandardCharsets.UTF_8);
        byte[] value = series.aggregates.get(id).encode();
        idBytes.add(idb);
        values.add(value);
        size += 4 + idb.length + 4 + value.length;
      }
      ByteBuffer buf = ByteBuffer.allocate(size).putInt(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        buf.putInt(idBytes.get(i).length).put(idBytes.get(i));
        buf.putInt(values.get(i).length).put(values.get(i));
      }
      return buf.array();
    }
  }
}
