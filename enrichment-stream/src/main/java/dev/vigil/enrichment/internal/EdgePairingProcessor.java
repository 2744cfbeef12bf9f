package dev.vigil.enrichment.internal;

import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.schemas.NodeKind;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pairs the spans of each trace into service-graph calls (input partitioned by trace id).
 *
 * <ul>
 *   <li>A client or producer span and its server or consumer child in another service form a call
 *       client -> server, with the client's duration and failed if either side failed.
 *   <li>Fallback, for spans without kinds or traces with server spans only: a parent and a child in
 *       different services form a call parent -> child, with the child's duration.
 *   <li>A client span with {@code db.system} calls a virtual DATABASE or CACHE node at once; an
 *       unpaired client or producer span naming {@code messaging.system}, {@code peer.service} or
 *       {@code server.address} calls a virtual QUEUE or EXTERNAL node when it expires.
 * </ul>
 *
 * <p>Spans wait for their partner in bounded state (at most {@code maxPendingSpans} per task; more
 * are refused and counted) for {@code pairingTtl} of record time: from the timestamp of the record
 * that brought them (when the bridge received the export) until a record {@code pairingTtl} later
 * arrives; spans that expire without a partner are counted as unpaired. Record time, not span time:
 * one export may hold spans started a minute apart (a long parent is exported when it ends, after
 * its children), and its partner comes in another service's export at about the same time.
 *
 * <p>Expiry runs between records, when record time enters a new second, and that second is stored:
 * what pairs depends only on the records and their order, so a task restored after a crash pairs
 * exactly what one that kept running pairs (a wall-clock schedule made it depend on when the expiry
 * happened to run). Output: one record per call, keyed by edge id, with the call's time as
 * timestamp.
 */
public final class EdgePairingProcessor implements Processor<String, byte[], String, byte[]> {
  /** Spans by trace id and span id, waiting to be a parent. */
  public static final String PENDING_STORE = "enrichment-edge-pending";

  /** Spans by trace id, parent id and span id, waiting for their parent. */
  public static final String ORPHAN_STORE = "enrichment-edge-orphans";

  /** The pending store's entry holding the expiry clock (a span key is never empty). */
  private static final Bytes CLOCK_KEY = Bytes.wrap(new byte[0]);

  /** Expiry runs once per second of record time: a span waits from its TTL to TTL + 1 s. */
  private static final long TICK_MS = 1_000;

  private final long ttlMs;
  private final int maxPending;
  private final Counter unpaired;
  private final Counter refused;
  private final Counter accepted;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<Bytes, byte[]> pending;
  private KeyValueStore<Bytes, byte[]> orphans;
  private long pendingCount;

  /** The latest second of record time expiry ran for ({@link #CLOCK_KEY}). */
  private long clockTick = Long.MIN_VALUE;

  // Why these in-memory indexes: without them every expiry tick decoded every waiting span (each
  // span ~ttl/5s times) and every span opened a store iterator to look for orphaned children.
  // All are rebuilt from the stores in init(), so they follow restores and task migrations.
  private final ExpiryIndex<Bytes> pendingByTime = new ExpiryIndex<>();
  private final ExpiryIndex<Orphan> orphansByTime = new ExpiryIndex<>();
  private final OrphanIndex orphansByParent = new OrphanIndex();

