package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.enrichment.internal.WindowState.Emission;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Early emission with revisions: the first emission at end + emit delay, a revision of the series
 * changed after it at end + grace, nothing more otherwise, and the same output after a restore.
 */
class WindowStateTest {
  private static final long MINUTE = 60_000;
  private static final long GRACE = 30_000;
  private static final long DELAY = 5_000;
  private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % MINUTE;
  private static final long END = T0 + MINUTE;

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

  private WindowState state() {
    WindowState state = new WindowState(MINUTE, GRACE, DELAY, 100, 0.01);
    state.init(store);
    return state;
  }

  private static String id(String service, String route) {
    TreeMap<String, String> dims = new TreeMap<>();
    dims.put("http.route", route);
    return SeriesIds.series(service, "latency", dims);
  }

  /** One call of {@code ms} to a series, as a processor folds it: aggregate, then flush. */
  private static void call(WindowState state, long time, String service, String route, double ms) {
    state
        .aggregate(time, service, id(service, route), Aggregate.Kind.SPAN, "ms")
        .addCall(ms, false);
    state.flush();
  }

  /** What one emission handed out, with the values that matter here. */
  private record Emitted(long start, String id, Emission emission, long count, double sum) {}

  private static List<Emitted> advance(WindowState state, long watermark) {
    state.advance(watermark);
    List<Emitted> out = new ArrayList<>();
    state.emitDue(
        (start, end, id, a, emission) -> {
          assertThat(end).isEqualTo(start + MINUTE);
          out.add(new Emitted(start, id, emission, a.count(), a.sum()));
        });
    return out;
  }

  @Test
  void emitsEverySeriesOnceTheWatermarkReachesTheEndPlusTheEmitDelay() {
    WindowState state = state();
    call(state, T0 + 10_000, "cart", "/a", 10);
    call(state, T0 + 20_000, "cart", "/b", 20);
    call(state, T0 + 30_000, "shop", "/c", 30);

    assertThat(advance(state, END + DELAY - 1)).isEmpty();
    assertThat(advance(state, END + DELAY))
        .containsExactlyInAnyOrder(
            new Emitted(T0, id("cart", "/a"), Emission.FIRST, 1, 10),
            new Emitted(T0, id("cart", "/b"), Emission.FIRST, 1, 20),
            new Emitted(T0, id("shop", "/c"), Emission.FIRST, 1, 30));
    assertThat(Emission.FIRST.revision()).isZero();
    assertThat(advance(state, END + GRACE - 1)).as("emitted once").isEmpty();
    assertThat(state.openWindows()).as("open until the grace ends").isEqualTo(1);
  }

  @Test
  void revisesOnlyTheSeriesThatChangedAfterTheFirstEmissionWhenTheGraceEnds() {
    WindowState state = state();
    call(state, T0 + 10_000, "cart", "/a", 10);
    call(state, T0 + 20_000, "cart", "/b", 20);
    assertThat(advance(state, END + DELAY)).hasSize(2);

    call(state, T0 + 50_000, "cart", "/a", 5);
    call(state, T0 + 55_000, "cart", "/a", 1);
    call(state, T0 + 58_000, "cart", "/new", 7);
    assertThat(advance(state, END + 20_000)).as("not before the grace ends").isEmpty();

    List<Emitted> atGraceEnd = advance(state, END + GRACE);
    assertThat(atGraceEnd)
        .containsExactlyInAnyOrder(
            new Emitted(T0, id("cart", "/a"), Emission.REVISION, 3, 16),
            new Emitted(T0, id("cart", "/new"), Emission.DELAYED, 1, 7));
    assertThat(Emission.REVISION.revision()).isEqualTo(1);
    assertThat(Emission.DELAYED.revision()).as("nothing to revise: its first emission").isZero();
    assertThat(state.openWindows()).isZero();
    assertThat(store.approximateNumEntries()).as("only the watermark is left").isEqualTo(1);
  }

