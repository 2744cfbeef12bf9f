package dev.vigil.rca.internal;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Correlates anomalies into incidents over the service graph.
 *
 * <p>An anomaly of a service that is not yet in an open incident joins an open incident that has a
 * member linked to it in the graph ({@link ServiceGraph#linked}) and anomalous within the
 * correlation window of it, unless it is a callee of that member whose trouble began after the
 * member's (a cause does not follow its effect); of several, the one with a member whose episode
 * began nearest in time to it. Otherwise it opens a new incident. A service the graph does not know
 * (no traced calls: metrics or logs only) is linked to every service by time alone: without a
 * topology there is no evidence that two simultaneous problems are unrelated, and one incident is
 * less noise than one per symptom. Because edges and anomalies of the same minute arrive in any
 * order, {@link #merge} runs again at every evaluation: an incident absorbs a younger one when the
 * bottom of either (members none of whose callees is anomalous in the same incident) calls into a
 * member of the other that did not break after it, or both bottoms share a dependency. A caller
 * that sits above two broken parts joins the one that began with it and does not merge them.
 *
 * <p>An incident resolves once every member has been healthy for the configured number of windows:
 * all its episodes ended, or silent for the episode staleness.
 */
public final class IncidentBook {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int ENTRY_POINT_DEPTH = 32;
  static final int CAUSE_LAG_WINDOWS = 2;

  private final RcaSettings settings;
  private final Map<String, LiveIncident> open = new TreeMap<>();
  private final Map<String, String> incidentOfService = new TreeMap<>();

  /** An empty book. */
  public IncidentBook(RcaSettings settings) {
    this.settings = settings;
  }

  /** What happened to an anomaly event. */
  public enum Outcome {
    /** It opened a new incident. */
    OPENED,
    /** A new episode joined an open incident. */
    JOINED,
    /** A known episode was updated. */
    UPDATED,
    /** An END of an episode no open incident knows: nothing to do. */
    IGNORED
  }

  /** Open incidents, by id. */
  public Collection<LiveIncident> open() {
    return open.values();
  }

  /** The open incident with this id, or null. */
  public LiveIncident get(String id) {
    return open.get(id);
  }

  /** Adds an incident read back from the state store. */
  public void restore(LiveIncident incident) {
    open.put(incident.id, incident);
    for (String service : incident.members.keySet()) {
      incidentOfService.put(service, incident.id);
    }
  }

  /** Forgets a published resolved incident. */
  public void remove(String id) {
    LiveIncident gone = open.remove(id);
    if (gone != null) {
      gone.members.keySet().forEach(s -> incidentOfService.remove(s, id));
    }
  }

  /**
   * Folds an anomaly event in.
   *
   * @return what happened and the incident touched (null when ignored)
   */
  public Folded fold(AnomalyEvent event, ServiceGraph graph) {
    String service = event.getService();
    long at = event.getAt().toEpochMilli();
    long startedAt = Math.min(event.getStartedAt().toEpochMilli(), at);
    String incidentId = incidentOfService.get(service);
    LiveIncident incident = incidentId == null ? null : open.get(incidentId);
    Outcome outcome;
    if (incident == null) {
      if (event.getPhase() == AnomalyPhase.END) {
        return new Folded(Outcome.IGNORED, null);
      }
      incident = linkedIncident(service, startedAt, at, graph);
      outcome = Outcome.JOINED;
      if (incident == null) {
        incident = new LiveIncident(newId(service, startedAt), startedAt);
        open.put(incident.id, incident);
        outcome = Outcome.OPENED;
      }
      incident.members.put(service, new Member(service, startedAt));
      incidentOfService.put(service, incident.id);
    } else {
      outcome = Outcome.UPDATED;
    }
    Member member = incident.members.get(service);
    Episode old = member.episodes.get(event.getId());
    if (old == null) {
      incident.anomalies++;
      if (outcome == Outcome.UPDATED) {
        outcome = Outcome.JOINED;
      }
    }
    member.episodes.put(event.getId(), episode(event, old, startedAt, at));
    member.firstAnomalousAt = Math.min(member.firstAnomalousAt, startedAt);
    member.lastAnomalousAt = Math.max(member.lastAnomalousAt, at);
    incident.openedAt = Math.min(incident.openedAt, startedAt);
    return new Folded(outcome, incident);
  }

  private static Episode episode(AnomalyEvent e, Episode old, long startedAt, long at) {
    boolean higher = old == null || e.getScore() >= old.maxScore();
    return new Episode(
        e.getId(),
        e.getSeries().getSignal(),
        e.getSignalType().name(),
        old == null ? startedAt : Math.min(old.startedAt(), startedAt),
        old == null ? at : Math.max(old.lastAt(), at),
        higher ? e.getScore() : old.maxScore(),
        severityMax(old == null ? null : old.severity(), e.getSeverity().name()),
        higher ? e.getDirection().name() : old.direction(),
        higher ? e.getObserved() : old.observed(),
        higher ? e.getExpected() : old.expected(),
        higher ? e.getStatistic() : old.statistic(),
        e.getPhase() == AnomalyPhase.END || (old != null && old.ended() && at <= old.lastAt()));
  }

  private static String severityMax(String a, String b) {
    if (a == null) {
      return b;
    }
    return rank(a) >= rank(b) ? a : b;
  }

  static int rank(String severity) {
    return switch (severity) {
      case "CRITICAL" -> 2;
      case "WARNING" -> 1;
      default -> 0;
    };
  }

  /**
   * The open incident the anomaly of {@code service} belongs to, or null. Of the incidents with a
   * member it can join, the one whose member began an episode nearest in time to it wins: a service
   * that turned anomalous together with one problem is that problem's symptom, not the symptom of
   * an older one that it had been living with. Ties go to the older incident.
   */
  private LiveIncident linkedIncident(String service, long startedAt, long at, ServiceGraph graph) {
    long window = settings.correlationWindow().toMillis();
    LiveIncident best = null;
    long bestGap = Long.MAX_VALUE;
    for (LiveIncident incident : open.values()) {
      if (incident.resolved) {
        continue;
      }
      for (Member m : incident.members.values()) {
        boolean close =
            m.lastAnomalousAt >= startedAt - window && m.firstAnomalousAt <= at + window;
        if (close && canJoin(service, startedAt, m, graph)) {
          long gap = m.startGap(startedAt);
          if (gap < bestGap || (gap == bestGap && older(incident, best))) {
            best = incident;
            bestGap = gap;
          }
        }
      }
    }
    return best;
  }

  /**
   * Whether an anomaly of {@code service} that started at {@code startedAt} can be one problem with
   * member {@code m}: they are {@link #related}, and if {@code service} is only a callee of {@code
   * m} (a possible cause of it) its trouble did not begin after {@code m}'s. A cause does not start
   * after its effect; a callee that broke minutes after its caller is a second problem, and folding
   * it in would rank it below the first (as the 500-service platform showed: a pricing fault four
   * minutes after a gateway anomaly went unnamed).
   */
  private boolean canJoin(String service, long startedAt, Member m, ServiceGraph graph) {
    if (!related(service, m.service, graph)) {
      return false;
    }
    return !onlyCallee(service, m.service, graph) || mayCause(startedAt, m);
  }

  /** Whether {@code callee} is reached from {@code caller} along calls, but not the reverse. */
  private boolean onlyCallee(String callee, String caller, ServiceGraph graph) {
    if (!graph.knows(callee) || !graph.knows(caller)) {
      return false;
    }
    int hops = settings.maxHops();
    return graph.downstream(caller, hops).contains(callee)
        && !graph.downstream(callee, hops).contains(caller);
  }

  /**
   * Whether trouble that began at {@code causeStart} can explain an episode of {@code effect}: it
   * began no later than {@value #CAUSE_LAG_WINDOWS} windows after the effect's latest episode
   * started (episode starts are the first anomalous window, so a window of slack absorbs a
   * boundary; the second, a cause whose first window scored just below the threshold).
   */
  private boolean mayCause(long causeStart, Member effect) {
    return causeStart <= effect.latestStart() + CAUSE_LAG_WINDOWS * settings.window().toMillis();
  }

  private boolean related(String a, String b, ServiceGraph graph) {
    return !graph.knows(a) || !graph.knows(b) || graph.linked(a, b, settings.maxHops());
  }

  private static boolean older(LiveIncident a, LiveIncident b) {
    return a.openedAt < b.openedAt || (a.openedAt == b.openedAt && a.id.compareTo(b.id) < 0);
  }

  private String newId(String service, long openedAt) {
    String base =
        "inc-"
            + ID_TIME.format(Instant.ofEpochMilli(openedAt))
            + "-"
            + service.replaceAll("[^A-Za-z0-9._-]", "_");
    String id = base;
    for (int n = 2; open.containsKey(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  /**
   * Merges incidents that turned out to be one problem once the graph caught up; returns the
   * incidents absorbed (resolved, {@code mergedInto} set).
   */
  public List<LiveIncident> merge(ServiceGraph graph, long now) {
    List<LiveIncident> absorbed = new ArrayList<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      List<LiveIncident> byAge = new ArrayList<>();
      for (LiveIncident i : open.values()) {
        if (!i.resolved) {
          byAge.add(i);
        }
      }
      byAge.sort(Comparator.comparingLong(LiveIncident::openedAt).thenComparing(i -> i.id));
      outer:
      for (int i = 0; i < byAge.size(); i++) {
        for (int j = i + 1; j < byAge.size(); j++) {
          LiveIncident a = byAge.get(i);
          LiveIncident b = byAge.get(j);
          if (sameProblem(a, b, graph)) {
            absorb(a, b, now);
            absorbed.add(b);
            changed = true;
            break outer;
          }
        }
      }
    }
    return absorbed;
  }

  private boolean sameProblem(LiveIncident a, LiveIncident b, ServiceGraph graph) {
    long window = settings.correlationWindow().toMillis();
    if (lastActivity(a) < firstActivity(b) - window
        || lastActivity(b) < firstActivity(a) - window) {
      return false;
    }
    if (a.members.keySet().stream().noneMatch(graph::knows)
        || b.members.keySet().stream().noneMatch(graph::knows)) {
      return true; // no topology for one side: time is all there is
    }
    int hops = settings.maxHops();
    Set<String> bottomA = bottom(a, graph);
    Set<String> bottomB = bottom(b, graph);
    if (callsACause(a, bottomA, b, graph) || callsACause(b, bottomB, a, graph)) {
      return true;
    }
    if (hops >= 2) {
      for (String x : bottomA) {
        for (String y : bottomB) {
          Set<String> shared = graph.downstream(x, hops - 1);
          shared.retainAll(graph.downstream(y, hops - 1));
          if (!shared.isEmpty()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether a bottom member of {@code upper} calls a member of {@code lower} that may be its cause
   * ({@link #mayCause}: a callee that broke only later is a second problem).
   */
  private boolean callsACause(
      LiveIncident upper, Set<String> bottom, LiveIncident lower, ServiceGraph graph) {
    int hops = settings.maxHops();
    for (String x : bottom) {
      Set<String> below = graph.downstream(x, hops);
      Member effect = upper.members.get(x);
      for (Member y : lower.members.values()) {
        // y is below x; it is only x's callee (a possible cause) unless it also reaches x back
        if (below.contains(y.service)
            && (graph.downstream(y.service, hops).contains(x)
                || mayCause(y.firstAnomalousAt, effect))) {
          return true;
        }
      }
    }
    return false;
  }

  private Set<String> bottom(LiveIncident incident, ServiceGraph graph) {
    Set<String> bottom = new TreeSet<>();
    for (String m : incident.members.keySet()) {
      Set<String> below = graph.downstream(m, settings.maxHops());
      if (incident.members.keySet().stream().noneMatch(below::contains)) {
        bottom.add(m);
      }
    }
    return bottom;
  }

  private static long firstActivity(LiveIncident incident) {
    return incident.members.values().stream()
        .mapToLong(Member::firstAnomalousAt)
        .min()
        .orElse(incident.openedAt);
  }

  private static long lastActivity(LiveIncident incident) {
    return incident.members.values().stream()
        .mapToLong(Member::lastAnomalousAt)
        .max()
        .orElse(incident.openedAt);
  }

  private void absorb(LiveIncident into, LiveIncident from, long now) {
    for (Member m : from.members.values()) {
      Member target = into.members.get(m.service);
      if (target == null) {
        into.members.put(m.service, m);
      } else {
        target.firstAnomalousAt = Math.min(target.firstAnomalousAt, m.firstAnomalousAt);
        target.lastAnomalousAt = Math.max(target.lastAnomalousAt, m.lastAnomalousAt);
        m.episodes.forEach(target.episodes::putIfAbsent);
      }
      incidentOfService.put(m.service, into.id);
    }
    into.anomalies += from.anomalies;
    into.openedAt = Math.min(into.openedAt, from.openedAt);
    from.resolved = true;
    from.resolvedAt = now;
    from.mergedInto = into.id;
  }

  /** Resolves incidents all of whose members have been healthy long enough; returns them. */
  public List<LiveIncident> resolve(long now) {
    long stale = settings.episodeStale().toMillis();
    List<LiveIncident> resolved = new ArrayList<>();
    for (LiveIncident incident : open.values()) {
      if (incident.resolved) {
        continue;
      }
      long healthySince = Long.MIN_VALUE;
      for (Member m : incident.members.values()) {
        healthySince = Math.max(healthySince, m.healthySince(now, stale));
      }
      if (healthySince != Long.MAX_VALUE && now - healthySince >= settings.healthyMillis()) {
        incident.resolved = true;
        incident.resolvedAt = healthySince + settings.healthyMillis();
        resolved.add(incident);
      }
    }
    return resolved;
  }

  /** Entry points: services upstream of the members (or members) that nobody calls. */
  public static List<String> entryPoints(LiveIncident incident, ServiceGraph graph) {
    Set<String> affected = new TreeSet<>(incident.members.keySet());
    for (String m : incident.members.keySet()) {
      affected.addAll(graph.upstream(m, ENTRY_POINT_DEPTH));
    }
    List<String> entries = new ArrayList<>();
    for (String node : affected) {
      if (graph.callers(node).isEmpty() && graph.isService(node)) {
        entries.add(node);
      }
    }
    return entries;
  }

  /** Services affected: the members and everything upstream of them. */
  public static Set<String> affected(LiveIncident incident, ServiceGraph graph) {
    Set<String> affected = new TreeSet<>(incident.members.keySet());
    for (String m : incident.members.keySet()) {
      affected.addAll(graph.upstream(m, ENTRY_POINT_DEPTH));
    }
    return affected;
  }

  /**
   * An anomaly event after folding.
   *
   * @param outcome what happened
   * @param incident the incident touched, or null when ignored
   */
  public record Folded(Outcome outcome, LiveIncident incident) {}
}
