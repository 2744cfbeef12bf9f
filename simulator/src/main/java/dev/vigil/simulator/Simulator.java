package dev.vigil.simulator;

import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ChangeType;
import dev.vigil.simulator.internal.Batch;
import dev.vigil.simulator.internal.Effects;
import dev.vigil.simulator.internal.MetricGenerator;
import dev.vigil.simulator.internal.Resources;
import dev.vigil.simulator.internal.ServiceStats;
import dev.vigil.simulator.internal.TraceGenerator;
import dev.vigil.simulator.internal.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a simulation: publishes the catalog, then walks simulated time in 10-second slices. Each
 * slice's user requests (Poisson around the daily traffic curve) become whole traces with their
 * logs; each minute adds the services' metrics; deploys and fault transitions become change events.
 * Every slice is exported before the next is generated. During the warm-up slices follow each other
 * as fast as the receiver takes them; afterwards a {@link Pacer} decides when the next one may be
 * generated: by default {@code speed} simulated seconds per wall-clock second (or no pacing for
 * speed 0).
 */
public final class Simulator implements Runnable, AutoCloseable {
  /** Simulated time per generated slice. */
  public static final Duration SLICE = Duration.ofSeconds(10);

  private static final Logger LOGGER = LoggerFactory.getLogger(Simulator.class);

  private final SimulatorSettings settings;
  private final TelemetrySink sink;
  private final ControlPlane controlPlane;
  private final Pacer pacer;
  private final SimulatorStats stats = new SimulatorStats();
  private final SplittableRandom random;
  private final Resources resources = new Resources();
  private final ServiceStats serviceStats;
  private final TraceGenerator traces;
  private final MetricGenerator metrics;
  private final Traffic traffic;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Set<Fault> started = new HashSet<>();
  private final Set<Fault> ended = new HashSet<>();
  private Thread thread;

  /**
   * A simulator sending telemetry to {@code sink} and catalog and changes to {@code controlPlane}.
   */
  public Simulator(SimulatorSettings settings, TelemetrySink sink, ControlPlane controlPlane) {
    this(settings, sink, controlPlane, Pacer.wallClock(settings.speed()));
  }

  /** The same, with the slices after the warm-up paced by {@code pacer} instead of the speed. */
  public Simulator(
      SimulatorSettings settings, TelemetrySink sink, ControlPlane controlPlane, Pacer pacer) {
    this.settings = settings;
    this.sink = sink;
    this.controlPlane = controlPlane;
    this.pacer = pacer;
    this.random = new SplittableRandom(settings.seed());
    this.serviceStats = new ServiceStats(settings.platform());
    this.traces = new TraceGenerator(settings.platform(), resources, serviceStats, random.split());
    this.metrics =
        new MetricGenerator(settings.platform(), resources, serviceStats, random.split());
    this.traffic = new Traffic(settings.requestsPerMinute());
  }

