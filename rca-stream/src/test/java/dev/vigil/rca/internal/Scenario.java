package dev.vigil.rca.internal;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ChangeType;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.Severity;
import dev.vigil.schemas.SignalType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted minute-by-minute world for tests: a call graph with steady traffic, faults that
 * degrade some edges from some minute on, the anomalies the anomaly stream would report, and
 * changes. {@link #events} lays it out in time order as the topics would carry it: each minute's
 * edge windows close at the end of the minute, then its anomalies, changes at their own time.
 */
public final class Scenario {
  /** Minute 0. */
  public static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

  private final Map<String, Edge> edges = new LinkedHashMap<>();
  private final List<Anomalous> anomalies = new ArrayList<>();
  private final List<ChangeEvent> changes = new ArrayList<>();

  /** Time of minute {@code m}. */
  public static Instant minute(int m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  /** A steady edge of {@code calls} per minute, {@code p99} ms, 0.1% errors. */
  public Scenario edge(String client, String server, NodeKind kind, double p99) {
    edges.put(client + ">" + server, new Edge(client, server, kind, p99, new ArrayList<>()));
    return this;
  }

  /** A service-to-service edge. */
  public Scenario edge(String client, String server, double p99) {
    return edge(client, server, NodeKind.SERVICE, p99);
  }

  /** From minute {@code from} (inclusive) to {@code to} (exclusive) the edge's p99 is x factor. */
  public Scenario slow(String client, String server, int from, int to, double factor) {
    edges.get(client + ">" + server).faults().add(new Fault(from, to, factor, 0));
    return this;
  }

  /** From minute {@code from} to {@code to} the edge fails at {@code errorRate}. */
  public Scenario failing(String client, String server, int from, int to, double errorRate) {
    edges.get(client + ">" + server).faults().add(new Fault(from, to, 1, errorRate));
    return this;
  }

  /** The service is anomalous in minutes [from, to): one episode, an event per minute. */
  public Scenario anomalous(String service, int from, int to, double score, SignalType type) {
    anomalies.add(new Anomalous(service, from, to, score, type));
    return this;
  }

  /** A deploy of {@code version} at minute {@code m}. */
  public Scenario deploy(String service, int m, String version) {
    changes.add(
        ChangeEvent.newBuilder()
            .setService(service)
            .setType(ChangeType.DEPLOY)
            .setAt(minute(m))
            .setVersion(version)
            .setPreviousVersion("v2.2")
            .build());
    return this;
  }

  /**
   * A service-health anomaly event, score 0.8, of the episode started at minute {@code started}.
   */
  public static AnomalyEvent anomaly(String service, AnomalyPhase phase, int started, int at) {
    return AnomalyEvent.newBuilder()
        .setId(service + "-" + started)
        .setService(service)
        .setSeries(new SeriesKey(service, "service.health", List.of()))
        .setPhase(phase)
        .setAt(Scenario.minute(at))
        .setStartedAt(Scenario.minute(started))
        .setObserved(5)
        .setExpected(1)
        .setLower(0)
        .setUpper(2)
        .setScore(0.8)
        .setSeverity(Severity.WARNING)
        .setDirection(Direction.UP)
        .setDetector("test-1")
        .setSignalType(SignalType.OTHER)
        .build();
  }

  /** Every record of minutes [0, minutes), in the order the engine would see them. */
  public List<Event> events(int minutes) {
    List<Event> out = new ArrayList<>();
    for (ChangeEvent change : changes) {
      out.add(new Event(change.getAt(), change.getService(), change));
    }
    for (int m = 0; m < minutes; m++) {
      Instant end = minute(m + 1);
      for (Edge e : edges.values()) {
        out.add(new Event(end, new EdgeKey(e.client(), e.server()), e.window(m)));
      }
      for (Anomalous a : anomalies) {
        AnomalyEvent event = a.event(m);
        if (event != null) {
          out.add(new Event(end, a.service(), event));
        }
      }
    }
    out.sort((x, y) -> x.timestamp().compareTo(y.timestamp()));
    return out;
  }

  /**
   * One record: its timestamp, key and value.
   *
   * @param timestamp record timestamp (event time)
   * @param key record key (String or EdgeKey)
   * @param value AnomalyEvent, EdgeWindow or ChangeEvent
   */
  public record Event(Instant timestamp, Object key, Object value) {
    /** Feeds the event to an engine. */
    public void feed(RcaEngine engine) {
      if (value instanceof AnomalyEvent a) {
        engine.onAnomaly(a);
      } else if (value instanceof EdgeWindow w) {
        engine.onEdge((EdgeKey) key, w);
      } else {
        engine.onChange((ChangeEvent) value);
      }
    }
  }

  private record Fault(int from, int to, double factor, double errorRate) {}

  private record Edge(String client, String server, NodeKind kind, double p99, List<Fault> faults) {
    EdgeWindow window(int m) {
      double factor = 1;
      double errorRate = 0.001;
      for (Fault f : faults) {
        if (m >= f.from() && m < f.to()) {
          factor *= f.factor();
          errorRate = Math.max(errorRate, f.errorRate());
        }
      }
      // A little deterministic jitter so baselines are not flat lines.
      double jitter = 1 + 0.05 * Math.sin(m * 1.3 + client.length());
      long calls = 1_000;
      return EdgeWindow.newBuilder()
          .setWindowStart(minute(m))
          .setWindowEnd(minute(m + 1))
          .setServerKind(kind)
          .setCalls(calls)
          .setErrors(Math.round(calls * errorRate))
          .setP50(p99 * factor * jitter / 3)
          .setP90(p99 * factor * jitter / 1.5)
          .setP99(p99 * factor * jitter)
          .build();
    }
  }

  private record Anomalous(String service, int from, int to, double score, SignalType type) {
    AnomalyEvent event(int m) {
      if (m < from || m > to) {
        return null;
      }
      AnomalyPhase phase =
          m == from ? AnomalyPhase.START : m == to ? AnomalyPhase.END : AnomalyPhase.UPDATE;
      String signal = type == SignalType.ERRORS ? "span.errors" : "http.server.request.duration";
      return AnomalyEvent.newBuilder()
          .setId(service + "-" + signal + "-" + from)
          .setService(service)
          .setSeries(new SeriesKey(service, signal, List.of()))
          .setPhase(phase)
          .setAt(minute(m + 1))
          .setStartedAt(minute(from))
          .setObserved(phase == AnomalyPhase.END ? 100 : 100 + 400 * score)
          .setExpected(100)
          .setLower(80)
          .setUpper(130)
          .setScore(phase == AnomalyPhase.END ? 0.1 : score)
          .setSeverity(score >= 0.9 ? Severity.CRITICAL : Severity.WARNING)
          .setDirection(Direction.UP)
          .setDetector("test-1")
          .setSignalType(type)
          .build();
    }
  }
}
