package dev.vigil.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated platform: its nodes and the entry service that user requests arrive at. The call
 * graph must be acyclic (a request never comes back to a node it passed), which the constructor
 * checks.
 */
public final class Platform {
  private final Map<String, Node> nodes;
  private final String entry;
  private final Map<String, Double> visits;

  /**
   * A platform of {@code nodes}, requests arriving at {@code entry}.
   *
   * @throws IllegalArgumentException if a call names an unknown node, the graph has a cycle or the
   *     entry is not a service
   */
  public Platform(Collection<Node> nodes, String entry) {
    Map<String, Node> byName = new LinkedHashMap<>();
    for (Node node : nodes) {
      if (byName.put(node.name(), node) != null) {
        throw new IllegalArgumentException("duplicate node " + node.name());
      }
    }
    for (Node node : byName.values()) {
      for (Node.Call call : node.calls()) {
        if (!byName.containsKey(call.target())) {
          throw new IllegalArgumentException(node.name() + " calls unknown node " + call.target());
        }
      }
    }
    Node entryNode = byName.get(Objects.requireNonNull(entry, "entry"));
    if (entryNode == null || !entryNode.isService()) {
      throw new IllegalArgumentException("entry " + entry + " is not a service of the platform");
    }
    this.nodes = Collections.unmodifiableMap(byName);
    this.entry = entry;
    this.visits = Collections.unmodifiableMap(expectedVisits());
  }

  /** Every node, in definition order. */
  public Collection<Node> nodes() {
    return nodes.values();
  }

  /** The services (nodes with telemetry of their own). */
  public List<Node> services() {
    List<Node> services = new ArrayList<>();
    nodes.values().stream().filter(Node::isService).forEach(services::add);
    return services;
  }

  /** The node named {@code name}. */
  public Node node(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node " + name + " in the platform");
    }
    return node;
  }

  /** Whether the platform has a node named {@code name}. */
  public boolean has(String name) {
    return nodes.containsKey(name);
  }

  /** The service user requests arrive at. */
  public String entry() {
    return entry;
  }

  /** Expected calls to {@code name} per user request: its share of the traffic. */
  public double visits(String name) {
    return visits.getOrDefault(name, 0.0);
  }

  /** The nodes that call {@code name}. */
  public List<String> callers(String name) {
    List<String> callers = new ArrayList<>();
    for (Node node : nodes.values()) {
      if (node.calls().stream().anyMatch(c -> c.target().equals(name))) {
        callers.add(node.name());
      }
    }
    return callers;
  }

  private Map<String, Double> expectedVisits() {
    Map<String, Double> expected = new HashMap<>();
    for (String name : topologicalOrder()) {
      double mine = name.equals(entry) ? 1.0 : expected.getOrDefault(name, 0.0);
      expected.put(name, mine);
      for (Node.Call call : nodes.get(name).calls()) {
        expected.merge(call.target(), mine * call.probability(), Double::sum);
      }
    }
    return expected;
  }

  /** Callers before callees; throws on a cycle. */
  private List<String> topologicalOrder() {
    Map<String, Integer> indegree = new HashMap<>();
    nodes.keySet().forEach(n -> indegree.put(n, 0));
    nodes
        .values()
        .forEach(n -> n.calls().forEach(c -> indegree.merge(c.target(), 1, Integer::sum)));
    List<String> order = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    indegree.forEach(
        (n, d) -> {
          if (d == 0) {
            ready.add(n);
          }
        });
    while (!ready.isEmpty()) {
      String next = ready.remove(ready.size() - 1);
      order.add(next);
      for (Node.Call call : nodes.get(next).calls()) {
        if (indegree.merge(call.target(), -1, Integer::sum) == 0) {
          ready.add(call.target());
        }
      }
    }
    if (order.size() != nodes.size()) {
      throw new IllegalArgumentException("the call graph has a cycle");
    }
    return order;
  }
}
