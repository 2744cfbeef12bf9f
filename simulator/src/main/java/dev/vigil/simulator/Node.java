package dev.vigil.simulator;

import dev.vigil.schemas.NodeKind;
import java.util.List;
import java.util.Objects;

/**
 * One node of the simulated platform: a service with telemetry of its own, or a database, cache or
 * queue that is seen only through its clients' spans (as real ones are).
 *
 * @param name node name; for databases and caches {@code system:name} (e.g. {@code
 *     postgresql:orders}), as the enrichment stream names virtual nodes
 * @param kind what the node is
 * @param system {@code db.system} or {@code messaging.system} for infrastructure, empty for
 *     services
 * @param domain business domain, also the owning team ({@code team-<domain>})
 * @param tier 1 = business critical … 3 = best effort
 * @param latencyMs median of the node's own work per call, in ms
 * @param errorRate probability that the node's own work fails
 * @param calls what a call to this node calls in turn, in order
 */
public record Node(
    String name,
    NodeKind kind,
    String system,
    String domain,
    int tier,
    double latencyMs,
    double errorRate,
    List<Call> calls) {

  /** Validates and copies. */
  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (latencyMs <= 0) {
      throw new IllegalArgumentException(name + ": latencyMs must be positive");
    }
    if (errorRate < 0 || errorRate > 1) {
      throw new IllegalArgumentException(name + ": errorRate must be in [0, 1]");
    }
    calls = List.copyOf(calls);
  }

  /** A service: it has telemetry (spans, metrics, logs) of its own. */
  public boolean isService() {
    return kind == NodeKind.SERVICE;
  }

  /** The database or cache name after {@code system:}, or the queue's destination. */
  public String resourceName() {
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(colon + 1);
  }

  /**
   * One call a node makes while serving a request.
   *
   * @param target the called node
   * @param probability chance the call is made on a request, in (0, 1]
   * @param operation span name of the call, e.g. {@code GET /api/cart} or {@code SELECT orders}
   */
  public record Call(String target, double probability, String operation) {
    /** Validates. */
    public Call {
      Objects.requireNonNull(target, "target");
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException("call to " + target + ": probability must be in (0, 1]");
      }
    }
  }
}
