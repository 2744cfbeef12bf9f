package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.serde.VigilSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor's two evaluation triggers on a mock context: the wall-clock one evaluates a window
 * once the delay has passed since its first record, the event-time one never evaluates it again,
 * and the evaluation clock survives a restart (so neither trigger goes back in time or repeats).
 */
class RcaProcessorTest {
  /**
   * Copying a record that holds an enum ({@code EdgeWindow.newBuilder(window)}) asks Avro to load
   * the enum's class, which Avro trusts only once a Vigil serde exists (as it always does in the
   * apps). Run alone, this class made none before its first copy.
   */
  @BeforeAll
  static void trustVigilClasses() {
    assertThat(VigilSerdes.EDGE_WINDOW).isNotNull();
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RcaMetrics metrics = new RcaMetrics(registry);
  private KeyValueStore<String, byte[]> state;
  private final Scenario world =
      new Scenario()
          .edge("checkout", "payment", 90)
          .edge("payment", "postgresql:payments", NodeKind.DATABASE, 6)
          .slow("payment", "postgresql:payments", 10, 20, 10)
          .slow("checkout", "payment", 10, 20, 3)
          .anomalous("payment", 10, 20, 0.85, SignalType.LATENCY);

  /**
   * A task starting at {@code wallClock}: its state store holds what the previous task's store held
   * (as a restore from the changelog would), empty for the first.
   */
  private MockProcessorContext<String, SpecificRecord> start(long wallClock) {
    MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(wallClock);
    KeyValueStore<String, byte[]> previous = state;
    state = store(RcaProcessor.STATE_STORE);
    KeyValueStore<String, byte[]> catalog = store(RcaProcessor.CATALOG_STORE);
    for (KeyValueStore<String, byte[]> store : List.of(state, catalog)) {
      context.addStateStore(store);
      store.init(context.getStateStoreContext(), store);
    }
    if (previous != null) {
      try (var all = previous.all()) {
        all.forEachRemaining(e -> state.put(e.key, e.value));
      }
    }
    return context;
  }

  private static KeyValueStore<String, byte[]> store(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled()
        .build();
  }

  private static void feed(RcaProcessor processor, List<Scenario.Event> events) {
    for (Scenario.Event e : events) {
      processor.process(new Record<>(e.key(), e.value(), e.timestamp().toEpochMilli()));
    }
  }

  private static List<Scenario.Event> minutes(Scenario world, int from, int to) {
    return world.events(to).stream()
        .filter(e -> e.timestamp().isAfter(Scenario.minute(from)))
        .toList();
  }

  private static List<Incident> incidents(MockProcessorContext<String, SpecificRecord> context) {
    return context.forwarded().stream()
        .map(f -> f.record().value())
        .filter(Incident.class::isInstance)
        .map(Incident.class::cast)
        .toList();
  }

  private double evaluations(String trigger) {
    return registry.find("vigil.rca.evaluations").tag("trigger", trigger).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void wallClockEvaluatesOnceAfterTheDelayAndARestartNeitherRepeatsNorGoesBack() {
    long wall = Scenario.T0.toEpochMilli();
    MockProcessorContext<String, SpecificRecord> context = start(wall);
    RcaProcessor processor = new RcaProcessor(RcaSettings.defaults(), metrics);
    processor.init(context);
    assertThat(context.scheduledPunctuators())
        .singleElement()
        .satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofSeconds(1)));
    // Minutes 0..10: the anomaly of minute 10 carries time 10:11, nothing later arrives.
    feed(processor, minutes(world, 0, 11));
    assertThat(incidents(context)).as("the anomaly's window is not evaluated yet").isEmpty();

    context.setCurrentSystemTimeMs(wall + 4_999);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(wall + 4_999);
    assertThat(incidents(context)).isEmpty();
    context.setCurrentSystemTimeMs(wall + 5_000);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(wall + 5_000);
    assertThat(incidents(context))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getVersion()).isEqualTo(1);
              assertThat(i.getUpdatedAt()).isEqualTo(Scenario.minute(11));
            });
    assertThat(context.forwarded())
        .extracting(f -> f.record().value())
        .hasAtLeastOneElementOfType(Alert.class);
    assertThat(evaluations("wall_clock")).isEqualTo(1);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(wall + 9_000);
    assertThat(evaluations("wall_clock")).as("once per time").isEqualTo(1);

    // Restart: a new task restored from the changelog, wall clock later.
    MockProcessorContext<String, SpecificRecord> restarted = start(wall + 20_000);
    RcaProcessor again = new RcaProcessor(RcaSettings.defaults(), metrics);
    again.init(restarted);
    double eventTime = evaluations("event_time");
    // A revision of minute 10's edge (time 10:11) after the restart: no evaluation of 10:10 (back
    // in time) nor of 10:11 (done).
    Scenario.Event edge = minutes(world, 10, 11).get(0);
    dev.vigil.schemas.EdgeWindow revision =
        dev.vigil.schemas.EdgeWindow.newBuilder((dev.vigil.schemas.EdgeWindow) edge.value())
            .setRevision(1)
            .build();
    feed(again, List.of(new Scenario.Event(edge.timestamp(), edge.key(), revision)));
    restarted.scheduledPunctuators().get(0).getPunctuator().punctuate(wall + 30_000);
    assertThat(evaluations("event_time")).isEqualTo(eventTime);
    assertThat(evaluations("wall_clock")).isEqualTo(1);
    assertThat(incidents(restarted)).isEmpty();
    assertThat(
            registry.get("vigil.rca.edge.revisions").tag("outcome", "replaced").counter().count())
        .isEqualTo(1);

    // Minute 11 arrives: 10:11 is not evaluated again; 10:12 is, 5 s of wall time later.
    feed(again, minutes(world, 11, 12));
    assertThat(evaluations("event_time")).isEqualTo(eventTime);
    restarted.setCurrentSystemTimeMs(wall + 35_000);
    restarted.scheduledPunctuators().get(0).getPunctuator().punctuate(wall + 35_000);
    assertThat(evaluations("wall_clock")).isEqualTo(2);
    assertThat(incidents(restarted))
        .allSatisfy(i -> assertThat(i.getUpdatedAt()).isEqualTo(Scenario.minute(12)));
  }

  @Test
  void aChangeBeforeItsWindowsRecordsDoesNotStartTheWallClockWait() {
    long wall = Scenario.T0.toEpochMilli();
    MockProcessorContext<String, SpecificRecord> context = start(wall);
    RcaProcessor processor = new RcaProcessor(RcaSettings.defaults(), metrics);
    processor.init(context);
    feed(processor, minutes(world, 0, 10));
    punctuate(context, wall + 5_000);
    assertThat(evaluations("wall_clock")).as("10:10 by wall clock").isEqualTo(1);
    // A deploy at 10:10:30, written as it happens: it belongs to the evaluation at 10:11, but the
    // records of minute 10 come after 10:11. Waiting from the deploy would evaluate 10:11 first.
    ChangeEvent deploy =
        ChangeEvent.newBuilder(
                (ChangeEvent) new Scenario().deploy("payment", 10, "v2.3").events(0).get(0).value())
            .setAt(Scenario.minute(10).plusSeconds(30))
            .build();
    processor.process(new Record<>("payment", deploy, deploy.getAt().toEpochMilli()));
    punctuate(context, wall + 11_000);
    assertThat(evaluations("wall_clock")).as("no window record of 10:11 yet").isEqualTo(1);

    feed(processor, minutes(world, 10, 11));
    punctuate(context, wall + 15_999);
    assertThat(incidents(context)).isEmpty();
    punctuate(context, wall + 16_000);
    assertThat(evaluations("wall_clock")).isEqualTo(2);
    assertThat(incidents(context))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getUpdatedAt()).isEqualTo(Scenario.minute(11));
              assertThat(i.getServices()).contains("payment");
            });
  }

  /**
   * Exactly-once across a crash, event time only (delay 0, as replays and the chaos test run it): a
   * task killed after any record, its store restored as committed with that record, publishes the
   * very versions and alerts of an uninterrupted run, {@code updatedAt} included. With the
   * evaluation clock in memory (before it was stored in {@value RcaProcessor#STATE_STORE}), the
   * restarted task evaluated the previous time once more on the first record of the window it was
   * in, with that window's first records already folded: chaos's SIGKILL run with late data
   * published a version at 00:31 that the fault-free run published at 00:32. Minute 11 starts with
   * web's first anomaly (a new member: a new version) followed by cart's update, so a crash between
   * the two is one of the cuts.
   */
  @Test
  void aRestartAfterAnyRecordPublishesWhatAnUninterruptedRunDoes() {
    Scenario twoMembers =
        new Scenario()
            .edge("web", "cart", 40)
            .edge("cart", "redis:cart", NodeKind.CACHE, 2)
            .slow("cart", "redis:cart", 10, 20, 20)
            .slow("web", "cart", 10, 20, 3)
            .anomalous("web", 11, 20, 0.7, SignalType.LATENCY)
            .anomalous("cart", 10, 20, 0.9, SignalType.LATENCY);
    List<Scenario.Event> events = twoMembers.events(30);
    List<String> uninterrupted = publishedWithRestartAfter(events, events.size());
    assertThat(uninterrupted.stream().filter(v -> v.contains("\"updatedAt\"")))
        .as("incident versions: opened, web joins, resolved")
        .hasSize(3);
    for (int cut = 1; cut < events.size(); cut++) {
      assertThat(publishedWithRestartAfter(events, cut))
          .as("restarted after record %d of %d (%s)", cut, events.size(), events.get(cut - 1))
          .isEqualTo(uninterrupted);
    }
  }

  /**
   * What a task publishes for {@code events}, restarted from its store after the first {@code cut}.
   */
  private List<String> publishedWithRestartAfter(List<Scenario.Event> events, int cut) {
    RcaSettings eventTimeOnly = RcaSettings.defaults().withEvaluateDelay(Duration.ZERO);
    state = null;
    List<String> published = new java.util.ArrayList<>();
    MockProcessorContext<String, SpecificRecord> first = start(Scenario.T0.toEpochMilli());
    RcaProcessor processor = new RcaProcessor(eventTimeOnly, metrics);
    processor.init(first);
    feed(processor, events.subList(0, cut));
    first.forwarded().forEach(f -> published.add(f.record().value().toString()));
    if (cut < events.size()) {
      MockProcessorContext<String, SpecificRecord> restarted = start(Scenario.T0.toEpochMilli());
      RcaProcessor again = new RcaProcessor(eventTimeOnly, metrics);
      again.init(restarted);
      feed(again, events.subList(cut, events.size()));
      restarted.forwarded().forEach(f -> published.add(f.record().value().toString()));
    }
    return published;
  }

  private static void punctuate(MockProcessorContext<String, SpecificRecord> context, long now) {
    context.setCurrentSystemTimeMs(now);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(now);
  }

  @Test
  void aDelayOfZeroLeavesOnlyTheEventTimeRule() {
    long wall = Scenario.T0.toEpochMilli();
    MockProcessorContext<String, SpecificRecord> context = start(wall);
    RcaProcessor processor =
        new RcaProcessor(RcaSettings.defaults().withEvaluateDelay(Duration.ZERO), metrics);
    processor.init(context);
    assertThat(context.scheduledPunctuators()).isEmpty();
    feed(processor, minutes(world, 0, 11));
    assertThat(incidents(context)).isEmpty();
    feed(processor, minutes(world, 11, 12));
    assertThat(incidents(context))
        .singleElement()
        .satisfies(i -> assertThat(i.getUpdatedAt()).isEqualTo(Scenario.minute(11)));
    assertThat(evaluations("wall_clock")).isZero();
  }
}
