package dev.vigil.enrichment;

import static dev.vigil.enrichment.Pipeline.at;
import static dev.vigil.testkit.Otlp.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service-graph edges from spans: both pairing modes, virtual nodes, unpaired spans. */
class EdgeTest {
  private static final String T1 = "11111111111111111111111111111111";
  private static final String T2 = "22222222222222222222222222222222";
  private static final String T9 = "99999999999999999999999999999999";

  @TempDir Path stateDir;

  private static Span span(
      String trace, String id, String parent, SpanKind kind, Instant start, double ms) {
    return Otlp.span(trace, id, parent, kind, start, ms).build();
  }

  /** A call between two other services, two minutes later: closes the earlier edge windows. */
  private static void tick(Pipeline p, Instant t) {
    p.send(
        p.spans,
        Otlp.traces("tick-a", span(T9, "9000000000000001", null, SpanKind.SPAN_KIND_CLIENT, t, 1)),
        t);
    p.send(
        p.spans,
        Otlp.traces(
            "tick-b",
            span(T9, "9000000000000002", "9000000000000001", SpanKind.SPAN_KIND_SERVER, t, 1)),
        t);
  }

  private static Map<EdgeKey, EdgeWindow> edges(Pipeline p) {
    Map<EdgeKey, EdgeWindow> edges = new java.util.HashMap<>(p.edges.readKeyValuesToMap());
    edges.remove(new EdgeKey("tick-a", "tick-b"));
    return edges;
  }

