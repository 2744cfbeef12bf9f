package dev.vigil.perf.rca;

import dev.vigil.rca.internal.ChangeLog;
import dev.vigil.rca.internal.LiveIncident;
import dev.vigil.rca.internal.RcaEngine;
import dev.vigil.rca.internal.RcaMetrics;
import dev.vigil.rca.internal.RcaSettings;
import dev.vigil.rca.internal.RootCauseRanker;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.Severity;
import dev.vigil.schemas.SignalType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The root-cause engine on a 500-service platform: five tiers of services (10 entry points down to
 * 100 leaves), each calling three services of the next tier, leaves calling one of 40 databases and
 * caches: 536 nodes, 1,300 edges. Three databases turn slow at once and their callers up to three
 * tiers above turn anomalous; their upstream sets overlap, so the engine folds them into one
 * incident of 125 services (the worst case for the ranking: every candidate in one walk).
 *
 * <ul>
 *   <li>{@code rankIncident}: rank the largest incident (the ranking alone);
 *   <li>{@code evaluate}: one evaluation tick of the engine: merge checks, resolution, ranking of
 *       every open incident, impact and entry points (what runs every minute of stream time);
 *   <li>{@code foldEdgeMinute}: fold one minute of every edge's window into the graph.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class RankingBenchmark {
  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
  private static final int[] TIERS = {10, 90, 150, 150, 100};
  private static final int STORES = 40;
  private static final int FAULT_MINUTE = 15;
  private static final int NOW_MINUTE = 18;

  private final List<Call> calls = new ArrayList<>();
  private RcaEngine engine;
  private RootCauseRanker ranker;
  private LiveIncident largest;
  private List<EdgeWindow> nextMinute;
  private int minute;
  private long now;

  /** Builds the platform, warms the graph up and opens the incidents. */
  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    List<List<String>> tiers = new ArrayList<>();
    for (int t = 0; t < TIERS.length; t++) {
      List<String> tier = new ArrayList<>();
      for (int i = 0; i < TIERS[t]; i++) {
        tier.add("svc-" + t + "-" + i);
      }
      tiers.add(tier);
    }
    for (int t = 0; t + 1 < TIERS.length; t++) {
      for (String client : tiers.get(t)) {
        Set<String> callees = new LinkedHashSet<>();
        while (callees.size() < 3) {
          callees.add(tiers.get(t + 1).get(random.nextInt(TIERS[t + 1])));
        }
        callees.forEach(server -> calls.add(new Call(client, server, NodeKind.SERVICE, 20)));
      }
    }
    for (String leaf : tiers.get(TIERS.length - 1)) {
      int store = random.nextInt(STORES);
      NodeKind kind = store % 2 == 0 ? NodeKind.DATABASE : NodeKind.CACHE;
      calls.add(new Call(leaf, "store-" + store, kind, 5));
    }
    RcaSettings settings = RcaSettings.defaults();
    engine = new RcaEngine(settings, s -> null, new RcaMetrics(new SimpleMeterRegistry()));
    ranker = new RootCauseRanker(settings);
    List<String> faulty = List.of("store-0", "store-7", "store-20");
    Map<String, Integer> depth = new HashMap<>();
    for (String store : faulty) {
      upstream(store, 0, 3, depth);
    }
    for (int m = 0; m <= NOW_MINUTE; m++) {
      for (Call call : calls) {
        boolean slow = m >= FAULT_MINUTE && depth.containsKey(call.server());
        engine.onEdge(
            new EdgeKey(call.client(), call.server()), call.window(m, slow ? 6 : 1, random));
      }
      if (m >= FAULT_MINUTE) {
        for (Map.Entry<String, Integer> anomalous : depth.entrySet()) {
          if (!anomalous.getKey().startsWith("store-")) {
            engine.onAnomaly(anomaly(anomalous.getKey(), anomalous.getValue(), m));
          }
        }
      }
      engine.evaluate(minute(m + 1).toEpochMilli());
    }
    largest =
        engine.openIncidents().stream()
            .max(Comparator.comparingInt(i -> i.members().size()))
            .orElseThrow();
    now = minute(NOW_MINUTE + 1).toEpochMilli();
    minute = NOW_MINUTE + 1;
    nextMinute = new ArrayList<>();
    for (Call call : calls) {
      nextMinute.add(call.window(0, 1, random));
    }
    System.out.printf(
        "%n%d nodes, %d edges, %d open incidents, largest has %d members, ranked %s%n",
        engine.graph().nodeCount(),
        engine.graph().edgeCount(),
        engine.openIncidents().size(),
        largest.members().size(),
        largest.rootCauses().stream().map(c -> c.service() + " " + c.score()).toList());
  }

  private void upstream(String node, int level, int maxLevel, Map<String, Integer> depth) {
    depth.merge(node, level, Math::min);
    if (level == maxLevel) {
      return;
    }
    for (Call call : calls) {
      if (call.server().equals(node)) {
        upstream(call.client(), level + 1, maxLevel, depth);
      }
    }
  }

  /** Ranks the largest open incident. */
  @Benchmark
  public Object rankIncident() {
    return ranker.rank(largest.members(), engine.graph(), new ChangeLog(), now);
  }

  /** One evaluation tick with every incident open (nothing new to publish). */
  @Benchmark
  public Object evaluate() {
    return engine.evaluate(now);
  }

  /** Folds one minute of windows of every edge into the graph. */
  @Benchmark
  public int foldEdgeMinute() {
    minute++;
    Instant start = minute(minute);
    for (int i = 0; i < calls.size(); i++) {
      EdgeWindow w = nextMinute.get(i);
      w.setWindowStart(start);
      w.setWindowEnd(start.plus(Duration.ofMinutes(1)));
      engine.onEdge(new EdgeKey(calls.get(i).client(), calls.get(i).server()), w);
    }
    engine.flush((k, v) -> {});
    return calls.size();
  }

  private static Instant minute(int m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  private static AnomalyEvent anomaly(String service, int depth, int m) {
    double score = Math.max(0.5, 0.95 - 0.1 * depth);
    return AnomalyEvent.newBuilder()
        .setId(service + "-latency")
        .setService(service)
        .setSeries(new SeriesKey(service, "http.server.request.duration", List.of()))
        .setPhase(m == FAULT_MINUTE ? AnomalyPhase.START : AnomalyPhase.UPDATE)
        .setAt(minute(m + 1))
        .setStartedAt(minute(FAULT_MINUTE + Math.min(depth - 1, 1)))
        .setObserved(300)
        .setExpected(100)
        .setLower(80)
        .setUpper(130)
        .setScore(score)
        .setSeverity(Severity.WARNING)
        .setDirection(Direction.UP)
        .setDetector("bench")
        .setSignalType(SignalType.LATENCY)
        .build();
  }

  private record Call(String client, String server, NodeKind kind, double p99) {
    EdgeWindow window(int m, double factor, Random random) {
      double p = p99 * factor * (0.95 + 0.1 * random.nextDouble());
      return EdgeWindow.newBuilder()
          .setWindowStart(minute(m))
          .setWindowEnd(minute(m + 1))
          .setServerKind(kind)
          .setCalls(1_000)
          .setErrors(1)
          .setP50(p / 3)
          .setP90(p / 1.5)
          .setP99(p)
          .build();
    }
  }
}
