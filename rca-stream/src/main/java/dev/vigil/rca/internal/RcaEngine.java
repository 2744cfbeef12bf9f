package dev.vigil.rca.internal;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.RootCause;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The root-cause engine of one environment: it folds edges, changes and anomalies in as they come
 * and, at each evaluation (stream time), ages the graph, merges and resolves incidents, re-ranks
 * their root causes and returns the incident versions and alerts to publish. It never reads the
 * wall clock: every time comes from the records.
 *
 * <p>State changes are tracked by store key ({@code edge/}, {@code incident/}, {@code changes/})
 * and written by {@link #flush}; {@link #restore} reads them back after a restart.
 */
public final class RcaEngine {
  static final String EDGE = "edge/";
  static final String INCIDENT = "incident/";
  static final String CHANGES = "changes/";

  private final RcaSettings settings;
  private final Function<String, ServiceInfo> catalog;
  private final RcaMetrics metrics;
  private final ServiceGraph graph = new ServiceGraph();
  private final ChangeLog changes = new ChangeLog();
  private final IncidentBook book;
  private final RootCauseRanker ranker;
  private final AlertFactory alerts;
  private final Set<String> dirty = new TreeSet<>();

  /**
   * An empty engine.
   *
   * @param settings the app's settings
   * @param catalog catalog lookup; returns null for unknown services
   * @param metrics where counts go
   */
  public RcaEngine(
      RcaSettings settings, Function<String, ServiceInfo> catalog, RcaMetrics metrics) {
    this.settings = settings;
    this.catalog = catalog;
    this.metrics = metrics;
    this.book = new IncidentBook(settings);
    this.ranker = new RootCauseRanker(settings);
    this.alerts = new AlertFactory(settings.generatorUrl(), catalog);
  }

  /** The live graph (read it, do not change it). */
  public ServiceGraph graph() {
    return graph;
  }

  /** The open incidents. */
  public List<LiveIncident> openIncidents() {
    return List.copyOf(book.open());
  }

  /**
   * Folds one edge window into the graph.
   *
   * @throws IllegalArgumentException if the window is invalid (it then goes to the DLQ)
   */
  public void onEdge(EdgeKey key, EdgeWindow window) {
    require(!key.getClient().isBlank() && !key.getServer().isBlank(), "edge without endpoints");
    require(window.getCalls() >= 0 && window.getErrors() >= 0, "negative calls or errors");
    EdgeStats before = graph.edge(key.getClient(), key.getServer());
    if (window.getRevision() > 0
        && before != null
        && window.getWindowEnd().toEpochMilli() <= before.lastWindowEnd()) {
      // A revision of a window this edge already has: it replaces the latest window (the baseline
      // takes the final values once), anything older is ignored; never a new window.
      boolean replaced = before.replaces(window);
      if (replaced) {
        graph.observe(key.getClient(), key.getServer(), window, peakMemory());
        dirty.add(EDGE + ServiceGraph.edgeId(key.getClient(), key.getServer()));
      }
      metrics.edgeRevision(replaced);
      return;
    }
    graph.observe(key.getClient(), key.getServer(), window, peakMemory());
    dirty.add(EDGE + ServiceGraph.edgeId(key.getClient(), key.getServer()));
    metrics.edge();
  }

  /** Records a change (deploy, config, ...) as evidence. */
  public void onChange(ChangeEvent change) {
    require(!change.getService().isBlank(), "change without service");
    changes.add(change);
    dirty.add(CHANGES + change.getService());
    metrics.change();
  }

  /**
   * Folds an anomaly event into its incident.
   *
   * @throws IllegalArgumentException if the event is invalid (it then goes to the DLQ)
   */
  public IncidentBook.Folded onAnomaly(AnomalyEvent event) {
    require(!event.getService().isBlank(), "anomaly without service");
    require(
        event.getScore() >= 0 && event.getScore() <= 1,
        "anomaly score " + event.getScore() + " outside [0,1]");
    IncidentBook.Folded folded = book.fold(event, graph);
    metrics.anomaly(folded.outcome());
    if (folded.incident() != null) {
      dirty.add(INCIDENT + folded.incident().id());
    }
    return folded;
  }

  /**
   * Evaluates at stream time {@code now}: ages edges and changes, merges and resolves incidents,
   * re-ranks, and returns what changed since last published.
   */
  public List<Published> evaluate(long now) {
    for (String edge : graph.expire(now, settings.edgeTtl().toMillis())) {
      dirty.add(EDGE + edge);
    }
    long changeHorizon =
        now - settings.changeLookback().toMillis() - settings.correlationWindow().toMillis();
    for (String service : changes.expire(changeHorizon)) {
      dirty.add(CHANGES + service);
    }
    for (LiveIncident absorbed : book.merge(graph, now)) {
      metrics.merged();
      dirty.add(INCIDENT + absorbed.id());
    }
    for (LiveIncident resolved : book.resolve(now)) {
      metrics.resolved();
      dirty.add(INCIDENT + resolved.id());
    }
    List<Published> out = new ArrayList<>();
    for (LiveIncident incident : List.copyOf(book.open())) {
      boolean neverPublished = incident.publishedDigest.isEmpty();
      if (incident.resolved && incident.mergedInto != null && neverPublished) {
        // Split by arrival order and merged before anyone saw it: not worth an alert.
        book.remove(incident.id);
        continue;
      }
      if (!incident.resolved) {
        incident.rootCauses = ranker.rank(incident.members, graph, changes, now);
      }
      Incident view = view(incident, now);
      String digest = digest(view);
      if (incident.resolved || !digest.equals(incident.publishedDigest)) {
        incident.version++;
        incident.updatedAt = incident.resolved ? incident.resolvedAt : now;
        incident.publishedDigest = digest;
        view.setVersion(incident.version);
        view.setUpdatedAt(Instant.ofEpochMilli(incident.updatedAt));
        out.add(new Published(view, alerts.alert(view, incident.mergedInto)));
        metrics.version();
        dirty.add(INCIDENT + incident.id);
      }
      if (incident.resolved) {
        book.remove(incident.id);
      }
    }
    metrics.sizes(book.open().size(), graph.nodeCount(), graph.edgeCount());
    return out;
  }

  /** Writes every changed piece of state: {@code value} null deletes the key. */
  public void flush(BiConsumer<String, byte[]> store) {
    for (String key : dirty) {
      store.accept(key, encode(key));
    }
    dirty.clear();
  }

  private byte[] encode(String key) {
    if (key.startsWith(EDGE)) {
      EdgeStats edge = graph.edgeById(key.substring(EDGE.length()));
      return edge == null ? null : StateCodec.write(edge);
    }
    if (key.startsWith(INCIDENT)) {
      LiveIncident incident = book.get(key.substring(INCIDENT.length()));
      return incident == null ? null : StateCodec.write(incident);
    }
    List<ChangeLog.Change> list = changes.of(key.substring(CHANGES.length()));
    return list.isEmpty() ? null : StateCodec.write(list);
  }

  /** Reads one stored piece of state back. */
  public void restore(String key, byte[] value) {
    if (key.startsWith(EDGE)) {
      graph.put(StateCodec.read(value, EdgeStats.class));
    } else if (key.startsWith(INCIDENT)) {
      book.restore(StateCodec.read(value, LiveIncident.class));
    } else if (key.startsWith(CHANGES)) {
      changes.put(key.substring(CHANGES.length()), StateCodec.readChanges(value));
    }
  }

  private Incident view(LiveIncident incident, long now) {
    Set<String> affected = IncidentBook.affected(incident, graph);
    List<String> business = new ArrayList<>();
    boolean criticalMember = false;
    for (String service : affected) {
      ServiceInfo info = catalog.apply(service);
      if (info != null && info.getBusinessCritical()) {
        business.add(service);
        criticalMember |= incident.members.containsKey(service);
      }
    }
    int severity = 0;
    for (Member m : incident.members.values()) {
      for (Episode e : m.episodes.values()) {
        severity = Math.max(severity, IncidentBook.rank(e.severity()));
      }
    }
    // A business-critical service that is itself anomalous makes the incident critical.
    if (criticalMember) {
      severity = 2;
    }
    List<RootCause> causes = new ArrayList<>();
    incident.rootCauses.forEach(c -> causes.add(c.toRootCause()));
    return Incident.newBuilder()
        .setId(incident.id)
        .setState(incident.resolved ? IncidentState.RESOLVED : IncidentState.OPEN)
        .setSeverity(Severity.values()[severity])
        .setOpenedAt(Instant.ofEpochMilli(incident.openedAt))
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .setResolvedAt(incident.resolved ? Instant.ofEpochMilli(incident.resolvedAt) : null)
        .setServices(new ArrayList<>(incident.members.keySet()))
        .setRootCauses(causes)
        .setEntryPoints(IncidentBook.entryPoints(incident, graph))
        .setBusinessImpact(business)
        .setAnomalies(incident.anomalies)
        .setVersion(incident.version)
        .build();
  }

  /** What makes a new version worth publishing: not the time, not small score moves. */
  private static String digest(Incident view) {
    StringBuilder d = new StringBuilder();
    d.append(view.getState())
        .append('|')
        .append(view.getSeverity())
        .append('|')
        .append(view.getServices())
        .append('|')
        .append(view.getEntryPoints())
        .append('|')
        .append(view.getBusinessImpact())
        .append('|')
        .append(view.getAnomalies())
        .append('|');
    view.getRootCauses().forEach(c -> d.append(c.getService()).append(','));
    return d.toString();
  }

  private long peakMemory() {
    return settings.correlationWindow().toMillis();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * One incident version to publish and its alert.
   *
   * @param incident the incident version
   * @param alert its alert
   */
  public record Published(Incident incident, Alert alert) {}
}
