package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.enrichment.EnrichmentSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pairing keeps its in-memory indexes (expiry by time, the orphans waiting for each parent) and
 * its expiry clock in step with its stores: a task restored from the stores adopts orphans, expires
 * spans, and pairs exactly what a task that kept running pairs.
 */
class EdgePairingRestoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String TRACE = "0102030405060708090a0b0c0d0e0f10";

  private final EnrichmentSettings settings = EnrichmentSettings.defaults();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EnrichmentMetrics metrics = new EnrichmentMetrics(registry);
  private KeyValueStore<Bytes, byte[]> pending;
  private KeyValueStore<Bytes, byte[]> orphans;

  @BeforeEach
  void stores() {
    pending = store(EdgePairingProcessor.PENDING_STORE);
    orphans = store(EdgePairingProcessor.ORPHAN_STORE);
  }

  @Test
  void aRestoredTaskAdoptsTheOrphanItFindsInItsStore() {
    MockProcessorContext<String, byte[]> before = context();
    EdgePairingProcessor first = started(before);
    first.process(spans(span(2, 1, Span.SpanKind.SPAN_KIND_SERVER, "inventory", 0)));
    assertThat(before.forwarded()).isEmpty();
    assertThat(count(orphans)).isEqualTo(1);

    MockProcessorContext<String, byte[]> after = context();
    EdgePairingProcessor restored = started(after);
    restored.process(spans(span(1, 0, Span.SpanKind.SPAN_KIND_CLIENT, "checkout", 0)));

    assertThat(after.forwarded()).hasSize(1);
    assertThat(after.forwarded().get(0).record().key())
        .isEqualTo(SeriesIds.edge("checkout", "inventory"));
    assertThat(count(orphans)).isZero();
  }

  @Test
  void aRestoredTaskExpiresWhatWasWaitingBeforeTheRestart() {
    MockProcessorContext<String, byte[]> before = context();
    EdgePairingProcessor first = started(before);
    first.process(spans(span(3, 0, Span.SpanKind.SPAN_KIND_CLIENT, "checkout", 0)));
    first.process(spans(span(5, 4, Span.SpanKind.SPAN_KIND_SERVER, "payment", 0)));
    assertThat(count(pending)).isEqualTo(2);
    assertThat(count(orphans)).isEqualTo(1);

    MockProcessorContext<String, byte[]> after = context();
    EdgePairingProcessor restored = started(after);
    long later = settings.pairingTtl().toMillis() + 10_000;
    restored.process(
        spans(span(9, 0, Span.SpanKind.SPAN_KIND_INTERNAL, "frontend", later), T0 + later));

    // A record 40 s later: the two early spans and the orphan expired; the late one waits.
    assertThat(count(pending)).isEqualTo(1);
    assertThat(count(orphans)).isZero();
    assertThat(registry.get("vigil.enrichment.spans.unpaired").counter().count())
        .isEqualTo(2.0); // the unserved client without a named peer, and the orphan
  }

  @Test
  void aTaskRestartedBeforeAnyRecordPairsExactlyWhatAnUninterruptedTaskPairs() {
    long ttl = settings.pairingTtl().toMillis();
    // Client spans of checkout (record times 0, 7, 14, 21, 28 s) and their server children in
    // payment, arriving 1 s, TTL - 0.5 s, TTL + 0.5 s and 2 x TTL after their parents, the last one
    // at its parent's time after all of those (record times out of order). Expiry runs when record
    // time enters a new second, so children 0 to 2 meet their parent (child 2 in the second of
    // grace the tick gives), child 3 comes too late, and child 4 arrives after the clock passed.
    List<Record<String, byte[]>> records = new ArrayList<>();
    long[] delays = {1_000, ttl - 500, ttl + 500, 2 * ttl, 0};
    for (int i = 0; i < delays.length; i++) {
      records.add(
          spans(
              span(10 + 2 * i, 0, Span.SpanKind.SPAN_KIND_CLIENT, "checkout", 0), T0 + 7_000L * i));
    }
    for (int i = 0; i < delays.length; i++) {
      records.add(
          spans(
              span(11 + 2 * i, 10 + 2 * i, Span.SpanKind.SPAN_KIND_SERVER, "payment", 0),
              T0 + 7_000L * i + delays[i]));
    }
    records.add(spans(span(99, 0, Span.SpanKind.SPAN_KIND_INTERNAL, "frontend", 0), T0 + 5 * ttl));

    List<String> uninterrupted = calls(records, -1);
    assertThat(uninterrupted)
        .containsExactly(
            SeriesIds.edge("checkout", "payment") + " 20.0 0",
            SeriesIds.edge("checkout", "payment") + " 20.0 0",
            SeriesIds.edge("checkout", "payment") + " 20.0 0");
    for (int restartAt = 0; restartAt < records.size(); restartAt++) {
      assertThat(calls(records, restartAt))
          .as("restarted before record %d", restartAt)
          .isEqualTo(uninterrupted);
    }
  }

  @Test
  void orphansOfOneParentAreAdoptedOnceEachInStoreKeyOrderRestartedOrNot() {
    // Three children before their parent, out of id order, one of them exported twice.
    List<Record<String, byte[]>> records = new ArrayList<>();
    records.add(spans(span(7, 1, Span.SpanKind.SPAN_KIND_SERVER, "payment", 0)));
    records.add(spans(span(5, 1, Span.SpanKind.SPAN_KIND_SERVER, "inventory", 0)));
    records.add(spans(span(6, 1, Span.SpanKind.SPAN_KIND_SERVER, "shipping", 0)));
    records.add(spans(span(5, 1, Span.SpanKind.SPAN_KIND_SERVER, "inventory", 0)));
    records.add(spans(span(1, 0, Span.SpanKind.SPAN_KIND_CLIENT, "checkout", 0)));

    List<String> expected =
        List.of(
            SeriesIds.edge("checkout", "inventory") + " 20.0 0",
            SeriesIds.edge("checkout", "shipping") + " 20.0 0",
            SeriesIds.edge("checkout", "payment") + " 20.0 0");
    for (int restartAt = -1; restartAt < records.size(); restartAt++) {
      assertThat(calls(records, restartAt))
          .as("restarted before record %d", restartAt)
          .isEqualTo(expected);
      assertThat(count(orphans)).isZero();
    }
  }

  private EdgePairingProcessor started(MockProcessorContext<String, byte[]> context) {
    EdgePairingProcessor processor = new EdgePairingProcessor(settings, metrics);
    processor.init(context);
    return processor;
  }

  private MockProcessorContext<String, byte[]> context() {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
    context.addStateStore(pending);
    context.addStateStore(orphans);
    return context;
  }

  /**
   * The calls a run of the pairing forwards, as "edge duration error" lines, with a restart (a new
   * processor on the same stores, as after a crash) before record {@code restartAt} (-1: none).
   */
  private List<String> calls(List<Record<String, byte[]>> records, int restartAt) {
    pending = store(EdgePairingProcessor.PENDING_STORE);
    orphans = store(EdgePairingProcessor.ORPHAN_STORE);
    List<String> calls = new ArrayList<>();
    MockProcessorContext<String, byte[]> context = context();
    EdgePairingProcessor processor = started(context);
    for (int i = 0; i < records.size(); i++) {
      if (i == restartAt) {
        calls.addAll(forwarded(context));
        context = context();
        processor = started(context);
      }
      processor.process(records.get(i));
    }
    calls.addAll(forwarded(context));
    return calls;
  }

  private static List<String> forwarded(MockProcessorContext<String, byte[]> context) {
    return context.forwarded().stream()
        .map(
            f -> {
              ByteBuffer call = ByteBuffer.wrap(f.record().value());
              return f.record().key() + " " + call.getDouble() + " " + call.get();
            })
        .toList();
  }

  private static Record<String, byte[]> spans(SpanRef span) {
    return spans(span, T0);
  }

  private static Record<String, byte[]> spans(SpanRef span, long recordTimeMs) {
    return new Record<>(TRACE, SpanRef.encodeAll(List.of(span)), recordTimeMs);
  }

  private static SpanRef span(int id, int parent, Span.SpanKind kind, String service, long atMs) {
    long start = (T0 + atMs) * 1_000_000L;
    return new SpanRef(
        id(id),
        parent == 0 ? new byte[0] : id(parent),
        kind,
        service,
        start,
        start + 20_000_000L,
        false,
        "",
        dev.vigil.schemas.NodeKind.SERVICE,
        false);
  }

  private static byte[] id(int n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  /** Spans waiting in {@code store} (the pending store also holds the expiry clock). */
  private static long count(KeyValueStore<Bytes, byte[]> store) {
    try (var all = store.all()) {
      long n = 0;
      while (all.hasNext()) {
        if (all.next().key.get().length > 0) {
          n++;
        }
      }
      return n;
    }
  }

  private static KeyValueStore<Bytes, byte[]> store(String name) {
    KeyValueStore<Bytes, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
    return store;
  }
}
