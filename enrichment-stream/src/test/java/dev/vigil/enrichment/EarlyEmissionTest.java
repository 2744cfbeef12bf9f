package dev.vigil.enrichment;

import static dev.vigil.enrichment.Pipeline.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early emission through the whole topology (default settings: first emission 5 s after a window's
 * end, grace 30 s): signals and edges are first emitted with revision 0, and the series and edges
 * that late data changed again with revision 1 at the end of the grace.
 */
class EarlyEmissionTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String T1 = "11111111111111111111111111111111";
  private static final String T2 = "22222222222222222222222222222222";
  private static final String T9 = "99999999999999999999999999999999";

  @TempDir Path stateDir;

  private static Span server(String id, String name, Instant start, double ms) {
    return Otlp.span(TRACE, id, null, SpanKind.SPAN_KIND_SERVER, start, ms).setName(name).build();
  }

  /** The records of {@code service} as "signal/span.name/revision/count". */
  private static List<String> summary(List<KeyValue<SeriesKey, SignalWindow>> records) {
    return records.stream()
        .filter(kv -> kv.key.getService().equals("checkout"))
        .map(
            kv ->
                kv.key.getSignal()
                    + kv.key.getDims().stream()
                        .filter(a -> a.getKey().equals("span.name"))
                        .map(a -> " " + a.getValue())
                        .collect(Collectors.joining())
                    + " r"
                    + kv.value.getRevision()
                    + " n"
                    + kv.value.getCount())
        .toList();
  }

  @Test
  void spanSignalsAreFirstEmittedAfterTheDelayAndOnlyTheChangedOperationIsRevised() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.send(
          p.spans,
          Otlp.traces(
              "checkout",
              server("00f067aa0ba902b1", "GET /a", at(0, 10), 10),
              server("00f067aa0ba902b2", "GET /b", at(0, 20), 20)),
          at(0, 21));
      p.send(
          p.spans,
          Otlp.traces("checkout", server("00f067aa0ba902b3", "GET /a", at(1, 4), 1)),
          at(1, 4));
      assertThat(p.signalRecords()).as("01:04 is before the end plus 5 s").isEmpty();

      p.send(
          p.spans,
          Otlp.traces("checkout", server("00f067aa0ba902b4", "GET /a", at(1, 5), 1)),
          at(1, 5));
      assertThat(summary(p.signalRecords()))
          .containsExactlyInAnyOrder(
              "span.duration GET /a r0 n1",
              "span.calls GET /a r0 n1",
              "span.errors GET /a r0 n1",
              "span.duration GET /b r0 n1",
              "span.calls GET /b r0 n1",
              "span.errors GET /b r0 n1");

      // Late but within the grace: a failed call of /a at 00:58, of 40 ms.
      p.send(
          p.spans,
          Otlp.traces(
              "checkout",
              server("00f067aa0ba902b5", "GET /a", at(0, 58), 40).toBuilder()
                  .setStatus(Otlp.error())
                  .build()),
          at(1, 10));
      p.send(
          p.spans,
          Otlp.traces("checkout", server("00f067aa0ba902b6", "GET /b", at(1, 29), 1)),
          at(1, 29));
      assertThat(p.signalRecords()).as("the grace has not ended").isEmpty();

      p.send(
          p.spans,
          Otlp.traces("checkout", server("00f067aa0ba902b7", "GET /b", at(1, 30), 1)),
          at(1, 30));
      List<KeyValue<SeriesKey, SignalWindow>> revised = p.signalRecords();
      assertThat(summary(revised))
          .containsExactlyInAnyOrder(
              "span.duration GET /a r1 n2", "span.calls GET /a r1 n2", "span.errors GET /a r1 n2");
      SignalWindow latency = Pipeline.of(revised, "checkout", "span.duration").get(0);
      assertThat(latency.getWindowStart()).isEqualTo(at(0, 0));
      assertThat(latency.getSum()).isCloseTo(50.0, within(1e-9));
      assertThat(latency.getMax()).isCloseTo(40.0, within(1e-9));
      assertThat(latency.getErrors()).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.window.revisions", "spans")).isEqualTo(3);
      assertThat(p.count("vigil.enrichment.window.delayed", "spans")).isZero();
      assertThat(p.count("vigil.enrichment.late", "spans")).isZero();
    }
  }

  @Test
  void logSignalsOfALateRecordAreRevisedAndAServiceFirstSeenLateIsEmittedAtTheEndOfTheGrace() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(0, 10), 17, "ERROR")), at(0, 10));
      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(1, 5), 9, "INFO")), at(1, 5));
      List<KeyValue<SeriesKey, SignalWindow>> first = p.signalRecords();
      assertThat(first).hasSize(2).allMatch(kv -> kv.value.getRevision() == 0);

      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(0, 50), 13, "WARN")), at(1, 6));
      p.send(p.logs, Otlp.logs("ghost", Otlp.log(at(0, 55), 17, "ERROR")), at(1, 7));
      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(1, 40), 9, "INFO")), at(1, 40));

      List<KeyValue<SeriesKey, SignalWindow>> atGraceEnd = p.signalRecords();
      assertThat(atGraceEnd).hasSize(4);
      SignalWindow errors = Pipeline.of(atGraceEnd, "payment", "log.errors").get(0);
      assertThat(errors.getRevision()).isEqualTo(1);
      assertThat(errors.getErrors()).isEqualTo(1);
      SignalWindow warnings = Pipeline.of(atGraceEnd, "payment", "log.warnings").get(0);
      assertThat(warnings.getRevision()).isEqualTo(1);
      assertThat(warnings.getErrors()).isEqualTo(1);
      SignalWindow ghost = Pipeline.of(atGraceEnd, "ghost", "log.errors").get(0);
      assertThat(ghost.getRevision()).as("its first emission").isZero();
      assertThat(ghost.getErrors()).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.window.revisions", "logs")).isEqualTo(2);
      assertThat(p.count("vigil.enrichment.window.delayed", "logs")).isEqualTo(2);
    }
  }

  private static Span span(
      String trace, String id, String parent, SpanKind kind, Instant start, double ms) {
    return Otlp.span(trace, id, parent, kind, start, ms).build();
  }

  /** A call between two other services at {@code t}: moves the edge windows' watermark. */
  private static void tick(Pipeline p, Instant t, String suffix) {
    p.send(
        p.spans,
        Otlp.traces(
            "tick-a", span(T9, "90000000000000" + suffix, null, SpanKind.SPAN_KIND_CLIENT, t, 1)),
        t);
    p.send(
        p.spans,
        Otlp.traces(
            "tick-b",
            span(
                T9,
                "91000000000000" + suffix,
                "90000000000000" + suffix,
                SpanKind.SPAN_KIND_SERVER,
                t,
                1)),
        t);
  }

  private static List<EdgeWindow> edges(Pipeline p) {
    return p.edges.readKeyValuesToList().stream()
        .filter(kv -> kv.key.equals(new EdgeKey("frontend", "cart")))
        .map(kv -> kv.value)
        .toList();
  }

  @Test
  void anEdgeIsFirstEmittedAfterTheDelayAndRevisedWhenALateCallIsPaired() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.send(
          p.spans,
          Otlp.traces(
              "frontend",
              span(T1, "a000000000000001", null, SpanKind.SPAN_KIND_CLIENT, at(0, 20), 30)),
          at(0, 21));
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              span(
                  T1,
                  "b000000000000001",
                  "a000000000000001",
                  SpanKind.SPAN_KIND_SERVER,
                  at(0, 20),
                  25)),
          at(0, 22));
      tick(p, at(1, 5), "01");
      List<EdgeWindow> first = edges(p);
      assertThat(first).hasSize(1);
      assertThat(first.get(0).getRevision()).isZero();
      assertThat(first.get(0).getCalls()).isEqualTo(1);

      // A call of 00:50 whose server side is exported late: paired at 01:12, within the grace.
      p.send(
          p.spans,
          Otlp.traces(
              "frontend",
              span(T2, "c000000000000001", null, SpanKind.SPAN_KIND_CLIENT, at(0, 50), 70)),
          at(1, 10));
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              span(
                  T2,
                  "d000000000000001",
                  "c000000000000001",
                  SpanKind.SPAN_KIND_SERVER,
                  at(0, 50),
                  60)),
          at(1, 12));
      tick(p, at(1, 29), "02");
      assertThat(edges(p)).as("the grace has not ended").isEmpty();
      tick(p, at(1, 30), "03");

      List<EdgeWindow> revised = edges(p);
      assertThat(revised).hasSize(1);
      assertThat(revised.get(0).getWindowStart()).isEqualTo(at(0, 0));
      assertThat(revised.get(0).getRevision()).isEqualTo(1);
      assertThat(revised.get(0).getCalls()).isEqualTo(2);
      assertThat(p.count("vigil.enrichment.window.revisions", "edges")).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.late", "edges")).isZero();
    }
  }
}