  @Test
  void pairsClientSpansWithTheirServerChildrenInEitherOrder() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // Trace 1: frontend's client span (50 ms) calls cart, whose server span failed; the server
      // span arrives first and waits for its parent. Trace 2: 30 ms, both fine, client first.
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              Otlp.span(
                      T1,
                      "b000000000000001",
                      "a000000000000001",
                      SpanKind.SPAN_KIND_SERVER,
                      at(0, 10),
                      45)
                  .setStatus(Otlp.error())
                  .build()),
          at(0, 11));
      p.send(
          p.spans,
          Otlp.traces(
              "frontend",
              span(T1, "a000000000000000", null, SpanKind.SPAN_KIND_SERVER, at(0, 9), 60),
              span(
                  T1,
                  "a000000000000001",
                  "a000000000000000",
                  SpanKind.SPAN_KIND_CLIENT,
                  at(0, 9),
                  50),
              span(T2, "c000000000000001", null, SpanKind.SPAN_KIND_CLIENT, at(0, 20), 30)),
          at(0, 21));
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              span(
                  T2,
                  "d000000000000001",
                  "c000000000000001",
                  SpanKind.SPAN_KIND_SERVER,
                  at(0, 20),
                  25)),
          at(0, 22));
      tick(p, at(2, 0));

      Map<EdgeKey, EdgeWindow> edges = edges(p);
      assertThat(edges).containsOnlyKeys(new EdgeKey("frontend", "cart"));
      EdgeWindow w = edges.get(new EdgeKey("frontend", "cart"));
      assertThat(w.getWindowStart()).isEqualTo(at(0, 0));
      assertThat(w.getServerKind()).isEqualTo(NodeKind.SERVICE);
      assertThat(w.getCalls()).isEqualTo(2);
      assertThat(w.getErrors()).isEqualTo(1);
      // Client-side latencies 30 and 50 ms. The sketch answers quantile q with the value holding
      // rank q * (n - 1): p50 (rank 0.5) and p99 (rank 0.99) both fall on 30; p90 too.
      assertThat(w.getP50()).isCloseTo(30.0, withinPercentage(1));
      assertThat(w.getP99()).isCloseTo(30.0, withinPercentage(1));
      assertThat(p.count("vigil.enrichment.spans.unpaired")).isZero();
    }
  }

  @Test
  void fallsBackToParentAndChildInDifferentServicesWhenOnlyServerSpansExist() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // No client spans and one span without a kind: frontend -> cart -> inventory, with the
      // child's (server-side) duration; the internal child of cart in cart itself is no edge.
      p.send(
          p.spans,
          Otlp.traces(
              "frontend",
              span(T1, "a000000000000001", null, SpanKind.SPAN_KIND_SERVER, at(0, 10), 80)),
          at(0, 10));
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              span(
                  T1,
                  "b000000000000001",
                  "a000000000000001",
                  SpanKind.SPAN_KIND_SERVER,
                  at(0, 11),
                  40),
              span(
                  T1,
                  "b000000000000002",
                  "b000000000000001",
                  SpanKind.SPAN_KIND_INTERNAL,
                  at(0, 12),
                  5)),
          at(0, 12));
      p.send(
          p.spans,
          Otlp.traces(
              "inventory",
              span(
                  T1,
                  "c000000000000001",
                  "b000000000000002",
                  SpanKind.SPAN_KIND_UNSPECIFIED,
                  at(0, 13),
                  4)),
          at(0, 13));
      tick(p, at(2, 0));

      Map<EdgeKey, EdgeWindow> edges = edges(p);
      assertThat(edges)
          .containsOnlyKeys(new EdgeKey("frontend", "cart"), new EdgeKey("cart", "inventory"));
      assertThat(edges.get(new EdgeKey("frontend", "cart")).getP50())
          .isCloseTo(40.0, withinPercentage(1));
      assertThat(edges.get(new EdgeKey("cart", "inventory")).getP50())
          .isCloseTo(4.0, withinPercentage(1));
      assertThat(edges.get(new EdgeKey("cart", "inventory")).getCalls()).isEqualTo(1);
    }
  }

  @Test
  void namesVirtualNodesForDependenciesWithoutServerSpans() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              Otlp.span(T1, "a000000000000001", null, SpanKind.SPAN_KIND_CLIENT, at(0, 5), 3)
                  .addAttributes(attribute("db.system", "postgresql"))
                  .addAttributes(attribute("db.name", "orders"))
                  .build(),
              Otlp.span(T1, "a000000000000002", null, SpanKind.SPAN_KIND_CLIENT, at(0, 6), 1)
                  .addAttributes(attribute("db.system", "redis"))
                  .build(),
              Otlp.span(T1, "a000000000000003", null, SpanKind.SPAN_KIND_PRODUCER, at(0, 7), 2)
                  .addAttributes(attribute("messaging.system", "kafka"))
                  .addAttributes(attribute("messaging.destination.name", "orders"))
                  .build(),
              Otlp.span(T1, "a000000000000004", null, SpanKind.SPAN_KIND_CLIENT, at(0, 8), 120)
                  .addAttributes(attribute("peer.service", "stripe"))
                  .build(),
              // A client span that names nothing and never meets its server: unpaired.
              span(T1, "a000000000000005", null, SpanKind.SPAN_KIND_CLIENT, at(0, 9), 7)),
          at(0, 10));
      // A record 40 s later: the spans above have waited longer than the pairing TTL (30 s).
      tick(p, at(0, 50));
      tick(p, at(2, 0));

      Map<EdgeKey, EdgeWindow> edges = edges(p);
      assertThat(edges)
          .containsOnlyKeys(
              new EdgeKey("cart", "postgresql:orders"),
              new EdgeKey("cart", "redis"),
              new EdgeKey("cart", "kafka:orders"),
              new EdgeKey("cart", "stripe"));
      assertThat(edges.get(new EdgeKey("cart", "postgresql:orders")).getServerKind())
          .isEqualTo(NodeKind.DATABASE);
      assertThat(edges.get(new EdgeKey("cart", "redis")).getServerKind()).isEqualTo(NodeKind.CACHE);
      assertThat(edges.get(new EdgeKey("cart", "kafka:orders")).getServerKind())
          .isEqualTo(NodeKind.QUEUE);
      assertThat(edges.get(new EdgeKey("cart", "stripe")).getServerKind())
          .isEqualTo(NodeKind.EXTERNAL);
      assertThat(edges.get(new EdgeKey("cart", "stripe")).getP50())
          .isCloseTo(120.0, withinPercentage(1));
      assertThat(p.count("vigil.enrichment.spans.unpaired")).isEqualTo(1);
    }
  }

  @Test
  void boundsThePairingStateAndCountsWhatItRefuses() {
    EnrichmentSettings d = EnrichmentSettings.defaults();
    EnrichmentSettings settings =
        new EnrichmentSettings(
            d.grace(),
            d.dimensions(),
            d.maxSeriesPerService(),
            d.cumulativeTtl(),
            d.pairingTtl(),
            2,
            d.relativeAccuracy());
    try (Pipeline p = new Pipeline(settings, stateDir)) {
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              span(T1, "a000000000000001", null, SpanKind.SPAN_KIND_SERVER, at(0, 1), 1),
              span(T1, "a000000000000002", null, SpanKind.SPAN_KIND_SERVER, at(0, 2), 1),
              span(T1, "a000000000000003", null, SpanKind.SPAN_KIND_SERVER, at(0, 3), 1)),
          at(0, 3));
      assertThat(p.count("vigil.enrichment.spans.pending.refused")).isEqualTo(1);
    }
  }
}
