package dev.vigil.enrichment.internal;

import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.enrichment.internal.EnrichmentMetrics.Source;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds the data points of one service's {@code ResourceMetrics} into 1-minute windows per series
 * and emits them: first soon after the window's end, then the series changed by late data again at
 * the end of the grace (see {@link WindowState}).
 *
 * <p>Gauges and non-monotonic sums fold as readings; monotonic sums as counters (cumulative ones
 * converted to deltas first); histograms, exponential histograms and summaries as distributions
 * with quantiles from a sketch (summaries keep their own last quantiles). A series is the metric
 * name plus the allow-listed attributes of the point.
 */
public final class MetricWindowProcessor
    implements Processor<String, ServiceBatch<ResourceMetrics>, SeriesKey, SignalWindow> {
  /** Open windows and watermark. */
  public static final String WINDOW_STORE = "enrichment-metric-windows";

  /** Last value of every cumulative stream. */
  public static final String CUMULATIVE_STORE = "enrichment-metric-cumulative";

  private static final double[] SUMMARY_QUANTILES = {0.5, 0.9, 0.95, 0.99};

  private static final long WINDOW_MS = EnrichmentSettings.WINDOW.toMillis();

  private final EnrichmentSettings settings;
  private final WindowState windows;
  private final Cumulative cumulative;
  private final Counter accepted;
  private final Counter late;
  private final Counter overflow;
  private final Counter revisions;
  private final Counter delayed;
  private final Counter invalid;
  private final Counter resets;
  private ProcessorContext<SeriesKey, SignalWindow> context;
  private long batchMax;

  /** A processor with the given settings, counting into {@code metrics}. */
  public MetricWindowProcessor(EnrichmentSettings settings, EnrichmentMetrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.windows =
        new WindowState(
            WINDOW_MS,
            settings.grace().toMillis(),
            settings.emitDelay().toMillis(),
            settings.maxSeriesPerService(),
            settings.relativeAccuracy());
    this.cumulative = new Cumulative(WINDOW_MS, settings.cumulativeTtl().toMillis());
    this.accepted = metrics.accepted(Source.METRICS);
    this.late = metrics.late(Source.METRICS);
    this.overflow = metrics.overflow(Source.METRICS);
    this.revisions = metrics.revisions(Source.METRICS);
    this.delayed = metrics.delayed(Source.METRICS);
    this.invalid = metrics.invalid(Source.METRICS);
    this.resets = metrics.cumulativeResets();
  }

  @Override
  public void init(ProcessorContext<SeriesKey, SignalWindow> processorContext) {
    this.context = processorContext;
    KeyValueStore<Bytes, byte[]> windowStore = processorContext.getStateStore(WINDOW_STORE);
    windows.init(windowStore);
    cumulative.init(processorContext.getStateStore(CUMULATIVE_STORE));
  }

  @Override
  public void process(Record<String, ServiceBatch<ResourceMetrics>> record) {
    ResourceMetrics resource = record.value().message();
    String service = record.key() != null ? record.key() : Otlp.serviceName(resource.getResource());
    batchMax = Long.MIN_VALUE;
    for (ScopeMetrics scope : resource.getScopeMetricsList()) {
      for (Metric metric : scope.getMetricsList()) {
        fold(service, metric);
      }
    }
    windows.flush();
    cumulative.flush();
    if (batchMax != Long.MIN_VALUE) {
      long before = windows.watermark();
      windows.advance(batchMax);
      // Once per minute of event time, at the batch that enters it: the watermark is stored, so a
      // restored task expires at the very same batches as one that kept running (a wall-clock
      // schedule made the output depend on when the expiry happened to run).
      if (before == Long.MIN_VALUE
          || Math.floorDiv(windows.watermark(), WINDOW_MS) > Math.floorDiv(before, WINDOW_MS)) {
        cumulative.expire(windows.watermark());
      }
    }
    windows.emitDue(this::emit);
  }

  private void emit(
      long start, long end, String id, Aggregate aggregate, WindowState.Emission emission) {
    for (var kv : Signals.of(start, end, id, aggregate, emission.revision())) {
      context.forward(new Record<>(kv.key, kv.value, end));
      BatchWindowProcessor.count(emission, revisions, delayed);
    }
  }

  private void fold(String service, Metric metric) {
    String name = metric.getName();
    String unit = metric.getUnit().isEmpty() ? null : metric.getUnit();
    switch (metric.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          gauge(service, name, unit, p);
        }
      }
      case SUM -> {
        var sum = metric.getSum();
        boolean cumulativeSum =
            sum.getAggregationTemporality()
                == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (NumberDataPoint p : sum.getDataPointsList()) {
          if (!sum.getIsMonotonic()) {
            gauge(service, name, unit, p);
          } else {
            counter(service, name, unit, p, cumulativeSum);
          }
        }
      }
      case HISTOGRAM -> {
        var histogram = metric.getHistogram();
        boolean cumulativeHist =
            histogram.getAggregationTemporality()
                == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (HistogramDataPoint p : histogram.getDataPointsList()) {
          histogram(service, name, unit, p, cumulativeHist);
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var histogram = metric.getExponentialHistogram();
        boolean cumulativeHist =
            histogram.getAggregationTemporality()
                == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (ExponentialHistogramDataPoint p : histogram.getDataPointsList()) {
          exponential(service, name, unit, p, cumulativeHist);
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          summary(service, name, unit, p);
        }
      }
      default -> invalid.increment();
    }
  }

  private void gauge(String service, String name, String unit, NumberDataPoint p) {
    double value = value(p);
    if (!Double.isFinite(value)) {
      invalid.increment();
      return;
    }
    long timeMs = p.getTimeUnixNano() / 1_000_000L;
    Aggregate a =
        aggregate(service, name, unit, p.getAttributesList(), timeMs, Aggregate.Kind.GAUGE);
    if (a != null) {
      a.addGauge(value, timeMs);
    }
  }

  private void counter(
      String service, String name, String unit, NumberDataPoint p, boolean isCumulative) {
    double value = value(p);
    if (!Double.isFinite(value)) {
      invalid.increment();
      return;
    }
    long timeMs = p.getTimeUnixNano() / 1_000_000L;
    double delta = value;
    if (isCumulative) {
      Cumulative.Delta d =
          cumulative.delta(
              service,
              rawId(name, p.getAttributesList()),
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              0,
              new double[] {value},
              -1);
      if (d == null) {
        observe(timeMs);
        return;
      }
      countReset(d);
      delta = d.values()[0];
    }
    Aggregate a =
        aggregate(service, name, unit, p.getAttributesList(), timeMs, Aggregate.Kind.COUNTER);
    if (a != null) {
      a.addCounter(delta);
    }
  }

  private void histogram(
      String service, String name, String unit, HistogramDataPoint p, boolean isCumulative) {
    long timeMs = p.getTimeUnixNano() / 1_000_000L;
    int buckets = p.getBucketCountsCount();
    double[] values = new double[2 + buckets];
    values[0] = p.getCount();
    values[1] = p.getSum();
    for (int i = 0; i < buckets; i++) {
      values[2 + i] = p.getBucketCounts(i);
    }
    Interval in =
        interval(
            service,
            name,
            p.getAttributesList(),
            p.getStartTimeUnixNano(),
            p.getTimeUnixNano(),
            p.getExplicitBoundsList().hashCode(),
            new Interval(
                values, p.hasMin() ? p.getMin() : Double.NaN, p.hasMax() ? p.getMax() : Double.NaN),
            isCumulative);
    Aggregate a =
        in == null
            ? null
            : aggregate(
                service, name, unit, p.getAttributesList(), timeMs, Aggregate.Kind.HISTOGRAM);
    if (a == null) {
      return;
    }
    values = in.values();
    double min = in.min();
    double max = in.max();
    a.addDistribution((long) values[0], values[1], min, max);
    List<Double> bounds = p.getExplicitBoundsList();
    for (int i = 0; i < buckets; i++) {
      long n = (long) values[2 + i];
      if (n <= 0) {
        continue;
      }
      double lower =
          i == 0
              ? (Double.isNaN(min) ? bounds.isEmpty() ? 0 : bounds.get(0) : min)
              : bounds.get(i - 1);
      double upper = i < bounds.size() ? bounds.get(i) : (Double.isNaN(max) ? lower : max);
      a.addSpread(lower, upper, n);
    }
  }

  private void exponential(
      String service,
      String name,
      String unit,
      ExponentialHistogramDataPoint p,
      boolean isCumulative) {
    long timeMs = p.getTimeUnixNano() / 1_000_000L;
    int pos = p.getPositive().getBucketCountsCount();
    int neg = p.getNegative().getBucketCountsCount();
    double[] values = new double[3 + pos + neg];
    values[0] = p.getCount();
    values[1] = p.getSum();
    values[2] = p.getZeroCount();
    for (int i = 0; i < pos; i++) {
      values[3 + i] = p.getPositive().getBucketCounts(i);
    }
    for (int i = 0; i < neg; i++) {
      values[3 + pos + i] = p.getNegative().getBucketCounts(i);
    }
    long layout =
        ((long) p.getScale() << 48)
            ^ ((long) p.getPositive().getOffset() << 24)
            ^ p.getNegative().getOffset()
            ^ ((long) pos << 40)
            ^ ((long) neg << 56);
    Interval in =
        interval(
            service,
            name,
            p.getAttributesList(),
            p.getStartTimeUnixNano(),
            p.getTimeUnixNano(),
            layout,
            new Interval(
                values, p.hasMin() ? p.getMin() : Double.NaN, p.hasMax() ? p.getMax() : Double.NaN),
            isCumulative);
    Aggregate a =
        in == null
            ? null
            : aggregate(
                service, name, unit, p.getAttributesList(), timeMs, Aggregate.Kind.HISTOGRAM);
    if (a == null) {
      return;
    }
    values = in.values();
    a.addDistribution((long) values[0], values[1], in.min(), in.max());
    a.addObservations(0, (long) values[2]);
    double step = Math.pow(2, -p.getScale());
    for (int i = 0; i < pos; i++) {
      int index = p.getPositive().getOffset() + i;
      a.addObservations(Math.pow(2, (index + 0.5) * step), (long) values[3 + i]);
    }
    for (int i = 0; i < neg; i++) {
      int index = p.getNegative().getOffset() + i;
      a.addObservations(-Math.pow(2, (index + 0.5) * step), (long) values[3 + pos + i]);
    }
  }

  private void summary(String service, String name, String unit, SummaryDataPoint p) {
    long timeMs = p.getTimeUnixNano() / 1_000_000L;
    // Summary count and sum are cumulative by definition.
    Cumulative.Delta d =
        cumulative.delta(
            service,
            rawId(name, p.getAttributesList()),
            p.getStartTimeUnixNano(),
            p.getTimeUnixNano(),
            0,
            new double[] {p.getCount(), p.getSum()},
            1);
    if (d == null) {
      observe(timeMs);
      return;
    }
    countReset(d);
    Aggregate a =
        aggregate(service, name, unit, p.getAttributesList(), timeMs, Aggregate.Kind.SUMMARY);
    if (a == null) {
      return;
    }
    double min = Double.NaN;
    double max = Double.NaN;
    double[] quantiles = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      if (q.getQuantile() == 0) {
        min = q.getValue();
      } else if (q.getQuantile() == 1) {
        max = q.getValue();
      }
      for (int i = 0; i < SUMMARY_QUANTILES.length; i++) {
        if (Math.abs(q.getQuantile() - SUMMARY_QUANTILES[i]) < 1e-9) {
          quantiles[i] = q.getValue();
        }
      }
    }
    a.addDistribution((long) d.values()[0], d.values()[1], min, max);
    a.setQuantiles(quantiles, timeMs);
  }

  /** The window aggregate of a point, or null when late; counts the point. */
  private Aggregate aggregate(
      String service,
      String name,
      String unit,
      List<KeyValue> attributes,
      long timeMs,
      Aggregate.Kind kind) {
    observe(timeMs);
    String id = SeriesIds.series(service, name, Otlp.dims(attributes, settings.dimensions()));
    Aggregate a = windows.aggregate(timeMs, service, id, kind, unit);
    if (a == null) {
      late.increment();
    } else if (windows.lastWasOverflow()) {
      overflow.increment();
    } else {
      accepted.increment();
    }
    return a;
  }

  /**
   * The part of a distribution point that falls in this interval: the point itself when it is a
   * delta, else its difference from the previous cumulative point of the series, or null when it
   * only sets a baseline (then its time still moves the watermark).
   *
   * @param layout identifies the bucket layout; a new layout starts a new baseline
   */
  private Interval interval(
      String service,
      String name,
      List<KeyValue> attributes,
      long startNanos,
      long timeNanos,
      long layout,
      Interval point,
      boolean isCumulative) {
    if (!isCumulative) {
      return point;
    }
    Cumulative.Delta d =
        cumulative.delta(
            service,
            rawId(name, attributes),
            startNanos,
            timeNanos,
            layout,
            point.values(),
            1,
            point.min(),
            point.max());
    if (d == null) {
      observe(timeNanos / 1_000_000L);
      return null;
    }
    countReset(d);
    // A cumulative point's min and max span its whole lifetime: only a new extreme is known to
    // fall in this interval.
    return new Interval(d.values(), d.min(), d.max());
  }

  /** Count, sum and bucket counts of a distribution, with its extremes (NaN when unknown). */
  private record Interval(double[] values, double min, double max) {}

  private void observe(long timeMs) {
    if (timeMs > batchMax) {
      batchMax = timeMs;
    }
  }

  private void countReset(Cumulative.Delta d) {
    if (d.reset()) {
      resets.increment();
    }
  }

  private static String rawId(String name, List<KeyValue> attributes) {
    return name + '\u0000' + Otlp.identity(attributes);
  }

  private static double value(NumberDataPoint p) {
    return switch (p.getValueCase()) {
      case AS_DOUBLE -> p.getAsDouble();
      case AS_INT -> p.getAsInt();
      default -> Double.NaN;
    };
  }
}
