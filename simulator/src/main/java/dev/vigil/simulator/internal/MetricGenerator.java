package dev.vigil.simulator.internal;

import dev.vigil.simulator.Node;
import dev.vigil.simulator.Platform;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Once a minute, per service: RED metrics ({@code http.server.request.duration}, a delta histogram
 * in ms), resources ({@code process.cpu.utilization}, {@code process.memory.usage} gauges), and for
 * the checkout service the business metrics ({@code orders.placed} and {@code revenue}, delta
 * counters; {@code checkout.conversion}, a gauge: orders per user request).
 *
 * <p>The points are built in the SDK's metric data model ({@code ImmutableMetricData}, the same
 * classes the SDK's own aggregators produce) so that the real OTLP exporter marshals them.
 */
public final class MetricGenerator {
  /** The service whose successful requests are orders. */
  public static final String CHECKOUT = "checkout";

  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final List<Double> BOUNDS;

  static {
    List<Double> bounds = new ArrayList<>();
    for (double b : ServiceStats.BOUNDS) {
      bounds.add(b);
    }
    BOUNDS = List.copyOf(bounds);
  }

  private final Platform platform;
  private final Resources resources;
  private final ServiceStats stats;
  private final SplittableRandom random;
  private final Map<String, Double> memoryBase = new HashMap<>();

  /** Metrics of {@code platform}'s services. */
  public MetricGenerator(
      Platform platform, Resources resources, ServiceStats stats, SplittableRandom random) {
    this.platform = platform;
    this.resources = resources;
    this.stats = stats;
    this.random = random;
    for (Node service : platform.services()) {
      memoryBase.put(service.name(), (200 + 600 * random.nextDouble()) * 1024 * 1024);
    }
  }

  /** The metrics of the minute starting at {@code minuteStart}, drained from the stats. */
  public void minute(Instant minuteStart, Effects effects, Batch out) {
    long start = toNanos(minuteStart);
    long end = start + 60_000_000_000L - 1_000_000L; // the minute's last millisecond
    Map<String, ServiceStats.Minute> served = stats.drain();
    for (Node service : platform.services()) {
      String name = service.name();
      Resource resource = resources.of(name);
      ServiceStats.Minute m = served.get(name);
      if (m != null && m.count > 0) {
        out.metrics.add(histogram(resource, name, start, end, m));
      }
      double rho = stats.utilization(name, effects);
      double cpu =
          effects.cpuSaturated(name)
              ? 0.97 + 0.01 * gaussian()
              : 0.04 + 0.8 * rho + 0.01 * gaussian();
      out.metrics.add(
          gauge(resource, "process.cpu.utilization", "1", start, end, clamp(cpu, 0, 1)));
      double memory = memoryBase.get(name) * (1 + 0.2 * rho + 0.005 * gaussian());
      out.metrics.add(gauge(resource, "process.memory.usage", "By", start, end, memory));
    }
    business(served, start, end, out);
  }

  private void business(Map<String, ServiceStats.Minute> served, long start, long end, Batch out) {
    if (!platform.has(CHECKOUT)) {
      return;
    }
    ServiceStats.Minute checkout = served.get(CHECKOUT);
    ServiceStats.Minute entry = served.get(platform.entry());
    long orders = checkout == null ? 0 : checkout.count - checkout.errors;
    double revenue = 0;
    for (long i = 0; i < orders; i++) {
      revenue += 60 * Math.exp(0.5 * gaussian());
    }
    Resource resource = resources.of(CHECKOUT);
    out.metrics.add(counter(resource, "orders.placed", "{order}", start, end, orders));
    out.metrics.add(counter(resource, "revenue", "USD", start, end, revenue));
    if (entry != null && entry.count > 0) {
      out.metrics.add(
          gauge(resource, "checkout.conversion", "1", start, end, (double) orders / entry.count));
    }
  }

  private static io.opentelemetry.sdk.metrics.data.MetricData histogram(
      Resource resource, String service, long start, long end, ServiceStats.Minute m) {
    List<Long> counts = new ArrayList<>(m.buckets.length);
    for (long c : m.buckets) {
      counts.add(c);
    }
    HistogramPointData point =
        ImmutableHistogramPointData.create(
            start,
            end,
            Attributes.of(ROUTE, service.equals("frontend") ? "/" : "/api/" + service),
            m.sum,
            true,
            m.min,
            true,
            m.max,
            BOUNDS,
            counts);
    return ImmutableMetricData.createDoubleHistogram(
        resource,
        SimSpan.SCOPE,
        "http.server.request.duration",
        "Duration of HTTP server requests.",
        "ms",
        ImmutableHistogramData.create(AggregationTemporality.DELTA, List.of(point)));
  }

  private static io.opentelemetry.sdk.metrics.data.MetricData gauge(
      Resource resource, String name, String unit, long start, long end, double value) {
    DoublePointData point = ImmutableDoublePointData.create(start, end, Attributes.empty(), value);
    return ImmutableMetricData.createDoubleGauge(
        resource, SimSpan.SCOPE, name, "", unit, ImmutableGaugeData.create(List.of(point)));
  }

  private static io.opentelemetry.sdk.metrics.data.MetricData counter(
      Resource resource, String name, String unit, long start, long end, double value) {
    DoublePointData point = ImmutableDoublePointData.create(start, end, Attributes.empty(), value);
    return ImmutableMetricData.createDoubleSum(
        resource,
        SimSpan.SCOPE,
        name,
        "",
        unit,
        ImmutableSumData.create(true, AggregationTemporality.DELTA, List.of(point)));
  }

  private double gaussian() {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static long toNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
