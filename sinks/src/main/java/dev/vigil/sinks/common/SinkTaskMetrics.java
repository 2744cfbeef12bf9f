package dev.vigil.sinks.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's counters, published in the Connect worker's metrics (KIP-877 plugin metrics: JMX group
 * {@code kafka.connect:type=plugins,connector=<name>,task=<id>}) and readable in-process for tests.
 *
 * <p>A worker that offers no plugin metrics still counts; the numbers are then only logged at stop.
 */
public final class SinkTaskMetrics implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(SinkTaskMetrics.class);

  private final PluginMetrics plugin;
  private final List<MetricName> registered = new ArrayList<>();
  private final List<Object> published = new ArrayList<>();

  /** Metrics of the task that owns {@code context}. */
  public SinkTaskMetrics(SinkTaskContext context) {
    this(pluginMetricsOf(context));
  }

  /** Metrics registered in {@code plugin}; null counts without publishing. */
  public SinkTaskMetrics(PluginMetrics plugin) {
    this.plugin = plugin;
  }

  /** A monotonically increasing count, published as {@code name}. */
  public Counter counter(String name, String description) {
    Counter counter = new Counter(name);
    publish(name, description, counter::value, counter);
    return counter;
  }

  /**
   * A count kept elsewhere (e.g. {@link HttpTarget#retries()}), read when the metric is reported,
   * published as {@code name}.
   */
  public void gauge(String name, String description, LongSupplier value) {
    publish(
        name,
        description,
        value,
        new Object() {
          @Override
          public String toString() {
            return name + "=" + value.getAsLong();
          }
        });
  }

  /**
   * The two delivery counters every HTTP sink task publishes: {@code requests-retried} (requests
   * {@code target} sent again after a 429, 5xx or I/O error) and {@code batches-redelivered}
   * (returned; batches handed back to Connect once those retries were spent, see {@link
   * Redelivery}). A target outage shows in both.
   */
  public Counter deliveryCounters(HttpTarget target) {
    gauge(
        "requests-retried",
        "HTTP requests sent again after a 429, 5xx or I/O error.",
        target::retries);
    return counter(
        "batches-redelivered",
        "Batches handed back to Connect for redelivery once the retries were spent.");
  }

  private void publish(String name, String description, LongSupplier value, Object forLog) {
    published.add(forLog);
    if (plugin != null) {
      MetricName metricName = plugin.metricName(name, description, new LinkedHashMap<>());
      plugin.addMetric(metricName, (Gauge<Long>) (config, now) -> value.getAsLong());
      registered.add(metricName);
    }
  }

  /** Unregisters every metric; logs the final counts. */
  @Override
  public void close() {
    if (plugin != null) {
      registered.forEach(plugin::removeMetric);
    }
    registered.clear();
    if (!published.isEmpty()) {
      LOGGER.info("Task counters at stop: {}", published);
    }
  }

  private static PluginMetrics pluginMetricsOf(SinkTaskContext context) {
    try {
      return context.pluginMetrics();
    } catch (UnsupportedOperationException | NoSuchMethodError e) {
      // Workers before Kafka 4.0 have no plugin metrics: count locally only.
      return null;
    }
  }

  /** A count that only goes up. Thread-safe. */
  public static final class Counter {
    private final String name;
    private final LongAdder value = new LongAdder();

    private Counter(String name) {
      this.name = name;
    }

    /** Adds one. */
    public void increment() {
      value.increment();
    }

    /** Adds {@code n}. */
    public void add(long n) {
      value.add(n);
    }

    /** The count so far. */
    public long value() {
      return value.sum();
    }

    @Override
    public String toString() {
      return name + "=" + value();
    }
  }
}
