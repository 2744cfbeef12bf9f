package dev.vigil.enrichment.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Open event-time tumbling windows of one task, backed by a changelogged key-value store, with the
 * task's watermark and the cardinality guard.
 *
 * <p>Store keys are the window start (8 bytes, big-endian) followed by the series id (UTF-8); the
 * empty key holds the watermark, the largest event time seen. Aggregates live decoded in memory and
 * are written back once per input record ({@link #flush()}), so a batch of many points costs one
 * store write per touched series; the store is rebuilt into memory on {@link #init}.
 *
 * <p>A window closes once the watermark reaches its end plus the grace; input older than that is
 * late and {@link #aggregate} refuses it. The cardinality guard admits at most {@code
 * maxSeriesPerService} distinct series per service and window; the rest share the service's
 * overflow series.
 */
public final class WindowState {
  private static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[0]);

  private final long windowMs;
  private final long graceMs;
  private final int maxSeriesPerService;
  private final double accuracy;
  private final TreeMap<Long, Window> open = new TreeMap<>();
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
        String id = new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
        Window window = open.computeIfAbsent(start, Window::new);
        window.series.put(id, Aggregate.decode(entry.value, accuracy));
        if (!SeriesIds.isOverflow(id)) {
          window.perService.merge(SeriesIds.service(id), 1, Integer::sum);
        }
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
    Window window = open.computeIfAbsent(start, Window::new);
    Aggregate aggregate = window.series.get(id);
    if (aggregate == null) {
      int seen = window.perService.getOrDefault(service, 0);
      if (seen >= maxSeriesPerService) {
        overflowed = true;
        id = SeriesIds.overflow(service);
        aggregate = window.series.get(id);
        if (aggregate == null) {
          aggregate = new Aggregate(Aggregate.Kind.OVERFLOW, null, accuracy);
          window.series.put(id, aggregate);
        }
      } else {
        aggregate = new Aggregate(kind, unit, accuracy);
        window.series.put(id, aggregate);
        window.perService.put(service, seen + 1);
      }
    } else if (aggregate.kind() == Aggregate.Kind.OVERFLOW) {
      overflowed = true;
    }
    window.dirty.add(id);
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

  /** Writes every aggregate touched since the last flush, and the watermark, to the store. */
  public void flush() {
    for (Window window : open.values()) {
      for (String id : window.dirty) {
        Aggregate aggregate = window.series.get(id);
        store.put(key(window.start, id), aggregate.encode());
      }
      window.dirty.clear();
    }
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
      for (Map.Entry<String, Aggregate> series : entry.getValue().series.entrySet()) {
        consumer.accept(start, start + windowMs, series.getKey(), series.getValue());
        store.delete(key(start, series.getKey()));
      }
      windows.remove();
    }
  }

  /** Open windows (for tests and state accounting). */
  public int openWindows() {
    return open.size();
  }

  private static Bytes key(long start, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + idBytes.length).putLong(start).put(idBytes).array());
  }

  /** Receives one closed window of one series. */
  @FunctionalInterface
  public interface ClosedWindowConsumer {
    /** Called once per series of a closed window. */
    void accept(long windowStart, long windowEnd, String id, Aggregate aggregate);
  }

  private static final class Window {
    final long start;
    final Map<String, Aggregate> series = new HashMap<>();
    final Map<String, Integer> perService = new HashMap<>();
    final Set<String> dirty = new HashSet<>();

    Window(long start) {
      this.start = start;
    }
  }
}
