package dev.vigil.rca.internal;

import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live service graph: directed edges from callers to callees, built from the edge windows, each
 * with its traffic, its baseline and its recent degradation. Edges without calls for the TTL age
 * out. Iteration orders are sorted, so everything computed from the graph is deterministic.
 */
public final class ServiceGraph {
  private final Map<String, EdgeStats> edges = new TreeMap<>();
  private final Map<String, SortedSet<String>> callees = new TreeMap<>();
  private final Map<String, SortedSet<String>> callers = new TreeMap<>();
  private final Map<String, String> kinds = new TreeMap<>();

  /** Identity of an edge in maps and stores. */
  public static String edgeId(String client, String server) {
    return client + " -> " + server;
  }

  /**
   * Folds one window into its edge and returns the updated edge.
   *
   * @param peakMemory how long an edge remembers its worst degradation
   */
  public EdgeStats observe(String client, String server, EdgeWindow window, long peakMemory) {
    String id = edgeId(client, server);
    EdgeStats old = edges.get(id);
    EdgeStats updated =
        old == null ? EdgeStats.first(client, server, window) : old.next(window, peakMemory);
    put(updated);
    return updated;
  }

  /** Adds or replaces an edge (also used to restore state). */
  public void put(EdgeStats edge) {
    edges.put(edgeId(edge.client(), edge.server()), edge);
    callees.computeIfAbsent(edge.client(), k -> new TreeSet<>()).add(edge.server());
    callers.computeIfAbsent(edge.server(), k -> new TreeSet<>()).add(edge.client());
    kinds.putIfAbsent(edge.client(), NodeKind.SERVICE.name());
    kinds.put(edge.server(), edge.kind());
  }

  /** Removes edges whose latest window ended before {@code now - ttl}; returns their ids. */
  public List<String> expire(long now, long ttl) {
    List<String> gone = new ArrayList<>();
    for (EdgeStats edge : List.copyOf(edges.values())) {
      if (edge.lastWindowEnd() < now - ttl) {
        gone.add(edgeId(edge.client(), edge.server()));
        remove(edge);
      }
    }
    return gone;
  }

  private void remove(EdgeStats edge) {
    edges.remove(edgeId(edge.client(), edge.server()));
    drop(callees, edge.client(), edge.server());
    drop(callers, edge.server(), edge.client());
    for (String node : List.of(edge.client(), edge.server())) {
      if (!callees.containsKey(node) && !callers.containsKey(node)) {
        kinds.remove(node);
      }
    }
  }

  private static void drop(Map<String, SortedSet<String>> adjacency, String from, String to) {
    SortedSet<String> set = adjacency.get(from);
    if (set != null) {
      set.remove(to);
      if (set.isEmpty()) {
        adjacency.remove(from);
      }
    }
  }

  /** The edge from client to server, or null. */
  public EdgeStats edge(String client, String server) {
    return edges.get(edgeId(client, server));
  }

  /** The edge with this {@link #edgeId}, or null. */
  public EdgeStats edgeById(String id) {
    return edges.get(id);
  }

  /** Every edge, sorted by id. */
  public Collection<EdgeStats> edges() {
    return edges.values();
  }

  /** Services and virtual nodes the node calls. */
  public Set<String> callees(String node) {
    return callees.getOrDefault(node, new TreeSet<>());
  }

  /** Services that call the node. */
  public Set<String> callers(String node) {
    return callers.getOrDefault(node, new TreeSet<>());
  }

  /** Whether the node has any edge: whether the graph knows where it sits. */
  public boolean knows(String node) {
    return !callees(node).isEmpty() || !callers(node).isEmpty();
  }

  /** Whether the node is a service (not a database, cache, queue or external dependency). */
  public boolean isService(String node) {
    return NodeKind.SERVICE.name().equals(kinds.getOrDefault(node, NodeKind.SERVICE.name()));
  }

  /** What the node is: SERVICE, DATABASE, CACHE, QUEUE or EXTERNAL. */
  public String kind(String node) {
    return kinds.getOrDefault(node, NodeKind.SERVICE.name());
  }

  /** Nodes in the graph. */
  public int nodeCount() {
    return kinds.size();
  }

  /** Edges in the graph. */
  public int edgeCount() {
    return edges.size();
  }

  /** Nodes reachable from {@code node} along call edges in 1..hops steps. */
  public Set<String> downstream(String node, int hops) {
    return reach(node, hops, callees);
  }

  /** Nodes that reach {@code node} along call edges in 1..hops steps. */
  public Set<String> upstream(String node, int hops) {
    return reach(node, hops, callers);
  }

  private static Set<String> reach(
      String start, int hops, Map<String, SortedSet<String>> adjacency) {
    Set<String> seen = new TreeSet<>();
    Deque<String> frontier = new ArrayDeque<>(List.of(start));
    for (int depth = 0; depth < hops && !frontier.isEmpty(); depth++) {
      Deque<String> next = new ArrayDeque<>();
      for (String node : frontier) {
        for (String neighbour : adjacency.getOrDefault(node, new TreeSet<>())) {
          if (!neighbour.equals(start) && seen.add(neighbour)) {
            next.add(neighbour);
          }
        }
      }
      frontier = next;
    }
    return seen;
  }

  /**
   * Whether anomalies of {@code a} and {@code b} can be one problem: one reaches the other along
   * calls within {@code hops}, or both call a common dependency within {@code hops} in total.
   * Sharing only a caller does not link them: a front end that calls two broken services does not
   * make them one problem.
   */
  public boolean linked(String a, String b, int hops) {
    if (a.equals(b)) {
      return true;
    }
    if (downstream(a, hops).contains(b) || downstream(b, hops).contains(a)) {
      return true;
    }
    if (hops < 2) {
      return false;
    }
    Set<String> below = downstream(a, hops - 1);
    below.retainAll(downstream(b, hops - 1));
    return !below.isEmpty();
  }
}
