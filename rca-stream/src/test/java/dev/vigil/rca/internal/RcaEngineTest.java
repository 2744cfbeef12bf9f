package dev.vigil.rca.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.json.RecordJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RcaEngineTest {
  private static final Scenario WORLD =
      new Scenario()
          .edge("web", "cart", 40)
          .edge("cart", "redis:cart", NodeKind.CACHE, 2)
          .slow("cart", "redis:cart", 10, 20, 20)
          .slow("web", "cart", 10, 20, 3)
          .anomalous("cart", 10, 20, 0.9, SignalType.LATENCY)
          .anomalous("web", 11, 20, 0.7, SignalType.LATENCY)
          .deploy("cart", 9, "v7");

  @Test
  void restartFromItsStoredStateContinuesExactlyAsWithoutRestart() {
    List<Scenario.Event> events = WORLD.events(30);
    List<String> straight = run(events, 0, events.size(), new TreeMap<>(), engine());

    Map<String, byte[]> store = new TreeMap<>();
    int half = events.size() / 2;
    List<String> before = run(events, 0, half, store, engine());
    RcaEngine restarted = engine();
    store.forEach(restarted::restore);
    List<String> after = run(events, half, events.size(), store, restarted);

    List<String> both = new ArrayList<>(before);
    both.addAll(after);
    assertThat(both).isNotEmpty().isEqualTo(straight);
  }

  @Test
  void rejectsScoresOutsideTheUnitIntervalSoTheyAreDeadLettered() {
    var event = IncidentBookTest.anomaly("a", AnomalyPhase.START, 1, 2);
    event.setScore(1.5);
    assertThatThrownBy(() -> engine().onAnomaly(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("anomaly score 1.5 outside [0,1]");
  }

  private static RcaEngine engine() {
    return new RcaEngine(
        RcaSettings.defaults(), s -> null, new RcaMetrics(new SimpleMeterRegistry()));
  }

  /** Feeds events [from, to) and evaluates whenever time moves on, as stream-time punctuation. */
  private static List<String> run(
      List<Scenario.Event> events, int from, int to, Map<String, byte[]> store, RcaEngine engine) {
    List<String> out = new ArrayList<>();
    Instant last = null;
    for (int i = from; i < to; i++) {
      Scenario.Event e = events.get(i);
      if (last != null && e.timestamp().isAfter(last)) {
        engine.evaluate(last.toEpochMilli()).forEach(p -> out.add(RecordJson.toJson(p.incident())));
        engine.flush((k, v) -> put(store, k, v));
      }
      e.feed(engine);
      engine.flush((k, v) -> put(store, k, v));
      last = e.timestamp();
    }
    return out;
  }

  private static void put(Map<String, byte[]> store, String key, byte[] value) {
    if (value == null) {
      store.remove(key);
    } else {
      store.put(key, value);
    }
  }
}
