package dev.vigil.chaos.deps;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes the forecast app's {@code /metrics} every 250 ms, as Prometheus would (only more often),
 * and keeps each change of {@code vigil_forecast_sagemaker_breaker_open} (1 while the breaker is
 * open or half-open) with when it was seen, and how many scrapes failed or found the process dead.
 */
final class BreakerWatch implements AutoCloseable {
  static final String GAUGE = "vigil_forecast_sagemaker_breaker_open";

  private final VigilChild app;
  private final ScheduledExecutorService scraper =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "breaker-watch");
            t.setDaemon(true);
            return t;
          });
  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private final AtomicInteger scrapes = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile double last = Double.NaN;

  BreakerWatch(VigilChild app) {
    this.app = app;
    scraper.scheduleWithFixedDelay(this::scrape, 0, 250, TimeUnit.MILLISECONDS);
  }

  private void scrape() {
    try {
      if (!app.isAlive()) {
        failures.incrementAndGet();
        return;
      }
      double open = VigilChild.sum(app.metrics(), GAUGE, "");
      scrapes.incrementAndGet();
      if (open != last) {
        changes.add(new Change(System.nanoTime(), open));
        last = open;
      }
    } catch (Exception e) {
      failures.incrementAndGet();
    }
  }

  /** Each change of the gauge, the first scrape included. */
  List<Change> changes() {
    return List.copyOf(changes);
  }

  /** Scrapes that read the page. */
  int scrapes() {
    return scrapes.get();
  }

  /** Scrapes that could not read it (process gone, no answer). */
  int failures() {
    return failures.get();
  }

  @Override
  public void close() {
    scraper.shutdownNow();
  }

  /**
   * The gauge took a new value.
   *
   * @param nanos {@link System#nanoTime()} of the scrape that saw it
   * @param open 1 open or half-open, 0 closed
   */
  record Change(long nanos, double open) {}
}
