package dev.vigil.enrichment;

import static dev.vigil.enrichment.Pipeline.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw records the app cannot keep safely go to the DLQ whole, with the reason, and are counted; the
 * records around them are windowed as usual. Both cases once stopped the app: a 300 KB span name
 * made a state entry and an output over Kafka's 1 MiB, and a span in year 2100 made a window the
 * broker refused (and moved the watermark, so every later span counted as late).
 */
class InputChecksTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir Path stateDir;

  private static Span server(String id, Instant start, String name) {
    return Otlp.span(TRACE, id, null, SpanKind.SPAN_KIND_SERVER, start, 10).setName(name).build();
  }

  @Test
  void aHugeSpanNameGoesToTheDlqAndTheGoodSpansAroundItAreWindowed() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b1", at(0, 5), "GET")), at(0, 5));
      p.send(
          p.spans,
          Otlp.traces("cart", server("00f067aa0ba902b2", at(0, 6), "x".repeat(300_000))),
          at(0, 6));
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b3", at(0, 7), "GET")), at(0, 7));
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b4", at(2, 0), "GET")), at(2, 0));

      List<TestRecord<byte[], byte[]>> dead = p.dlq.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(header(dead.get(0), DeadLetters.HEADER_STAGE)).isEqualTo("processing");
      assertThat(header(dead.get(0), DeadLetters.HEADER_MESSAGE))
          .startsWith("string_too_long: span name 'xxxx")
          .contains("300000 bytes is over enrichment.input.max.string.bytes (1024)");
      assertThat(dead.get(0).value().length).isGreaterThan(300_000);
      assertThat(p.count("vigil.enrichment.rejected", "spans")).isEqualTo(1);
      SignalWindow calls = Pipeline.of(p.signalRecords(), "cart", "span.calls").get(0);
      assertThat(calls.getCount()).isEqualTo(2);
    }
  }

  @Test
  void eventTimesFarFromTheRecordTimeGoToTheDlqAndLeaveTheWatermarkAlone() {
    EnrichmentSettings sevenDaysBack =
        EnrichmentSettings.defaults()
            .withInputLimits(new InputLimits(1024, Duration.ofDays(7), Duration.ofMinutes(55)));
    try (Pipeline p = new Pipeline(sevenDaysBack, stateDir)) {
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b1", at(0, 5), "GET")), at(0, 5));
      Instant year2100 = Instant.parse("2100-01-01T00:00:00Z");
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b2", year2100, "GET")), at(0, 6));
      // Long.MAX_VALUE ns is 2262; an unsigned 2^64-1 arrives as -1.
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              server("00f067aa0ba902b3", at(0, 7), "GET").toBuilder()
                  .setStartTimeUnixNano(-1L)
                  .build()),
          at(0, 7));
      p.send(
          p.spans,
          Otlp.traces(
              "cart", server("00f067aa0ba902b4", at(0, 0).minus(Duration.ofDays(8)), "GET")),
          at(0, 8));
      // 56 minutes ahead of its record time: over the 55-minute default.
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b5", at(56, 9), "GET")), at(0, 9));
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b6", at(0, 30), "GET")), at(0, 30));
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b7", at(2, 0), "GET")), at(2, 0));

      List<TestRecord<byte[], byte[]>> dead = p.dlq.readRecordsToList();
      assertThat(dead).hasSize(4);
      assertThat(dead)
          .extracting(r -> header(r, DeadLetters.HEADER_MESSAGE))
          .allMatch(m -> m.startsWith("time_out_of_range: start of span GET at "))
          .anyMatch(m -> m.contains("at 2100-01-01T00:00:00Z is outside"))
          .anyMatch(m -> m.contains("18446744073709551615 ns (over 2^63)"));
      assertThat(p.count("vigil.enrichment.rejected", "spans")).isEqualTo(4);
      // The first window holds the two good spans, and none counted as late.
      SignalWindow calls = Pipeline.of(p.signalRecords(), "cart", "span.calls").get(0);
      assertThat(calls.getWindowStart()).isEqualTo(at(0, 0));
      assertThat(calls.getCount()).isEqualTo(2);
      assertThat(p.count("vigil.enrichment.late", "spans")).isZero();
    }
  }

  @Test
  void logRecordsFarFromTheRecordTimeGoToTheDlqNamingTheField() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      Instant year2100 = Instant.parse("2100-01-01T00:00:00Z");
      p.send(p.logs, Otlp.logs("cart", Otlp.log(at(0, 7), 17, "ok")), at(0, 7));
      p.send(p.logs, Otlp.logs("cart", Otlp.log(year2100, 17, "far")), at(0, 8));
      p.send(p.logs, Otlp.logs("cart", Otlp.log(at(2, 0), 9, "ok")), at(2, 0));

      List<String> messages =
          p.dlq.readRecordsToList().stream()
              .map(r -> header(r, DeadLetters.HEADER_MESSAGE))
              .toList();
      assertThat(messages).hasSize(1);
      assertThat(messages.get(0))
          .startsWith("time_out_of_range: log record at 2100-01-01T00:00:00Z is outside [");
      assertThat(p.count("vigil.enrichment.rejected", "logs")).isEqualTo(1);
      SignalWindow errors = Pipeline.of(p.signalRecords(), "cart", "log.errors").get(0);
      assertThat(errors.getCount()).as("the good error log of the first window").isEqualTo(1);
    }
  }

  @Test
  void aSpanOfAnUnknownKindPairsAsUnspecifiedInsteadOfFailing() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // Kind 99 used to fail encoding for pairing ("Can't get the number of an unknown enum").
      p.send(
          p.spans,
          Otlp.traces(
              "cart",
              server("00f067aa0ba902b1", at(0, 5), "GET"),
              server("00f067aa0ba902b2", at(0, 6), "GET").toBuilder().setKindValue(99).build()),
          at(0, 6));
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b3", at(2, 0), "GET")), at(2, 0));

      assertThat(p.dlq.isEmpty()).isTrue();
      SignalWindow calls = Pipeline.of(p.signalRecords(), "cart", "span.calls").get(0);
      assertThat(calls.getCount()).as("only the server span is a call").isEqualTo(1);
    }
  }

  @Test
  void histogramValuesPastTheSketchRangeDoNotFailTheBatch() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // A bucket bounded by Infinity: its midpoint used to make the sketch throw.
      io.opentelemetry.proto.metrics.v1.Metric histogram =
          io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
              .setName("latency")
              .setUnit("ms")
              .setHistogram(
                  io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                      .setAggregationTemporality(
                          io.opentelemetry.proto.metrics.v1.AggregationTemporality
                              .AGGREGATION_TEMPORALITY_DELTA)
                      .addDataPoints(
                          io.opentelemetry.proto.metrics.v1.HistogramDataPoint.newBuilder()
                              .setTimeUnixNano(Otlp.nanos(at(0, 5)))
                              .setCount(3)
                              .setSum(30)
                              .addExplicitBounds(10)
                              .addExplicitBounds(Double.POSITIVE_INFINITY)
                              .addBucketCounts(1)
                              .addBucketCounts(2)
                              .addBucketCounts(0)))
              .build();
      p.send(p.metrics, Otlp.metrics("cart", histogram), at(0, 5));
      p.send(p.spans, Otlp.traces("cart", server("00f067aa0ba902b3", at(2, 0), "GET")), at(2, 0));
      p.send(
          p.metrics,
          Otlp.metrics(
              "cart",
              histogram.toBuilder()
                  .setHistogram(
                      histogram.getHistogram().toBuilder()
                          .setDataPoints(
                              0,
                              histogram.getHistogram().getDataPoints(0).toBuilder()
                                  .setTimeUnixNano(Otlp.nanos(at(2, 0)))))
                  .build()),
          at(2, 0));

      assertThat(p.dlq.isEmpty()).isTrue();
      SignalWindow latency = Pipeline.of(p.signalRecords(), "cart", "latency").get(0);
      assertThat(latency.getCount()).isEqualTo(3);
      assertThat(latency.getP50()).isGreaterThan(10);
    }
  }

  @Test
  void theLimitsAreSettings() {
    EnrichmentSettings settings =
        EnrichmentConfig.load(
                new dev.vigil.runtime.config.ConfigSources()
                    .cli(
                        java.util.Map.of(
                            "enrichment.input.max.string.bytes", "4096",
                            "enrichment.input.max.past.ms", "3600000",
                            "enrichment.input.max.future.ms", "60000")))
            .settings();
    assertThat(settings.inputLimits())
        .isEqualTo(new InputLimits(4096, Duration.ofHours(1), Duration.ofMinutes(1)));
    assertThat(EnrichmentSettings.defaults().inputLimits())
        .isEqualTo(new InputLimits(1024, Duration.ZERO, Duration.ofMinutes(55)));
  }

  private static String header(TestRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