  /** A processor with the given settings, counting into {@code metrics}. */
  public EdgePairingProcessor(EnrichmentSettings settings, EnrichmentMetrics metrics) {
    this.ttlMs = settings.pairingTtl().toMillis();
    this.maxPending = settings.maxPendingSpans();
    this.unpaired = metrics.unpairedSpans();
    this.refused = metrics.pendingSpansRefused();
    this.accepted = metrics.accepted(EnrichmentMetrics.Source.EDGES);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> processorContext) {
    this.context = processorContext;
    this.pending = processorContext.getStateStore(PENDING_STORE);
    this.orphans = processorContext.getStateStore(ORPHAN_STORE);
    pendingCount = 0;
    pendingByTime.clear();
    orphansByTime.clear();
    orphansByParent.clear();
    clockTick = Long.MIN_VALUE;
    try (KeyValueIterator<Bytes, byte[]> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        if (entry.key.equals(CLOCK_KEY)) {
          clockTick = ByteBuffer.wrap(entry.value).getLong();
          continue;
        }
        pendingCount++;
        pendingByTime.add(arrivalMs(entry.value, SpanRef.decode(entry.value)), entry.key);
      }
    }
    try (KeyValueIterator<Bytes, byte[]> all = orphans.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        SpanRef span = SpanRef.decode(entry.value);
        Orphan orphan = new Orphan(entry.key, entry.key.get().length - span.spanId().length);
        orphansByTime.add(arrivalMs(entry.value, span), orphan);
        orphansByParent.add(orphan.key, orphan.parentPrefix);
      }
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    long arrivalMs = record.timestamp();
    long tick = Math.floorDiv(arrivalMs, TICK_MS);
    if (tick > clockTick) {
      clockTick = tick;
      pending.put(CLOCK_KEY, ByteBuffer.allocate(8).putLong(tick).array());
      expire(tick * TICK_MS - ttlMs);
    }
    byte[] trace = record.key().getBytes(StandardCharsets.UTF_8);
    for (SpanRef span : SpanRef.decodeAll(record.value())) {
      if (span.isCaller()
          && (span.nodeKind() == NodeKind.DATABASE || span.nodeKind() == NodeKind.CACHE)) {
        emit(span.service(), span.node(), span.nodeKind(), span.durationMs(), span.error(), span);
        span = span.asServed();
      }
      if (span.hasParent()) {
        Bytes parentKey = key(trace, span.parentSpanId(), null);
        byte[] parentBytes = pending.get(parentKey);
        if (parentBytes != null) {
          SpanRef parent = SpanRef.decode(parentBytes);
          if (pair(parent, span) && !parent.served()) {
            pending.put(parentKey, stored(parent.asServed(), arrivalMs(parentBytes, parent)));
          }
        } else {
          Bytes orphanKey = key(trace, span.parentSpanId(), span.spanId());
          orphans.put(orphanKey, stored(span, arrivalMs));
          Orphan orphan = new Orphan(orphanKey, orphanKey.get().length - span.spanId().length);
          orphansByTime.add(arrivalMs, orphan);
          orphansByParent.add(orphanKey, orphan.parentPrefix);
        }
      }
      Bytes own = key(trace, span.spanId(), null);
      List<Bytes> children = orphansByParent.take(own);
      if (children.size() > 1) {
        children.sort(null); // store key order, as a scan of the store would visit them
      }
      for (Bytes childKey : children) {
        byte[] child = orphans.get(childKey);
        if (child != null) {
          if (pair(span, SpanRef.decode(child))) {
            span = span.asServed();
          }
          orphans.delete(childKey);
        }
      }
      remember(own, span, arrivalMs);
    }
  }

  private void remember(Bytes key, SpanRef span, long arrivalMs) {
    if (pendingCount >= maxPending) {
      refused.increment();
      return;
    }
    byte[] before = pending.get(key);
    if (before == null) {
      pendingCount++;
      pendingByTime.add(arrivalMs, key);
      pending.put(key, stored(span, arrivalMs));
    } else {
      // The same span id again: it keeps its first arrival, where the expiry index has it.
      pending.put(key, stored(span, arrivalMs(before, SpanRef.decode(before))));
    }
  }

  /** A span as stored: its encoding, then the record time it arrived at. */
  private static byte[] stored(SpanRef span, long arrivalMs) {
    ByteBuffer value = ByteBuffer.allocate(span.encodedSize() + Long.BYTES);
    span.write(value);
    return value.putLong(arrivalMs).array();
  }

  /**
   * The record time the stored {@code value}, decoded as {@code span}, arrived at. Stores written
   * before 2026-12-07 hold the span alone, and expired by span start: their spans count as arrived
   * at their start.
   */
  private static long arrivalMs(byte[] value, SpanRef span) {
    int size = span.encodedSize();
    return value.length >= size + Long.BYTES
        ? ByteBuffer.wrap(value, size, Long.BYTES).getLong()
        : span.startMs();
  }

  /** Emits the call between a parent and its child, if they form one; true if they did. */
  private boolean pair(SpanRef parent, SpanRef child) {
    if (parent.service().equals(child.service())) {
      return false;
    }
    if (parent.isCaller() && child.isCallee()) {
      emit(
          parent.service(),
          child.service(),
          NodeKind.SERVICE,
          parent.durationMs(),
          parent.error() || child.error(),
          parent);
    } else if (!child.isCaller()) {
      emit(
          parent.service(),
          child.service(),
          NodeKind.SERVICE,
          child.durationMs(),
          child.error(),
          child);
    } else {
      return false;
    }
    return true;
  }

  private void emit(
      String client, String server, NodeKind kind, double durationMs, boolean error, SpanRef at) {
    accepted.increment();
    byte[] call =
        ByteBuffer.allocate(10)
            .putDouble(durationMs)
            .put((byte) (error ? 1 : 0))
            .put((byte) kind.ordinal())
            .array();
    context.forward(new Record<>(SeriesIds.edge(client, server), call, at.startMs()));
  }

  /** Lets go of every span that arrived before {@code cutoff}: unpaired, or a virtual node call. */
  private void expire(long cutoff) {
    for (Bytes key : pendingByTime.removeBefore(cutoff)) {
      byte[] value = pending.get(key);
      if (value == null) {
        continue;
      }
      pending.delete(key);
      pendingCount--;
      SpanRef span = SpanRef.decode(value);
      if (span.isCaller() && !span.served()) {
        if (!span.node().isEmpty()) {
          emit(span.service(), span.node(), span.nodeKind(), span.durationMs(), span.error(), span);
        } else {
          unpaired.increment();
        }
      }
    }
    long lost = 0;
    for (Orphan orphan : orphansByTime.removeBefore(cutoff)) {
      orphansByParent.remove(orphan.key, orphan.parentPrefix);
      if (orphans.get(orphan.key) != null) {
        orphans.delete(orphan.key);
        lost++;
      }
    }
    unpaired.increment(lost);
  }

  private static Bytes key(byte[] trace, byte[] spanId, byte[] childId) {
    ByteBuffer buf =
        ByteBuffer.allocate(trace.length + spanId.length + (childId == null ? 0 : childId.length));
    buf.put(trace).put(spanId);
    if (childId != null) {
      buf.put(childId);
    }
    return Bytes.wrap(buf.array());
  }

  /** An orphan's store key; its first {@code parentPrefix} bytes are the trace and parent id. */
  private record Orphan(Bytes key, int parentPrefix) {}
}
