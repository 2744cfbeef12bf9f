package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.enrichment.EnrichmentSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pairing keeps its in-memory indexes (expiry by time, which parents have orphans waiting) in
 * step with its stores: a task restored from the stores still adopts orphans and expires spans.
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
    restored.process(spans(span(9, 0, Span.SpanKind.SPAN_KIND_INTERNAL, "frontend", later)));
    punctuate(after);

    // The two early spans and the orphan expired; the late one still waits.
    assertThat(count(pending)).isEqualTo(1);
    assertThat(count(orphans)).isZero();
    assertThat(registry.get("vigil.enrichment.spans.unpaired").counter().count())
        .isEqualTo(2.0); // the unserved client without a named peer, and the orphan
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

  private static void punctuate(MockProcessorContext<String, byte[]> context) {
    for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
      punctuator.getPunctuator().punctuate(T0);
    }
  }

  private static Record<String, byte[]> spans(SpanRef span) {
    return new Record<>(TRACE, SpanRef.encodeAll(List.of(span)), T0);
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

  private static long count(KeyValueStore<Bytes, byte[]> store) {
    try (var all = store.all()) {
      long n = 0;
      while (all.hasNext()) {
        all.next();
        n++;
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
