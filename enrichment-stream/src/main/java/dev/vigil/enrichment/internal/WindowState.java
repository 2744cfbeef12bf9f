package dev.vigil.enrichment.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
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
 * <p>Each window is emitted up to twice ({@link #emitDue}). Its <b>first emission</b> (every
 * series, revision 0) comes once the watermark reaches its end plus the emit delay. The window
 * stays open until its end plus the grace: a series that receives input after the first emission is
 * marked, and when the window closes it is emitted again with its final values, as revision 1 when
 * it was part of the first emission, as revision 0 when it first appeared after it (there is
 * nothing to revise). Unmarked series are not emitted again. Input older than end plus grace is
 * late and {@link #aggregate} refuses it. With emit delay = grace a window is emitted once, when it
 * closes.
 *
 * <p>Restarts: the windows whose first emission happened are persisted after the watermark, in its
 * entry, and the marks with the aggregates, in a trailer of the store entry. Both were absent
 * before early emission (then no open window was emitted yet, and nothing is marked), and older
 * code ignores both. The first emissions are stored rather than derived from the watermark
 * (watermark &ge; end + emit delay) because the delay may change between runs: upgrading from the
 * code before early emission (in effect delay = grace) would otherwise lose every window between
 * its end plus the new delay and its close, and a longer delay would emit some windows twice as
 * revision 0.
 *
 * <p>The cardinality guard admits at most {@code maxSeriesPerService} distinct series per service
 * and window; the rest share the service's overflow series.
 */
public final class WindowState {
  /** Store entries per service and window. */
  public static final int BUCKETS = 8;

  private static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[0]);

  /** Marks a store entry's trailer: one {@link Change} ordinal per series follows, in order. */
  private static final byte CHANGES_TRAILER = 1;

  private final long windowMs;
  private final long graceMs;
  private final long emitDelayMs;
  private final int maxSeriesPerService;
  private final double accuracy;
  private final TreeMap<Long, Window> open = new TreeMap<>();
  private final List<Bucket> dirty = new ArrayList<>();

  /** The series {@link #aggregate} found last; only ever one of an open window. */
  private ServiceSeries last;

  private KeyValueStore<Bytes, byte[]> store;
  private long watermark = Long.MIN_VALUE;
  private long storedWatermark = Long.MIN_VALUE;
  private boolean firstEmissionsChanged;
  private boolean overflowed;

  /**
   * Window state with the given window length, grace, emit delay (0..grace: when after its end a
   * window is first emitted), series cap and sketch accuracy.
   */
  public WindowState(
      long windowMs, long graceMs, long emitDelayMs, int maxSeriesPerService, double accuracy) {
    if (emitDelayMs < 0 || emitDelayMs > graceMs) {
      throw new IllegalArgumentException(
          "emit delay must be in [0, grace " + graceMs + "], got " + emitDelayMs);
    }
    this.windowMs = windowMs;
    this.graceMs = graceMs;
    this.emitDelayMs = emitDelayMs;
    this.maxSeriesPerService = maxSeriesPerService;
    this.accuracy = accuracy;
  }

  /** Loads the open windows and the watermark from the store. */
  public void init(KeyValueStore<Bytes, byte[]> kvStore) {
    this.store = Objects.requireNonNull(kvStore, "store");
    open.clear();
    dirty.clear();
    last = null;
    watermark = Long.MIN_VALUE;
    firstEmissionsChanged = false;
    List<Long> firstEmitted = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        byte[] key = entry.key.get();
        if (key.length == 0) {
          ByteBuffer value = ByteBuffer.wrap(entry.value);
          watermark = value.getLong();
          while (value.hasRemaining()) {
            firstEmitted.add(value.getLong());
          }
          continue;
        }
        long start = ByteBuffer.wrap(key, 0, 8).getLong();
        String service = new String(key, 8, key.length - 10, StandardCharsets.UTF_8);
        ServiceSeries series = open.computeIfAbsent(start, Window::new).of(service);
        series.decode(key[key.length - 1], entry.value, accuracy);
      }
    }
    storedWatermark = watermark;
    for (long start : firstEmitted) {
      Window window = open.get(start);
      if (window != null) {
        window.firstEmitted = true;
      }
    }
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
    if (closed(start)) {
      return null;
    }
    ServiceSeries series = last;
    if (series == null || series.window.start != start || !series.service.equals(service)) {
      // A batch is one service's and mostly one window's: its points skip both lookups.
      series = open.computeIfAbsent(start, Window::new).of(service);
      last = series;
    }
    Window window = series.window;
    Aggregate aggregate = series.aggregates.get(id);
    boolean created = false;
    if (aggregate == null) {
      if (series.admitted >= maxSeriesPerService) {
        overflowed = true;
        id = SeriesIds.overflow(service);
        aggregate = series.aggregates.get(id);
        if (aggregate == null) {
          aggregate = new Aggregate(Aggregate.Kind.OVERFLOW, null, accuracy);
          series.put(id, aggregate);
          created = true;
        }
      } else {
        aggregate = new Aggregate(kind, unit, accuracy);
        series.put(id, aggregate);
        series.admitted++;
        created = true;
      }
    } else if (aggregate.kind() == Aggregate.Kind.OVERFLOW) {
      overflowed = true;
    }
    if (window.firstEmitted) {
      series.changed(id, created);
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
      store.put(bucket.key, bucket.encode());
      bucket.dirty = false;
    }
    dirty.clear();
    persistWatermark();
  }

  /**
   * Writes the watermark, followed by the starts of the open windows already first emitted, when
   * either changed. Code before early emission wrote the watermark alone and reads only it.
   */
  private void persistWatermark() {
    if (watermark == storedWatermark && !firstEmissionsChanged) {
      return;
    }
    List<Long> emitted = new ArrayList<>(2);
    for (Window window : open.values()) {
      if (window.firstEmitted) {
        emitted.add(window.start);
      }
    }
    ByteBuffer value = ByteBuffer.allocate(8 + 8 * emitted.size()).putLong(watermark);
    emitted.forEach(value::putLong);
    store.put(WATERMARK_KEY, value.array());
    storedWatermark = watermark;
    firstEmissionsChanged = false;
  }

  /**
   * Emits what the watermark has made due, oldest window first: the first emission of every window
   * whose end plus emit delay it has reached, and the changed series of every window whose end plus
   * grace it has reached, which are then removed. Writes pending changes, the watermark and which
   * windows were first emitted to the store, so that a restored task neither repeats nor loses an
   * emission.
   */
  public void emitDue(WindowConsumer consumer) {
    flush();
    Iterator<Map.Entry<Long, Window>> windows = open.entrySet().iterator();
    while (windows.hasNext()) {
      Window window = windows.next().getValue();
      long start = window.start;
      if (!firstDue(start)) {
        break;
      }
      boolean closing = closed(start);
      if (!window.firstEmitted) {
        window.firstEmitted = true;
        firstEmissionsChanged = true;
        emitAll(window, consumer);
      } else if (closing) {
        emitChanged(window, consumer);
      }
      if (closing) {
        firstEmissionsChanged |= window.firstEmitted;
        for (ServiceSeries series : window.services.values()) {
          for (Bucket bucket : series.buckets) {
            if (bucket != null) {
              store.delete(bucket.key);
            }
          }
        }
        windows.remove();
        if (last != null && last.window == window) {
          last = null;
        }
      }
    }
    persistWatermark();
  }

  private void emitAll(Window window, WindowConsumer consumer) {
    long end = window.start + windowMs;
    for (ServiceSeries series : window.inOrder()) {
      for (Bucket bucket : series.buckets) {
        if (bucket == null) {
          continue;
        }
        for (String id : bucket.ids) {
          consumer.accept(window.start, end, id, series.aggregates.get(id), Emission.FIRST);
        }
      }
    }
  }

  private void emitChanged(Window window, WindowConsumer consumer) {
    long end = window.start + windowMs;
    for (ServiceSeries series : window.inOrder()) {
      if (series.changes.isEmpty()) {
        continue;
      }
      for (Bucket bucket : series.buckets) {
        if (bucket == null) {
          continue;
        }
        for (String id : bucket.ids) {
          Change change = series.changes.get(id);
          if (change != null) {
            Emission emission = change == Change.REVISED ? Emission.REVISION : Emission.DELAYED;
            consumer.accept(window.start, end, id, series.aggregates.get(id), emission);
          }
        }
      }
    }
  }

  /** Whether the watermark has reached the end plus grace of the window starting at start. */
  private boolean closed(long start) {
    return watermark != Long.MIN_VALUE && start + windowMs + graceMs <= watermark;
  }

  /** Whether the watermark has reached the end plus emit delay of the window starting at start. */
  private boolean firstDue(long start) {
    return watermark != Long.MIN_VALUE && start + windowMs + emitDelayMs <= watermark;
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

  /** Receives one emitted window of one series. */
  @FunctionalInterface
  public interface WindowConsumer {
    /** Called once per series and emission. */
    void accept(
        long windowStart, long windowEnd, String id, Aggregate aggregate, Emission emission);
  }

  /** Why a series' window is emitted, which decides its revision. */
  public enum Emission {
    /** The window's first emission, at end + emit delay: revision 0. */
    FIRST(0),
    /** At end + grace, a series of the first emission that changed since: revision 1. */
    REVISION(1),
    /** At end + grace, a series that first appeared after the first emission: revision 0. */
    DELAYED(0);

    private final int revision;

    Emission(int revision) {
      this.revision = revision;
    }

    /** The {@code revision} field of the emitted record. */
    public int revision() {
      return revision;
    }
  }

  /** What happened to a series after its window's first emission (persisted as the ordinal). */
  private enum Change {
    /** Nothing (or the first emission has not happened yet): not emitted again. */
    NONE,
    /** Was in the first emission and received input after it. */
    REVISED,
    /** Appeared after the first emission. */
    DELAYED
  }

  private static final class Window {
    final long start;
    final Map<String, ServiceSeries> services = new HashMap<>();

    /** Whether the first emission happened; then input marks the series it changes. */
    boolean firstEmitted;

    Window(long start) {
      this.start = start;
    }

    ServiceSeries of(String service) {
      return services.computeIfAbsent(service, s -> new ServiceSeries(this, s));
    }

    /**
     * The services by name. Emissions go service by service in this order, and within a service
     * bucket by bucket in each bucket's order of arrival, which the store entries keep: a restored
     * task emits in the same order as one that kept running.
     */
    List<ServiceSeries> inOrder() {
      List<ServiceSeries> sorted = new ArrayList<>(services.values());
      sorted.sort(Comparator.comparing(series -> series.service));
      return sorted;
    }
  }

  /** The series of one service in one window. */
  private static final class ServiceSeries {
    final Window window;
    final String service;
    final Map<String, Aggregate> aggregates = new HashMap<>();

    /** Series changed after the first emission; the rest are {@link Change#NONE}. */
    final Map<String, Change> changes = new HashMap<>();

    final Bucket[] buckets = new Bucket[BUCKETS];
    int admitted;

    ServiceSeries(Window window, String service) {
      this.window = window;
      this.service = service;
    }

    void put(String id, Aggregate aggregate) {
      aggregates.put(id, aggregate);
      bucket(id).add(id);
    }

    /** Marks input to series {@code id} after the first emission. */
    void changed(String id, boolean created) {
      if (created) {
        changes.put(id, Change.DELAYED);
      } else {
        changes.putIfAbsent(id, Change.REVISED);
      }
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
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[buf.getInt()];
        buf.get(id);
        byte[] value = new byte[buf.getInt()];
        buf.get(value);
        String seriesId = new String(id, StandardCharsets.UTF_8);
        ids[i] = seriesId;
        put(seriesId, Aggregate.decode(value, accuracy));
        if (!SeriesIds.isOverflow(seriesId)) {
          admitted++;
        }
      }
      // Entries written before early emission end here: nothing marked.
      if (buf.hasRemaining()) {
        byte trailer = buf.get();
        if (trailer != CHANGES_TRAILER) {
          throw new IllegalStateException("unknown window entry trailer " + trailer);
        }
        Change[] all = Change.values();
        for (String id : ids) {
          Change change = all[buf.get()];
          if (change != Change.NONE) {
            changes.put(id, change);
          }
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

    /** The store key, and each series id in UTF-8: built once, written at every flush. */
    final Bytes key;

    final List<String> ids = new ArrayList<>();
    final List<byte[]> idBytes = new ArrayList<>();
    boolean dirty;

    Bucket(ServiceSeries series, int index) {
      this.series = series;
      this.key = key(series.window.start, series.service, index);
    }

    void add(String id) {
      ids.add(id);
      idBytes.add(id.getBytes(StandardCharsets.UTF_8));
    }

    byte[] encode() {
      int n = ids.size();
      byte[][] values = new byte[n][];
      boolean marked = false;
      int size = 4;
      for (int i = 0; i < n; i++) {
        String id = ids.get(i);
        values[i] = series.aggregates.get(id).encode();
        size += 4 + idBytes.get(i).length + 4 + values[i].length;
        marked |= series.changes.containsKey(id);
      }
      // The trailer only when a series is marked: most entries never are, and stay as they were.
      if (marked) {
        size += 1 + n;
      }
      ByteBuffer buf = ByteBuffer.allocate(size).putInt(n);
      for (int i = 0; i < n; i++) {
        buf.putInt(idBytes.get(i).length).put(idBytes.get(i));
        buf.putInt(values[i].length).put(values[i]);
      }
      if (marked) {
        buf.put(CHANGES_TRAILER);
        for (String id : ids) {
          buf.put((byte) series.changes.getOrDefault(id, Change.NONE).ordinal());
        }
      }
      return buf.array();
    }
  }
}
