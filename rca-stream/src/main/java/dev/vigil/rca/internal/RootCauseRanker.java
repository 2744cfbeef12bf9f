package dev.vigil.rca.internal;

import dev.vigil.rca.internal.LiveIncident.RankedCause;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ranks the candidate root causes of one incident by four kinds of evidence, each in [0,1]:
 *
 * <ul>
 *   <li><b>graph</b> ({@value #W_GRAPH}): a personalized PageRank over the anomalous subgraph. The
 *       walker moves from a node to its callees in proportion to how anomalous they are, back to
 *       its callers only with weight {@value #BACKWARD}, and stays where it is by as much as the
 *       node is more anomalous than all its callees. Anomalous callers of a healthy-looking callee
 *       thus point past themselves, and the walk settles at the bottom of the anomalous chain.
 *       Normalised by the best candidate.
 *   <li><b>time</b> ({@value #W_TIME}): exp(-delay / {@value #TIME_SCALE_WINDOWS} windows) after
 *       the first anomaly of the incident: causes come before their effects.
 *   <li><b>edge</b> ({@value #W_EDGE}): how much the calls into the candidate degraded as its
 *       callers see them, against each edge's own baseline ({@link EdgeStats#degradation()}).
 *   <li><b>change</b> ({@value #W_CHANGE}): a deploy, rollback or config change on the candidate
 *       shortly before it turned anomalous, exp(-lead / {@value #CHANGE_SCALE_MINUTES} min), scaled
 *       by the kind of change.
 * </ul>
 *
 * <p>The weighted sum is the score, in [0,1]. Candidates are the incident's members plus every node
 * they call whose incoming edge degraded, so databases, caches and services without telemetry of
 * their own can be the root cause.
 */
public final class RootCauseRanker {
  static final double W_GRAPH = 0.4;
  static final double W_TIME = 0.2;
  static final double W_EDGE = 0.2;
  static final double W_CHANGE = 0.2;
  static final double BACKWARD = 0.2;
  static final double TELEPORT = 0.15;
  static final double TIME_SCALE_WINDOWS = 2.0;
  static final double CHANGE_SCALE_MINUTES = 10.0;

  /** A callee joins the candidates when its incoming edge degraded at least this much. */
  static final double CANDIDATE_DEGRADATION = 0.2;

  private static final int ITERATIONS = 100;
  private static final double EPSILON = 1e-9;
  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final RcaSettings settings;

  /** A ranker with the given look-back, window and sizes. */
  public RootCauseRanker(RcaSettings settings) {
    this.settings = settings;
  }

  /**
   * Ranks the candidates of an incident, best first, at most {@code maxRootCauses}.
   *
   * @param members the incident's anomalous services
   * @param graph the live service graph
   * @param changes recent changes
   * @param now stream time, epoch millis
   */
  public List<RankedCause> rank(
      Map<String, Member> members, ServiceGraph graph, ChangeLog changes, long now) {
    long horizon = settings.correlationWindow().toMillis() + settings.healthyMillis();
    Map<String, Double> anomaly = new TreeMap<>();
    Map<String, Long> firstAt = new TreeMap<>();
    for (Member m : members.values()) {
      anomaly.put(m.service(), m.maxScore());
      firstAt.put(m.service(), m.firstAnomalousAt());
    }
    // Callees of members whose incoming edge degraded join as candidates (virtual nodes too).
    for (Member m : members.values()) {
      for (String callee : graph.callees(m.service())) {
        EdgeStats edge = graph.edge(m.service(), callee);
        if (!members.containsKey(callee)
            && edge.peakSeenWithin(now, horizon)
            && edge.degradation() >= CANDIDATE_DEGRADATION) {
          anomaly.merge(callee, 0.0, Math::max);
          firstAt.merge(callee, m.firstAnomalousAt(), Math::min);
        }
      }
    }
    Set<String> candidates = new TreeSet<>(anomaly.keySet());
    Map<String, Double> edgeScore = new TreeMap<>();
    for (String c : candidates) {
      double degradation = incomingDegradation(c, graph, now, horizon);
      edgeScore.put(c, degradation);
      anomaly.put(c, Math.max(anomaly.get(c), degradation));
    }
    Map<String, Double> walk = pageRank(candidates, anomaly, graph);
    double bestWalk = walk.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
    long t0 = firstAt.values().stream().mapToLong(Long::longValue).min().orElse(now);
    List<RankedCause> ranked = new ArrayList<>();
    for (String c : candidates) {
      double graphScore = bestWalk > 0 ? walk.get(c) / bestWalk : 0;
      double delayWindows = (firstAt.get(c) - t0) / (double) settings.window().toMillis();
      double timeScore = Math.exp(-Math.max(0, delayWindows) / TIME_SCALE_WINDOWS);
      ChangeLog.Change change = bestChange(changes, c, firstAt.get(c));
      double changeScore = change == null ? 0 : changeScore(change, firstAt.get(c));
      double score =
          W_GRAPH * graphScore
              + W_TIME * timeScore
              + W_EDGE * edgeScore.get(c)
              + W_CHANGE * changeScore;
      List<String> reasons = new ArrayList<>();
      if (change != null) {
        reasons.add(describe(change, firstAt.get(c)));
      }
      reasons.addAll(edgeReasons(c, graph, now, horizon));
      Member member = members.get(c);
      if (member != null) {
        reasons.add(ownReason(member));
      } else {
        reasons.add(
            (graph.isService(c) ? "no anomaly of its own" : graph.kind(c).toLowerCase(Locale.ROOT))
                + " called by anomalous "
                + String.join(", ", anomalousCallers(c, members, graph)));
      }
      reasons.add(
          (firstAt.get(c) == t0 ? "first anomalous at " : "anomalous from ")
              + HH_MM.format(Instant.ofEpochMilli(firstAt.get(c))));
      reasons.add(String.format(Locale.ROOT, "call-graph walk %.2f", graphScore));
      ranked.add(new RankedCause(c, round(score), List.copyOf(reasons)));
    }
    ranked.sort(
        Comparator.comparingDouble(RankedCause::score)
            .reversed()
            .thenComparing(RankedCause::service));
    return List.copyOf(ranked.subList(0, Math.min(settings.maxRootCauses(), ranked.size())));
  }

  /** Stationary distribution of the anomaly-weighted walk over the candidates. */
  static Map<String, Double> pageRank(
      Set<String> nodes, Map<String, Double> anomaly, ServiceGraph graph) {
    List<String> index = new ArrayList<>(nodes);
    int n = index.size();
    Map<String, Integer> position = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      position.put(index.get(i), i);
    }
    double[][] weights = new double[n][];
    int[][] targets = new int[n][];
    for (int i = 0; i < n; i++) {
      String u = index.get(i);
      List<Integer> to = new ArrayList<>();
      List<Double> w = new ArrayList<>();
      double bestCallee = 0;
      for (String v : graph.callees(u)) {
        Integer j = position.get(v);
        if (j != null && j != i) {
          to.add(j);
          w.add(anomaly.get(v));
          bestCallee = Math.max(bestCallee, anomaly.get(v));
        }
      }
      for (String x : graph.callers(u)) {
        Integer j = position.get(x);
        if (j != null && j != i) {
          to.add(j);
          w.add(BACKWARD * anomaly.get(x));
        }
      }
      to.add(i);
      w.add(Math.max(0, anomaly.get(u) - bestCallee));
      double sum = w.stream().mapToDouble(Double::doubleValue).sum();
      targets[i] = to.stream().mapToInt(Integer::intValue).toArray();
      weights[i] = new double[to.size()];
      for (int k = 0; k < to.size(); k++) {
        weights[i][k] = sum > EPSILON ? w.get(k) / sum : (to.get(k) == i ? 1 : 0);
      }
    }
    double[] personal = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      personal[i] = Math.max(EPSILON, anomaly.get(index.get(i)));
      total += personal[i];
    }
    for (int i = 0; i < n; i++) {
      personal[i] /= total;
    }
    double[] rank = personal.clone();
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        next[i] += TELEPORT * personal[i];
        for (int k = 0; k < targets[i].length; k++) {
          next[targets[i][k]] += (1 - TELEPORT) * rank[i] * weights[i][k];
        }
      }
      double delta = 0;
      for (int i = 0; i < n; i++) {
        delta += Math.abs(next[i] - rank[i]);
      }
      rank = next;
      if (delta < EPSILON) {
        break;
      }
    }
    Map<String, Double> result = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      result.put(index.get(i), rank[i]);
    }
    return result;
  }

  private static double incomingDegradation(
      String node, ServiceGraph graph, long now, long horizon) {
    double worst = 0;
    for (String caller : graph.callers(node)) {
      EdgeStats edge = graph.edge(caller, node);
      if (edge.peakSeenWithin(now, horizon)) {
        worst = Math.max(worst, edge.degradation());
      }
    }
    return worst;
  }

  private static List<String> edgeReasons(String node, ServiceGraph graph, long now, long horizon) {
    EdgeStats slowest = null;
    EdgeStats failing = null;
    int callers = 0;
    for (String caller : graph.callers(node)) {
      EdgeStats e = graph.edge(caller, node);
      if (!e.peakSeenWithin(now, horizon)) {
        continue;
      }
      callers++;
      if (slowest == null || e.peakLatencyRatio() > slowest.peakLatencyRatio()) {
        slowest = e;
      }
      if (failing == null || e.peakErrorIncrease() > failing.peakErrorIncrease()) {
        failing = e;
      }
    }
    List<String> reasons = new ArrayList<>();
    String who = callers > 1 ? "callers'" : "caller's";
    if (slowest != null && slowest.peakLatencyRatio() >= 1.5) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "%s p99 to it x%.1f (%s: %.0f ms, baseline %.0f ms)",
              who,
              slowest.peakLatencyRatio(),
              slowest.client(),
              slowest.peakP99(),
              slowest.peakBaselineP99()));
    }
    if (failing != null && failing.peakErrorIncrease() >= 0.01) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "%s errors to it %.0f%% (%s, baseline %.1f%%)",
              who,
              failing.peakErrorRate() * 100,
              failing.client(),
              failing.peakBaselineErrorRate() * 100));
    }
    return reasons;
  }

  private static String ownReason(Member member) {
    Episode worst = member.worst();
    if (worst == null) {
      return "anomalous";
    }
    return String.format(
        Locale.ROOT,
        "own %s %s %s (%s%.4g vs %.4g expected, score %.2f)",
        worst.signal(),
        worst.signalType().toLowerCase(Locale.ROOT),
        "UP".equals(worst.direction()) ? "up" : "down",
        worst.statistic() == null ? "" : worst.statistic() + " ",
        worst.observed(),
        worst.expected(),
        worst.maxScore());
  }

  private static List<String> anomalousCallers(
      String node, Map<String, Member> members, ServiceGraph graph) {
    List<String> callers = new ArrayList<>();
    for (String caller : graph.callers(node)) {
      if (members.containsKey(caller)) {
        callers.add(caller);
      }
    }
    return callers;
  }

  private ChangeLog.Change bestChange(ChangeLog changes, String service, long firstAnomalous) {
    ChangeLog.Change best = null;
    double bestScore = 0;
    for (ChangeLog.Change change : changes.of(service)) {
      double score = changeScore(change, firstAnomalous);
      if (score > bestScore) {
        best = change;
        bestScore = score;
      }
    }
    return best;
  }

  private double changeScore(ChangeLog.Change change, long firstAnomalous) {
    long lead = firstAnomalous - change.at();
    // A change up to one window after the first anomaly still counts: windows close late.
    if (lead < -settings.window().toMillis() || lead > settings.changeLookback().toMillis()) {
      return 0;
    }
    double minutes = Math.max(0, lead) / 60_000.0;
    return typeWeight(change.type()) * Math.exp(-minutes / CHANGE_SCALE_MINUTES);
  }

  private static double typeWeight(String type) {
    return switch (type) {
      case "DEPLOY", "ROLLBACK", "CONFIG" -> 1.0;
      case "FEATURE_FLAG" -> 0.8;
      default -> 0.5;
    };
  }

  private static String describe(ChangeLog.Change change, long firstAnomalous) {
    long lead = firstAnomalous - change.at();
    String what = change.type().toLowerCase(Locale.ROOT).replace('_', ' ');
    if (change.version() != null) {
      what += " " + change.version();
    } else if (change.description() != null) {
      what += " (" + change.description() + ")";
    }
    long minutes = Math.round(Math.abs(lead) / 60_000.0);
    String when =
        lead >= 0 ? minutes + " min before" : "at the same time (" + minutes + " min after)";
    if (lead >= 0 && minutes == 0) {
      when = "under a minute before";
    }
    return what + " " + when;
  }

  private static double round(double score) {
    return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000.0;
  }
}