  /** Runs the simulation on a thread of its own ({@code vigil-simulator}). */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this, "vigil-simulator");
    thread.setDaemon(true);
    thread.start();
  }

  /** What has been produced so far. */
  public SimulatorStats stats() {
    return stats;
  }

  /** The settings. */
  public SimulatorSettings settings() {
    return settings;
  }

  /** Waits until the scenario has ended (or the simulator was stopped); false on timeout. */
  public boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the simulation has ended. */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  @Override
  public void run() {
    try {
      simulate();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOGGER.error("Simulator failed at {}", stats.simulatedTime(), e);
    } finally {
      done.countDown();
    }
  }

  private void simulate() throws InterruptedException {
    controlPlane.catalog(CatalogEntries.of(settings.platform()));
    Instant t = settings.start();
    Instant scenarioStart = settings.scenarioStart();
    Optional<Instant> end = settings.scenario().end().map(scenarioStart::plus);
    LOGGER.info(
        "Simulating {} services from {} (scenario '{}' from {}, until {})",
        settings.platform().services().size(),
        t,
        settings.scenario().name(),
        scenarioStart,
        end.map(Instant::toString).orElse("stopped"));
    while (!stopping.get() && (end.isEmpty() || t.isBefore(end.get()))) {
      boolean warmup = t.isBefore(scenarioStart);
      if (!warmup) {
        pacer.awaitSlice(t, Duration.between(scenarioStart, t));
      }
      List<Fault> active = activeFaults(t, scenarioStart);
      Effects effects = new Effects(active);
      stats.advance(t, warmup, active);
      transitions(t, scenarioStart);
      routineDeploys(t, active);
      // The minute that just ended is reported with the faults of its last slice.
      export(slice(t, effects, new Effects(activeFaults(t.minus(SLICE), scenarioStart))));
      t = t.plus(SLICE);
    }
    stats.advance(t, false, List.of());
    LOGGER.info(
        "Simulator done at {}: {} requests, {} spans, {} points, {} logs, {} failed exports",
        t,
        stats.requests(),
        stats.spans(),
        stats.points(),
        stats.logs(),
        stats.failedExports());
  }

  /** The telemetry of the slice starting at {@code t}. */
  private Batch slice(Instant t, Effects effects, Effects lastSlice) {
    Batch batch = new Batch();
    serviceStats.at(t);
    if (t.getEpochSecond() % 60 == 0 && !t.equals(settings.start())) {
      metrics.minute(t.minusSeconds(60), lastSlice, batch);
    }
    double expected = traffic.expected(t, SLICE.toSeconds(), gaussian()) * effects.traffic();
    int n = poisson(expected);
    for (int i = 0; i < n; i++) {
      long offsetNanos = (long) (random.nextDouble() * SLICE.toNanos());
      traces.request(t.plusNanos(offsetNanos), effects, batch);
    }
    stats.requests.addAndGet(n);
    return batch;
  }

  private void export(Batch batch) {
    stats.spans.addAndGet(batch.spans.size());
    stats.points.addAndGet(batch.points());
    stats.logs.addAndGet(batch.logs.size());
    if (!sink.export(batch.spans, batch.metrics, batch.logs)) {
      stats.failedExports.incrementAndGet();
    }
  }

  private List<Fault> activeFaults(Instant t, Instant scenarioStart) {
    if (t.isBefore(scenarioStart)) {
      return List.of();
    }
    Duration offset = Duration.between(scenarioStart, t);
    List<Fault> active = new ArrayList<>();
    for (Fault fault : settings.scenario().faults()) {
      if (fault.activeAt(offset)) {
        active.add(fault);
      }
    }
    return active;
  }

  /** Logs fault starts and ends; a bad deploy publishes its deploy and its rollback. */
  private void transitions(Instant t, Instant scenarioStart) {
    for (Fault fault : settings.scenario().faults()) {
      Instant from = scenarioStart.plus(fault.at());
      Instant to = scenarioStart.plus(fault.end());
      if (!t.isBefore(from) && started.add(fault)) {
        LOGGER.info("Fault starts at {}: {}", from, fault);
        if (fault.kind() == FaultKind.BAD_DEPLOY) {
          deploy(fault.target(), from, ChangeType.DEPLOY, "deploy (injected fault)");
        }
      }
      if (!t.isBefore(to) && ended.add(fault)) {
        LOGGER.info("Fault ends at {}: {}", to, fault);
        if (fault.kind() == FaultKind.BAD_DEPLOY) {
          deploy(fault.target(), to, ChangeType.ROLLBACK, "rollback of the bad deploy");
        }
      }
    }
  }

  private void routineDeploys(Instant t, List<Fault> active) {
    double p = settings.deploysPerHour() * SLICE.toSeconds() / 3600.0;
    if (random.nextDouble() >= p) {
      return;
    }
    List<Node> services = settings.platform().services();
    Node service = services.get(random.nextInt(services.size()));
    if (active.stream().noneMatch(f -> f.target().equals(service.name()))) {
      Instant at = t.plusMillis((long) (random.nextDouble() * SLICE.toMillis()));
      deploy(service.name(), at, ChangeType.DEPLOY, "routine deploy");
    }
  }

  private void deploy(String service, Instant at, ChangeType type, String description) {
    String previous = resources.version(service);
    String next = type == ChangeType.ROLLBACK ? rolledBack(previous) : bump(previous);
    resources.deploy(service, next);
    controlPlane.change(
        ChangeEvent.newBuilder()
            .setService(service)
            .setType(type)
            .setAt(at)
            .setVersion(next)
            .setPreviousVersion(previous)
            .setDescription(description)
            .setSource("vigil-simulator")
            .setAttributes(Map.of())
            .build());
    stats.changes.incrementAndGet();
  }

  private static String bump(String version) {
    String[] parts = version.substring(1).split("\\.");
    return "v" + parts[0] + "." + (Integer.parseInt(parts[1]) + 1) + ".0";
  }

  private static String rolledBack(String version) {
    String[] parts = version.substring(1).split("\\.");
    return "v" + parts[0] + "." + (Integer.parseInt(parts[1]) - 1) + "." + "1";
  }

  private int poisson(double mean) {
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int n = 0;
    while (product > limit) {
      n++;
      product *= random.nextDouble();
    }
    return n;
  }

  private double gaussian() {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Stops the simulation after the current slice and waits for it (at most 10 s). */
  @Override
  public void close() {
    stopping.set(true);
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null && running != Thread.currentThread()) {
      try {
        running.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