  @Test
  void emitsNothingMoreForAWindowWithoutLateData() {
    WindowState state = state();
    call(state, T0 + 10_000, "cart", "/a", 10);
    assertThat(advance(state, END + DELAY)).hasSize(1);
    // Data of the next window only.
    call(state, END + 1_000, "cart", "/a", 10);

    assertThat(advance(state, END + GRACE)).isEmpty();
    assertThat(state.openWindows()).as("the first window closed silently").isEqualTo(1);
  }

  @Test
  void refusesDataOlderThanTheEndPlusGrace() {
    WindowState state = state();
    call(state, T0 + 10_000, "cart", "/a", 10);
    advance(state, END + GRACE);

    assertThat(state.aggregate(T0 + 59_999, "cart", id("cart", "/a"), Aggregate.Kind.SPAN, "ms"))
        .isNull();
    assertThat(advance(state, END + 2 * GRACE)).isEmpty();
  }

  @Test
  void aWatermarkJumpPastTheGraceEmitsTheWindowOnceWithRevisionZero() {
    WindowState state = state();
    call(state, T0 + 10_000, "cart", "/a", 10);

    assertThat(advance(state, END + 10 * MINUTE))
        .containsExactly(new Emitted(T0, id("cart", "/a"), Emission.FIRST, 1, 10));
    assertThat(state.openWindows()).isZero();
  }

  @Test
  void withTheEmitDelayAtTheGraceAWindowIsEmittedOnceWhenItCloses() {
    WindowState state = new WindowState(MINUTE, GRACE, GRACE, 100, 0.01);
    state.init(store);
    call(state, T0 + 10_000, "cart", "/a", 10);
    assertThat(advance(state, END + GRACE - 1)).isEmpty();
    call(state, T0 + 50_000, "cart", "/a", 5);

    assertThat(advance(state, END + GRACE))
        .containsExactly(new Emitted(T0, id("cart", "/a"), Emission.FIRST, 2, 15));
    assertThat(state.openWindows()).isZero();
  }

