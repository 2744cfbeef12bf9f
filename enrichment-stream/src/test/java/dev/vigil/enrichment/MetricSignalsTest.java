package dev.vigil.enrichment;

import static dev.vigil.enrichment.Pipeline.at;
import static dev.vigil.testkit.Otlp.attribute;
import static dev.vigil.testkit.Otlp.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric data points to 1-minute signal windows, with the numbers worked out by hand. */
class MetricSignalsTest {
  @TempDir Path stateDir;

  private static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points)))
        .build();
  }

  private static NumberDataPoint point(Instant t, double value) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(nanos(t)).setAsDouble(value).build();
  }

  private static Metric counter(
      String name, AggregationTemporality temporality, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit("1")
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(temporality)
                .addAllDataPoints(List.of(points)))
        .build();
  }

  private static NumberDataPoint cumulative(Instant start, Instant t, long value) {
    return NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(start))
        .setTimeUnixNano(nanos(t))
        .setAsInt(value)
        .addAttributes(attribute("http.route", "/pay"))
        .build();
  }

  /** A point two minutes later than everything else: closes the earlier windows. */
  private static Metric tick(Instant t) {
    return gauge("tick", "1", point(t, 1));
  }

  @Test
  void gaugeWindowHasMinMaxSumLastAndAllowListedDims() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      var dims =
          List.of(
              attribute("state", "user"), attribute("host.name", "node-7"), attribute("pid", 42));
      p.send(
          p.metrics,
          Otlp.metrics(
              "cart",
              gauge(
                  "system.cpu.utilization",
                  "1",
                  point(at(0, 5), 0.2).toBuilder().addAllAttributes(dims).build(),
                  point(at(0, 20), 0.6).toBuilder().addAllAttributes(dims).build())),
          at(0, 21));
      // Out of order within the window: the latest reading (00:40) stays "last".
      p.send(
          p.metrics,
          Otlp.metrics(
              "cart",
              gauge(
                  "system.cpu.utilization",
                  "1",
                  point(at(0, 40), 0.4).toBuilder().addAllAttributes(dims).build(),
                  point(at(0, 30), 0.5).toBuilder().addAllAttributes(dims).build())),
          at(0, 41));
      assertThat(p.signals.isEmpty()).as("nothing before the window closes").isTrue();

      p.send(p.metrics, Otlp.metrics("cart", tick(at(1, 30))), at(1, 30));

      var out = p.signalRecords();
      assertThat(out).hasSize(1);
      SeriesKey key = out.get(0).key;
      assertThat(key.getService()).isEqualTo("cart");
      assertThat(key.getSignal()).isEqualTo("system.cpu.utilization");
      assertThat(key.getDims()).containsExactly(new Attribute("state", "user"));
      SignalWindow w = out.get(0).value;
      assertThat(w.getWindowStart()).isEqualTo(at(0, 0));
      assertThat(w.getWindowEnd()).isEqualTo(at(1, 0));
      assertThat(w.getType()).isEqualTo(SignalType.GAUGE);
      assertThat(w.getCount()).isEqualTo(4);
      assertThat(w.getSum()).isCloseTo(0.2 + 0.6 + 0.4 + 0.5, within(1e-9));
      assertThat(w.getMin()).isEqualTo(0.2);
      assertThat(w.getMax()).isEqualTo(0.6);
      assertThat(w.getLast()).isEqualTo(0.4);
      assertThat(p.count("vigil.enrichment.accepted", "metrics")).isEqualTo(5);
    }
  }

  @Test
  void cumulativeCounterBecomesDeltasAcrossAReset() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      Instant start = at(-1, 0);
      Instant restart = at(1, 30);
      var cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      // 00:10 = 100 is the baseline (started 70 s earlier: not fresh); +30 at 00:40.
      // Window 01: +20 at 01:10, then the process restarts at 01:30 and reports 5 at 01:40.
      long[][] series = {{10, 100}, {40, 130}, {70, 150}, {100, 5}};
      for (long[] s : series) {
        Instant t = at(0, (int) s[0]);
        Instant st = t.isAfter(restart) ? restart : start;
        p.send(
            p.metrics,
            Otlp.metrics("cart", counter("orders", cumulative, cumulative(st, t, s[1]))),
            t);
      }
      // The same point again (a retry) changes nothing.
      p.send(
          p.metrics,
          Otlp.metrics("cart", counter("orders", cumulative, cumulative(restart, at(1, 40), 5))),
          at(1, 41));
      p.send(p.metrics, Otlp.metrics("cart", tick(at(3, 0))), at(3, 0));

      List<SignalWindow> orders = Pipeline.of(p.signalRecords(), "cart", "orders");
      assertThat(orders).hasSize(2);
      assertThat(orders.get(0).getType()).isEqualTo(SignalType.COUNTER);
      assertThat(orders.get(0).getSum()).isEqualTo(30.0);
      assertThat(orders.get(0).getCount()).isEqualTo(1);
      assertThat(orders.get(0).getRate()).isCloseTo(0.5, within(1e-9));
      assertThat(orders.get(1).getWindowStart()).isEqualTo(at(1, 0));
      assertThat(orders.get(1).getSum()).as("20 before the reset, 5 after it").isEqualTo(25.0);
      assertThat(orders.get(1).getCount()).isEqualTo(2);
      assertThat(p.count("vigil.enrichment.cumulative.resets")).isEqualTo(1);
    }
  }

  @Test
  void aCumulativeStreamIdleForLongerThanItsTtlOfEventTimeStartsAgainFromABaseline() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      Instant start = at(-1, 0);
      var cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      // +30 in window 00; then 17 minutes without the stream (the TTL is 15), only other points.
      long[][] series = {{0, 10, 100}, {0, 40, 130}, {17, 10, 200}, {18, 10, 260}};
      for (long[] s : series) {
        Instant t = at((int) s[0], (int) s[1]);
        if (s[0] == 17) {
          p.send(p.metrics, Otlp.metrics("cart", tick(at(17, 0))), at(17, 0));
        }
        p.send(
            p.metrics,
            Otlp.metrics("cart", counter("orders", cumulative, cumulative(start, t, s[2]))),
            t);
      }
      p.send(p.metrics, Otlp.metrics("cart", tick(at(20, 0))), at(20, 0));

      // No wall-clock time passes in the test driver: the expiry runs on event time alone. The
      // stream was forgotten when the watermark entered minute 17, so 200 is a new baseline (not
      // +70 over 130) and window 18 holds the +60 after it.
      List<SignalWindow> orders = Pipeline.of(p.signalRecords(), "cart", "orders");
      assertThat(orders)
          .extracting(SignalWindow::getWindowStart)
          .containsExactly(at(0, 0), at(18, 0));
      assertThat(orders).extracting(SignalWindow::getSum).containsExactly(30.0, 60.0);
    }
  }

  @Test
  void deltaCounterSumsItsPoints() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      var delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      p.send(
          p.metrics,
          Otlp.metrics(
              "cart", counter("bytes", delta, point(at(0, 10), 300), point(at(0, 20), 600))),
          at(0, 20));
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      SignalWindow w = Pipeline.of(p.signalRecords(), "cart", "bytes").get(0);
      assertThat(w.getSum()).isEqualTo(900.0);
      assertThat(w.getRate()).isEqualTo(15.0);
    }
  }

  @Test
  void histogramBucketsGiveCountSumAndQuantiles() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // Buckets (-inf,10] (10,50] (50,100] (100,+inf) with 2, 5, 2, 1 observations, min 3, max
      // 150 (open ends closed by min and max). Each bucket's observations are spread evenly over
      // it: 4.75 8.25 | 14 22 30 38 46 | 62.5 87.5 | 125. So p50 (rank 4.5) = 30 and p90, p95,
      // p99 (ranks 8.1, 8.55, 8.91) = 87.5, each within the sketch's 1 % (all at the midpoint 75,
      // as before, the tail would not move until it crossed into the next bucket).
      HistogramDataPoint point =
          HistogramDataPoint.newBuilder()
              .setTimeUnixNano(nanos(at(0, 15)))
              .setCount(10)
              .setSum(400)
              .setMin(3)
              .setMax(150)
              .addAllExplicitBounds(List.of(10.0, 50.0, 100.0))
              .addAllBucketCounts(List.of(2L, 5L, 2L, 1L))
              .build();
      Metric histogram =
          Metric.newBuilder()
              .setName("http.server.request.duration")
              .setUnit("ms")
              .setHistogram(
                  Histogram.newBuilder()
                      .setAggregationTemporality(
                          AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                      .addDataPoints(point))
              .build();
      p.send(p.metrics, Otlp.metrics("cart", histogram), at(0, 15));
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      SignalWindow w =
          Pipeline.of(p.signalRecords(), "cart", "http.server.request.duration").get(0);
      assertThat(w.getType()).isEqualTo(SignalType.LATENCY);
      assertThat(w.getUnit()).isEqualTo("ms");
      assertThat(w.getCount()).isEqualTo(10);
      assertThat(w.getSum()).isEqualTo(400.0);
      assertThat(w.getMin()).isEqualTo(3.0);
      assertThat(w.getMax()).isEqualTo(150.0);
      assertThat(w.getP50()).isCloseTo(30.0, withinPercentage(1));
      assertThat(w.getP90()).isCloseTo(87.5, withinPercentage(1));
      assertThat(w.getP95()).isCloseTo(87.5, withinPercentage(1));
      assertThat(w.getP99()).isCloseTo(87.5, withinPercentage(1));
      assertThat(w.getRate()).isCloseTo(10 / 60.0, within(1e-9));
    }
  }

  @Test
  void cumulativeExponentialHistogramFoldsItsIncrease() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      // Scale 0: bucket i holds (2^i, 2^(i+1)], represented by 2^(i+0.5). Baseline at 00:05:
      // zero 1, buckets [1, 2]. At 00:35: zero 1, buckets [2, 6], sum +20.5. Increase: 0 zeros,
      // 1 x 2^0.5 = 1.414 and 4 x 2^1.5 = 2.828: count 5, p50 (rank 2) = 2.828.
      var cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      Instant start = at(-5, 0);
      ExponentialHistogramDataPoint first = expPoint(start, at(0, 5), 4, 10.0, 1, 1, 2);
      ExponentialHistogramDataPoint second = expPoint(start, at(0, 35), 9, 30.5, 1, 2, 6);
      for (ExponentialHistogramDataPoint point : List.of(first, second)) {
        Metric metric =
            Metric.newBuilder()
                .setName("queue.wait")
                .setUnit("s")
                .setExponentialHistogram(
                    ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(cumulative)
                        .addDataPoints(point))
                .build();
        p.send(p.metrics, Otlp.metrics("cart", metric), at(0, 40));
      }
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      SignalWindow w = Pipeline.of(p.signalRecords(), "cart", "queue.wait").get(0);
      assertThat(w.getType()).isEqualTo(SignalType.LATENCY);
      assertThat(w.getCount()).isEqualTo(5);
      assertThat(w.getSum()).isEqualTo(20.5);
      assertThat(w.getP50()).isCloseTo(Math.pow(2, 1.5), withinPercentage(1));
      assertThat(w.getP99()).isCloseTo(Math.pow(2, 1.5), withinPercentage(1));
    }
  }

  private static ExponentialHistogramDataPoint expPoint(
      Instant start, Instant t, long count, double sum, long zero, long b0, long b1) {
    return ExponentialHistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(start))
        .setTimeUnixNano(nanos(t))
        .setScale(0)
        .setCount(count)
        .setSum(sum)
        .setZeroCount(zero)
        .setPositive(
            ExponentialHistogramDataPoint.Buckets.newBuilder()
                .setOffset(0)
                .addBucketCounts(b0)
                .addBucketCounts(b1))
        .build();
  }

  @Test
  void summaryKeepsItsQuantilesAndCountsItsIncrease() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      Instant start = at(0, 0);
      for (int[] s : new int[][] {{10, 40, 800}, {50, 100, 2000}}) {
        SummaryDataPoint point =
            SummaryDataPoint.newBuilder()
                .setStartTimeUnixNano(nanos(start))
                .setTimeUnixNano(nanos(at(0, s[0])))
                .setCount(s[1])
                .setSum(s[2])
                .addQuantileValues(q(0.5, 18 + s[0] / 10.0))
                .addQuantileValues(q(0.99, 90))
                .addQuantileValues(q(1.0, 120))
                .build();
        Metric metric =
            Metric.newBuilder()
                .setName("rpc.latency")
                .setUnit("ms")
                .setSummary(Summary.newBuilder().addDataPoints(point))
                .build();
        p.send(p.metrics, Otlp.metrics("cart", metric), at(0, s[0]));
      }
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      // Started at 00:00, first point at 00:10: a fresh stream, so it counts from zero:
      // 40 + (100 - 40) = 100 observations, 800 + 1200 = 2000 ms; quantiles of the last point.
      SignalWindow w = Pipeline.of(p.signalRecords(), "cart", "rpc.latency").get(0);
      assertThat(w.getCount()).isEqualTo(100);
      assertThat(w.getSum()).isEqualTo(2000.0);
      assertThat(w.getP50()).isEqualTo(23.0);
      assertThat(w.getP90()).isNull();
      assertThat(w.getP99()).isEqualTo(90.0);
      assertThat(w.getMax()).isEqualTo(120.0);
    }
  }

  private static SummaryDataPoint.ValueAtQuantile q(double quantile, double value) {
    return SummaryDataPoint.ValueAtQuantile.newBuilder()
        .setQuantile(quantile)
        .setValue(value)
        .build();
  }

  @Test
  void otlpJsonRecordsGiveTheSameWindowsAsProtobuf() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      var request = Otlp.metrics("cart", gauge("temp", "Cel", point(at(0, 5), 21.5)));
      byte[] json = ("  \n" + OtlpJson.print(request)).getBytes(StandardCharsets.UTF_8);
      p.metrics.pipeInput(new TestRecord<>(null, json, at(0, 5)));
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      SignalWindow w = Pipeline.of(p.signalRecords(), "cart", "temp").get(0);
      assertThat(w.getLast()).isEqualTo(21.5);
      assertThat(w.getUnit()).isEqualTo("Cel");
      assertThat(p.dlq.isEmpty()).isTrue();
    }
  }

  @Test
  void foldsSeriesBeyondTheCapIntoTheOverflowSeries() {
    try (Pipeline p =
        new Pipeline(EnrichmentSettings.defaults().withMaxSeriesPerService(3), stateDir)) {
      // Five routes, cap three: /a, /b, /c keep their identity, /d and /e fold into "overflow".
      NumberDataPoint[] points =
          List.of("/a", "/b", "/c", "/d", "/e", "/a").stream()
              .map(
                  r ->
                      point(at(0, 10), 1).toBuilder()
                          .addAttributes(attribute("http.route", r))
                          .build())
              .toArray(NumberDataPoint[]::new);
      p.send(p.metrics, Otlp.metrics("cart", gauge("inflight", "1", points)), at(0, 10));
      p.send(
          p.metrics,
          Otlp.metrics("search", gauge("inflight", "1", point(at(0, 10), 7))),
          at(0, 10));
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      List<KeyValue<SeriesKey, SignalWindow>> out = p.signalRecords();
      var cart =
          out.stream()
              .filter(kv -> kv.key.getService().equals("cart"))
              .collect(
                  Collectors.toMap(
                      kv ->
                          kv.key.getSignal()
                              + kv.key.getDims().stream()
                                  .map(Attribute::getValue)
                                  .collect(Collectors.joining()),
                      kv -> kv.value.getCount()));
      assertThat(cart)
          .containsExactlyInAnyOrderEntriesOf(
              java.util.Map.of(
                  "inflight/a", 2L, "inflight/b", 1L, "inflight/c", 1L, "overflow", 2L));
      assertThat(Pipeline.of(out, "search", "inflight")).hasSize(1);
      assertThat(p.count("vigil.enrichment.overflow", "metrics")).isEqualTo(2);
    }
  }

  @Test
  void emitsFirstAfterTheDelayRevisesWithDataWithinTheGraceAndDropsOlderPoints() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 10), 1))), at(0, 10));
      // 01:05 moves the watermark to the end of [00:00, 01:00) plus the 5 s emit delay: first
      // emission. 00:50 then is out of order but within the 30 s grace: folded in, revision due.
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(1, 5), 10))), at(1, 5));
      List<SignalWindow> first = Pipeline.of(p.signalRecords(), "cart", "g");
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 50), 2))), at(1, 6));
      // 01:45 closes [00:00, 01:00) (end 01:00 + grace 30 s <= 01:45); 00:55 then is late.
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(1, 45), 20))), at(1, 45));
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 55), 4))), at(1, 46));

      assertThat(first).hasSize(1);
      assertThat(first.get(0).getRevision()).isZero();
      assertThat(first.get(0).getCount()).isEqualTo(1);
      assertThat(first.get(0).getSum()).isEqualTo(1.0);
      List<SignalWindow> revised = Pipeline.of(p.signalRecords(), "cart", "g");
      assertThat(revised).hasSize(1);
      assertThat(revised.get(0).getWindowStart()).isEqualTo(at(0, 0));
      assertThat(revised.get(0).getRevision()).isEqualTo(1);
      assertThat(revised.get(0).getCount()).isEqualTo(2);
      assertThat(revised.get(0).getSum()).isEqualTo(3.0);
      assertThat(revised.get(0).getLast()).as("00:50 is the latest reading").isEqualTo(2.0);
      assertThat(p.count("vigil.enrichment.window.revisions", "metrics")).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.late", "metrics")).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.accepted", "metrics")).isEqualTo(4);
    }
  }

  @Test
  void withTheEmitDelayAtTheGraceEmitsEachWindowOnceWhenItCloses() {
    EnrichmentSettings settings =
        EnrichmentSettings.defaults().withEmitDelay(EnrichmentSettings.defaults().grace());
    try (Pipeline p = new Pipeline(settings, stateDir)) {
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 10), 1))), at(0, 10));
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(1, 5), 10))), at(1, 5));
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 50), 2))), at(1, 6));
      // 01:29 is not yet end + grace: nothing emitted so far.
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(1, 29), 20))), at(1, 29));
      assertThat(p.signalRecords()).isEmpty();
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(1, 45), 20))), at(1, 45));
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 55), 4))), at(1, 46));

      List<SignalWindow> windows = Pipeline.of(p.signalRecords(), "cart", "g");
      assertThat(windows).hasSize(1);
      assertThat(windows.get(0).getRevision()).isZero();
      assertThat(windows.get(0).getCount()).isEqualTo(2);
      assertThat(windows.get(0).getSum()).isEqualTo(3.0);
      assertThat(p.count("vigil.enrichment.window.revisions", "metrics")).isZero();
      assertThat(p.count("vigil.enrichment.late", "metrics")).isEqualTo(1);
      assertThat(p.count("vigil.enrichment.accepted", "metrics")).isEqualTo(5);
    }
  }

  @Test
  void sendsUndecodableRecordsToTheDlqAndCarriesOn() {
    try (Pipeline p = new Pipeline(EnrichmentSettings.defaults(), stateDir)) {
      p.metrics.pipeInput(
          new TestRecord<>(
              "k".getBytes(StandardCharsets.UTF_8), new byte[] {0x00, 0x13, 0x37}, at(0, 1)));
      p.metrics.pipeInput(
          new TestRecord<>(
              null, "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8), at(0, 2)));
      p.send(p.metrics, Otlp.metrics("cart", gauge("g", "1", point(at(0, 10), 1))), at(0, 10));
      p.send(p.metrics, Otlp.metrics("cart", tick(at(2, 0))), at(2, 0));

      // The test driver does not capture the handler's DLQ records (EnrichmentIT reads them from
      // a real broker); the dead-letter counter shows both were routed there.
      assertThat(
              p.registry
                  .get("vigil.dlq.records")
                  .tag("app", "enrichment")
                  .tag("stage", "deserialization")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(Pipeline.of(p.signalRecords(), "cart", "g")).hasSize(1);
    }
  }
}
