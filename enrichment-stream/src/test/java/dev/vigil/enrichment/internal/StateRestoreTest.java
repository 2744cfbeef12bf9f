package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a restarted or migrated task reads back from its stores: open windows with their aggregates
 * and sketches, the cardinality count, the watermark, the last cumulative points.
 */
class StateRestoreTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % MINUTE;

  private KeyValueStore<Bytes, byte[]> store;

  @BeforeEach
  void store() {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("state"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  private static String id(String service, String route) {
    TreeMap<String, String> dims = new TreeMap<>();
    dims.put("http.route", route);
    return SeriesIds.series(service, "latency", dims);
  }

  @Test
  void windowsSurviveARestartWithSketchesCapAndWatermark() {
    WindowState before = new WindowState(MINUTE, 10_000, 10_000, 2, 0.01);
    before.init(store);
    for (double ms : new double[] {10, 20, 30, 40}) {
      before
          .aggregate(T0 + 5_000, "cart", id("cart", "/a"), Aggregate.Kind.SPAN, "ms")
          .addCall(ms, ms > 35);
    }
    before
        .aggregate(T0 + 6_000, "cart", id("cart", "/b"), Aggregate.Kind.SPAN, "ms")
        .addCall(5, false);
    before.advance(T0 + 30_000);
    before.flush();

    WindowState after = new WindowState(MINUTE, 10_000, 10_000, 2, 0.01);
    after.init(store);
    assertThat(after.watermark()).isEqualTo(T0 + 30_000);
    Aggregate third =
        after.aggregate(T0 + 7_000, "cart", id("cart", "/c"), Aggregate.Kind.SPAN, "ms");
    assertThat(after.lastWasOverflow()).as("the cap of 2 was restored").isTrue();
    third.addCall(1, false);
    after
        .aggregate(T0 + 8_000, "cart", id("cart", "/a"), Aggregate.Kind.SPAN, "ms")
        .addCall(50, false);
    after.flush();
    after.advance(T0 + MINUTE + 10_000);

    Map<String, Aggregate> closed = new HashMap<>();
    after.emitDue((start, end, id, aggregate, emission) -> closed.put(id, aggregate));
    assertThat(closed)
        .containsOnlyKeys(id("cart", "/a"), id("cart", "/b"), SeriesIds.overflow("cart"));
    Aggregate a = closed.get(id("cart", "/a"));
    assertThat(a.count()).isEqualTo(5);
    assertThat(a.sum()).isEqualTo(150.0);
    assertThat(a.errors()).isEqualTo(1);
    assertThat(a.min()).isEqualTo(10.0);
    assertThat(a.max()).isEqualTo(50.0);
    // Ranks 0..4 = 10, 20, 30, 40, 50: p50 is rank 2 = 30, from the restored sketch plus one.
    assertThat(a.quantile(0.5)).isCloseTo(30.0, withinPercentage(1));
    assertThat(a.unit()).isEqualTo("ms");
    assertThat(closed.get(SeriesIds.overflow("cart")).count()).isEqualTo(1);
    assertThat(after.openWindows()).isZero();
    assertThat(store.approximateNumEntries()).as("only the watermark is left").isEqualTo(1);
  }

  @Test
  void cumulativeStreamsSurviveARestart() {
    Cumulative before = new Cumulative(MINUTE, 15 * MINUTE);
    before.init(store);
    long start = 1_000_000_000L;
    assertThat(
            before.delta(
                "cart", "orders", start, 2 * MINUTE * 1_000_000L, 0, new double[] {100}, -1))
        .as("baseline")
        .isNull();
    before.flush();

    Cumulative after = new Cumulative(MINUTE, 15 * MINUTE);
    after.init(store);
    Cumulative.Delta delta =
        after.delta("cart", "orders", start, 3 * MINUTE * 1_000_000L, 0, new double[] {130}, -1);
    assertThat(delta.values()).containsExactly(30.0);
    assertThat(delta.reset()).isFalse();
    after.flush();

    assertThat(after.expire(20 * MINUTE)).as("idle for more than the TTL").isEqualTo(1);
    assertThat(store.approximateNumEntries()).isZero();
  }
}