  @Test
  void refusesAnEmitDelayBeyondTheGrace() {
    assertThatThrownBy(() -> new WindowState(MINUTE, GRACE, GRACE + 1, 100, 0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("emit delay");
  }

  @Test
  void aRestoredTaskNeverRepeatsAFirstEmission() {
    WindowState before = state();
    call(before, T0 + 10_000, "cart", "/a", 10);
    assertThat(advance(before, END + DELAY)).hasSize(1);

    // A crash right after the emission: the store holds what was committed with it.
    WindowState after = state();
    assertThat(after.watermark()).isEqualTo(END + DELAY);
    assertThat(advance(after, END + DELAY)).isEmpty();
    assertThat(advance(after, END + GRACE)).as("and nothing changed since").isEmpty();
  }

  /**
   * One run of input: two windows, data on time, after the first emission (an existing and a new
   * series, and the overflow of a capped service), and beyond the grace. {@code checkpoint} is
   * called between the first emission of the first window and the end of its grace.
   */
  private static List<Emitted> script(WindowState[] state, Consumer<WindowState[]> checkpoint) {
    List<Emitted> out = new ArrayList<>();
    call(state[0], T0 + 10_000, "cart", "/a", 10);
    call(state[0], T0 + 20_000, "cart", "/b", 20);
    call(state[0], T0 + 30_000, "shop", "/c", 30);
    out.addAll(advance(state[0], END + 1_000));
    call(state[0], END + 2_000, "cart", "/a", 1);
    out.addAll(advance(state[0], END + DELAY + 2_000));
    call(state[0], T0 + 59_000, "cart", "/b", 2);
    checkpoint.accept(state);
    call(state[0], T0 + 59_500, "shop", "/late", 3);
    call(state[0], T0 + 59_600, "cart", "/b", 4);
    call(state[0], END + 20_000, "shop", "/c", 5);
    out.addAll(advance(state[0], END + 25_000));
    checkpoint.accept(state);
    out.addAll(advance(state[0], END + GRACE));
    assertThat(state[0].aggregate(T0 + 59_900, "cart", id("cart", "/a"), Aggregate.Kind.SPAN, "ms"))
        .as("late")
        .isNull();
    call(state[0], END + MINUTE + DELAY + 1_000, "cart", "/a", 6);
    out.addAll(advance(state[0], END + MINUTE + DELAY + 1_000));
    out.addAll(advance(state[0], END + 3 * MINUTE));
    return out;
  }

  @Test
  void aTaskRestoredBetweenTheFirstEmissionAndTheEndOfTheGraceEmitsWhatAnUninterruptedOneDoes() {
    List<Emitted> uninterrupted = script(new WindowState[] {state()}, s -> {});
    store();
    List<Emitted> restored =
        script(
            new WindowState[] {state()},
            s -> {
              // What a crash leaves: the store as of the last processed record; a new instance.
              s[0] = state();
            });

    assertThat(restored).as("the same records in the same order").isEqualTo(uninterrupted);
    assertThat(uninterrupted)
        .containsExactlyInAnyOrder(
            new Emitted(T0, id("cart", "/a"), Emission.FIRST, 1, 10),
            new Emitted(T0, id("cart", "/b"), Emission.FIRST, 1, 20),
            new Emitted(T0, id("shop", "/c"), Emission.FIRST, 1, 30),
            new Emitted(T0, id("cart", "/b"), Emission.REVISION, 3, 26),
            new Emitted(T0, id("shop", "/late"), Emission.DELAYED, 1, 3),
            new Emitted(END, id("cart", "/a"), Emission.FIRST, 1, 1),
            new Emitted(END, id("shop", "/c"), Emission.FIRST, 1, 5),
            new Emitted(END + MINUTE, id("cart", "/a"), Emission.FIRST, 1, 6));
  }

  @Test
  void stateWrittenBeforeEarlyEmissionLoadsWithItsWindowsNotYetEmitted() {
    // The code before early emission emitted a window only when it closed (delay = grace), and
    // its entries are what this code writes then: the watermark alone, no trailer.
    WindowState old = new WindowState(MINUTE, GRACE, GRACE, 100, 0.01);
    old.init(store);
    call(old, T0 + 10_000, "cart", "/a", 10);
    assertThat(advance(old, END + DELAY + 1_000)).isEmpty();
    assertThat(store.get(Bytes.wrap(new byte[0])).length).as("the watermark alone").isEqualTo(8);

    WindowState state = state();
    assertThat(advance(state, END + DELAY + 1_000))
        .as("emitted now rather than lost")
        .containsExactly(new Emitted(T0, id("cart", "/a"), Emission.FIRST, 1, 10));
    call(state, T0 + 20_000, "cart", "/a", 5);
    assertThat(advance(state, END + GRACE))
        .containsExactly(new Emitted(T0, id("cart", "/a"), Emission.REVISION, 2, 15));
  }

  @Test
  void aLongerEmitDelayAfterARestartNeitherRepeatsNorLosesAFirstEmission() {
    WindowState before = state();
    call(before, T0 + 10_000, "cart", "/a", 10);
    call(before, END + 1_000, "cart", "/a", 1);
    assertThat(advance(before, END + DELAY + 1_000)).hasSize(1);

    // Restarted with the delay at the grace: the first window was emitted, the second not yet.
    WindowState after = new WindowState(MINUTE, GRACE, GRACE, 100, 0.01);
    after.init(store);
    assertThat(advance(after, END + GRACE)).isEmpty();
    assertThat(advance(after, END + MINUTE + GRACE))
        .containsExactly(new Emitted(END, id("cart", "/a"), Emission.FIRST, 1, 1));
  }
}
