package dev.vigil.rca.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The app's own metrics ({@code vigil_rca_*} in Prometheus): incidents opened, merged and resolved,
 * anomaly events by outcome (the noise reduction is anomalies absorbed over incidents opened), the
 * size of the live graph and the open incidents.
 */
public final class RcaMetrics {
  private final Counter opened;
  private final Counter resolved;
  private final Counter merged;
  private final Counter versions;
  private final Counter edges;
  private final Counter changes;
  private final Map<IncidentBook.Outcome, Counter> anomalies =
      new EnumMap<>(IncidentBook.Outcome.class);
  private final AtomicInteger openIncidents = new AtomicInteger();
  private final AtomicInteger graphNodes = new AtomicInteger();
  private final AtomicInteger graphEdges = new AtomicInteger();
  private final MeterRegistry registry;

  /** Registers the meters. */
  public RcaMetrics(MeterRegistry registry) {
    this.registry = registry;
    opened = counter(registry, "vigil.rca.incidents.opened", "Incidents opened");
    resolved = counter(registry, "vigil.rca.incidents.resolved", "Incidents resolved");
    merged = counter(registry, "vigil.rca.incidents.merged", "Incidents absorbed by an older one");
    versions =
        counter(registry, "vigil.rca.incident.versions", "Incident versions (and alerts) emitted");
    edges = counter(registry, "vigil.rca.edge.windows", "Edge windows folded into the graph");
    changes = counter(registry, "vigil.rca.changes", "Change events recorded");
    for (IncidentBook.Outcome outcome : IncidentBook.Outcome.values()) {
      anomalies.put(
          outcome,
          Counter.builder("vigil.rca.anomaly.events")
              .description("Anomaly events by what they did to incidents")
              .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
              .register(registry));
    }
    Gauge.builder("vigil.rca.incidents.open", openIncidents, AtomicInteger::get)
        .description("Incidents open now")
        .register(registry);
    Gauge.builder("vigil.rca.graph.nodes", graphNodes, AtomicInteger::get)
        .description("Nodes of the live service graph")
        .register(registry);
    Gauge.builder("vigil.rca.graph.edges", graphEdges, AtomicInteger::get)
        .description("Edges of the live service graph")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** Counts a predictive alert version: fired, updated or resolved. */
  void predictive(String phase) {
    Counter.builder("vigil.rca.predictive.alerts")
        .description("Predictive alert versions emitted, by phase")
        .tag("phase", phase)
        .register(registry)
        .increment();
  }

  void anomaly(IncidentBook.Outcome outcome) {
    anomalies.get(outcome).increment();
    if (outcome == IncidentBook.Outcome.OPENED) {
      opened.increment();
    }
  }

  void edge() {
    edges.increment();
  }

  /**
   * Counts an edge window that revised its edge's latest window: {@code replaced} (folded in
   * instead of the first emission) or {@code ignored} (not the latest window, or a state stored
   * before revisions existed).
   */
  void edgeRevision(boolean replaced) {
    Counter.builder("vigil.rca.edge.revisions")
        .description("Edge window revisions, replaced or ignored")
        .tag("outcome", replaced ? "replaced" : "ignored")
        .register(registry)
        .increment();
  }

  /** Counts an evaluation by what triggered it: {@code event_time} or {@code wall_clock}. */
  void evaluation(String trigger) {
    Counter.builder("vigil.rca.evaluations")
        .description("Evaluations (ranking, merging, publishing) by trigger")
        .tag("trigger", trigger)
        .register(registry)
        .increment();
  }

  void change() {
    changes.increment();
  }

  void merged() {
    merged.increment();
  }

  void resolved() {
    resolved.increment();
  }

  void version() {
    versions.increment();
  }

  void sizes(int open, int nodes, int edgeCount) {
    openIncidents.set(open);
    graphNodes.set(nodes);
    graphEdges.set(edgeCount);
  }
}
