package dev.vigil.enrichment;

import static dev.vigil.enrichment.Pipeline.at;
import static dev.vigil.testkit.Otlp.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.Slo;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spans to RED signals, logs to error counts, and catalog enrichment of both. */
class SpanAndLogSignalsTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir Path stateDir;

  private static Span server(String id, int second, double ms) {
    return Otlp.span(TRACE, id, null, SpanKind.SPAN_KIND_SERVER, at(0, second), ms)
        .setName("GET /cart")
        .build();
  }

  @Test
  void serverSpansGiveLatencyTrafficAndErrorSignalsPerOperation() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // Four calls of 10, 20, 30 and 40 ms; one has status ERROR, one answered 503: 2 errors.
      // A client span and an internal span are not calls of the service: ignored here.
      p.send(
          p.spans,
          Otlp.traces(
              "checkout",
              server("00f067aa0ba902b1", 5, 10),
              server("00f067aa0ba902b2", 15, 20).toBuilder().setStatus(Otlp.error()).build(),
              server("00f067aa0ba902b3", 25, 30).toBuilder()
                  .addAttributes(attribute("http.response.status_code", 503))
                  .build(),
              server("00f067aa0ba902b4", 35, 40).toBuilder()
                  .addAttributes(attribute("http.response.status_code", 404))
                  .build(),
              Otlp.span(TRACE, "00f067aa0ba902b5", null, SpanKind.SPAN_KIND_CLIENT, at(0, 36), 5)
                  .build(),
              Otlp.span(TRACE, "00f067aa0ba902b6", null, SpanKind.SPAN_KIND_INTERNAL, at(0, 36), 5)
                  .build()),
          at(0, 40));
      p.send(p.spans, Otlp.traces("checkout", server("00f067aa0ba902c1", 150, 1)), at(2, 30));

      List<KeyValue<SeriesKey, SignalWindow>> out = p.signalRecords();
      List<Attribute> dims =
          List.of(new Attribute("span.kind", "SERVER"), new Attribute("span.name", "GET /cart"));
      assertThat(out).extracting(kv -> kv.key.getDims()).containsOnly(dims);

      SignalWindow latency = Pipeline.of(out, "checkout", "span.duration").get(0);
      assertThat(latency.getType()).isEqualTo(SignalType.LATENCY);
      assertThat(latency.getUnit()).isEqualTo("ms");
      assertThat(latency.getCount()).isEqualTo(4);
      assertThat(latency.getSum()).isCloseTo(100.0, within(1e-9));
      assertThat(latency.getMin()).isCloseTo(10.0, within(1e-9));
      assertThat(latency.getMax()).isCloseTo(40.0, within(1e-9));
      // Ranks 0..3 = 10, 20, 30, 40: p50 is rank 1.5 -> 20; p99 is rank 2.97 -> 30.
      assertThat(latency.getP50()).isCloseTo(20.0, withinPercentage(1));
      assertThat(latency.getP99()).isCloseTo(30.0, withinPercentage(1));
      assertThat(latency.getErrors()).isEqualTo(2);

      SignalWindow calls = Pipeline.of(out, "checkout", "span.calls").get(0);
      assertThat(calls.getType()).isEqualTo(SignalType.TRAFFIC);
      assertThat(calls.getSum()).isEqualTo(4.0);
      assertThat(calls.getRate()).isCloseTo(4 / 60.0, within(1e-9));

      SignalWindow errors = Pipeline.of(out, "checkout", "span.errors").get(0);
      assertThat(errors.getType()).isEqualTo(SignalType.ERRORS);
      assertThat(errors.getCount()).isEqualTo(4);
      assertThat(errors.getSum()).isEqualTo(2.0);
      assertThat(errors.getRate()).isCloseTo(2 / 60.0, within(1e-9));
      assertThat(p.count("vigil.enrichment.accepted", "spans")).isEqualTo(5);
    }
  }

  @Test
  void logsCountErrorsAndWarningsPerServiceAndWindow() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // 3 x ERROR (17) + 1 x FATAL (21) = 4 errors; 2 x WARN (13) + 1 "WARNING" without a
      // number = 3 warnings; 4 x INFO count for neither.
      p.send(
          p.logs,
          Otlp.logs(
              "payment",
              Otlp.log(at(0, 1), 17, "ERROR"),
              Otlp.log(at(0, 2), 17, "ERROR"),
              Otlp.log(at(0, 3), 18, "ERROR2"),
              Otlp.log(at(0, 4), 21, "FATAL"),
              Otlp.log(at(0, 5), 13, "WARN"),
              Otlp.log(at(0, 6), 14, "WARN2"),
              Otlp.log(at(0, 7), 0, "Warning"),
              Otlp.log(at(0, 8), 9, "INFO"),
              Otlp.log(at(0, 9), 9, "INFO"),
              Otlp.log(at(0, 10), 9, "INFO"),
              Otlp.log(at(0, 11), 9, "INFO")),
          at(0, 12));
      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(2, 0), 9, "INFO")), at(2, 0));

      List<KeyValue<SeriesKey, SignalWindow>> out = p.signalRecords();
      SignalWindow errors = Pipeline.of(out, "payment", "log.errors").get(0);
      assertThat(errors.getType()).isEqualTo(SignalType.LOG_ERRORS);
      assertThat(errors.getCount()).isEqualTo(4);
      assertThat(errors.getErrors()).isEqualTo(4);
      assertThat(errors.getRate()).isCloseTo(4 / 60.0, within(1e-9));
      SignalWindow warnings = Pipeline.of(out, "payment", "log.warnings").get(0);
      assertThat(warnings.getType()).isEqualTo(SignalType.LOG_ERRORS);
      assertThat(warnings.getCount()).isEqualTo(3);
      assertThat(p.count("vigil.enrichment.accepted", "logs")).isEqualTo(12);
    }
  }

  @Test
  void enrichesFromTheCatalogAndCountsUnknownServices() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.catalog.pipeInput(
          "payment",
          ServiceInfo.newBuilder()
              .setService("payment")
              .setTeam("payments-core")
              .setTier(1)
              .setDomain("payments")
              .setSlos(List.of(new Slo("few errors logged", "log.errors", 0.99, 5.0)))
              .build(),
          at(0, 0));
      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(0, 1), 17, "ERROR")), at(0, 1));
      p.send(p.logs, Otlp.logs("ghost", Otlp.log(at(0, 1), 17, "ERROR")), at(0, 1));
      p.send(p.logs, Otlp.logs("payment", Otlp.log(at(2, 0), 9, "INFO")), at(2, 0));

      List<KeyValue<SeriesKey, SignalWindow>> out = p.signalRecords();
      SignalWindow payment = Pipeline.of(out, "payment", "log.errors").get(0);
      assertThat(payment.getTeam()).isEqualTo("payments-core");
      assertThat(payment.getTier()).isEqualTo(1);
      assertThat(payment.getDomain()).isEqualTo("payments");
      assertThat(payment.getSloObjective()).isEqualTo(0.99);
      assertThat(payment.getSloThreshold()).isEqualTo(5.0);
      SignalWindow paymentWarnings = Pipeline.of(out, "payment", "log.warnings").get(0);
      assertThat(paymentWarnings.getSloObjective()).as("no SLO on log.warnings").isNull();
      SignalWindow ghost = Pipeline.of(out, "ghost", "log.errors").get(0);
      assertThat(ghost.getTeam()).isNull();
      assertThat(ghost.getTier()).isNull();
      assertThat(ghost.getCount()).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.unknown.service.windows"))
          .as("ghost's log.errors and log.warnings windows")
          .isEqualTo(2);
    }
  }
}
