package dev.vigil.perf.pipeline;

import dev.vigil.runtime.otlp.OtlpSignal;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Drives the synthetic load through the bridge's OTLP/HTTP endpoint at increasing rates, one step
 * at a time, and measures per step what the enrichment stream folded (its own counters), the lag of
 * every Streams app at the step's start and end, and the process CPU.
 */
final class Ramp {
  // Requests in flight, as many exporters would have: each waits for the bridge's produce, so 12
  // (before 2026-12-07) capped what the generator could offer at ~515,000 points/s.
  private static final int CONCURRENCY = 32;

  /** Pause between a step's ceiling and the step: the ceiling's garbage and flushes settle. */
  private static final Duration SETTLE_AFTER_CEILING = Duration.ofSeconds(3);

  /** Encoded requests per group of services and signal, each with its own values. */
  private static final int VARIANTS = 8;

  private final Pipeline pipeline;
  private final LagProbe lag;
  private final PrintStream log;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Semaphore slots = new Semaphore(CONCURRENCY);
  private final AtomicLong failed = new AtomicLong();

  private final Set<OtlpSignal> signals;
  private final Map<OtlpSignal, LongFunction<byte[]>> requests = new EnumMap<>(OtlpSignal.class);

  /**
   * A ramp that sends the synthetic load's requests of {@code signals} (all three by default). Data
   * points and log records are encoded once and stamped per send ({@link StampedRequests}); spans
   * are built per send.
   */
  Ramp(Pipeline pipeline, LagProbe lag, PrintStream log, Set<OtlpSignal> signals) {
    this.pipeline = pipeline;
    this.lag = lag;
    this.log = log;
    this.signals = signals;
    for (OtlpSignal signal : signals) {
      SyntheticOtlp load = new SyntheticOtlp();
      requests.put(
          signal,
          signal == OtlpSignal.TRACES
              ? nanos -> load.next(signal, nanos).toByteArray()
              : new StampedRequests(signal, VARIANTS, nanos -> load.next(signal, nanos))::next);
    }
  }

  /**
   * Runs the steps in order until one is unstable and the next one too (two in a row: the first
   * might be a hiccup of the shared machine).
   *
   * @param pointsPerSecond target data points per second of each step (spans and logs follow the
   *     mix of {@link SyntheticOtlp})
   * @param ceiling when not null, measures the raw Kafka ceiling (items/s) right before each step:
   *     the one measured minutes earlier moved by a third between runs, so each step's share is
   *     taken against the ceiling of its own moment
   */
  List<Step> run(List<Integer> pointsPerSecond, Duration stepLength, Callable<Double> ceiling)
      throws Exception {
    List<Step> steps = new ArrayList<>();
    int unstableInRow = 0;
    for (int target : pointsPerSecond) {
      double ceilingItems = Double.NaN;
      if (ceiling != null) {
        ceilingItems = ceiling.call();
        Thread.sleep(SETTLE_AFTER_CEILING.toMillis());
      }
      Step step = step(target, stepLength, ceilingItems);
      steps.add(step);
      log.printf(
          "ramp step %,d points/s: offered %,.0f, folded %,.0f points/s %,.0f spans/s %,.0f logs/s,"
              + " lag %,d -> %,d (%s), CPU %.2f s/s (Vigil %.2f, broker %.2f, JIT %.2f), load %.1f,"
              + " %.1f%% of a ceiling of %,.0f items/s, %s%n",
          target,
          step.offeredPoints,
          step.foldedPoints,
          step.foldedSpans,
          step.foldedLogs,
          step.lagStart,
          step.lagEnd,
          step.lagDetail,
          step.cpuPerSecond,
          step.vigilCpuPerSecond,
          step.brokerCpuPerSecond,
          step.jitPerSecond,
          step.loadAverage,
          100 * step.share(),
          step.ceilingItems,
          step.stable() ? "stable" : "LAG GROWS");
      log.printf(
          "  Vigil's CPU by part: %s%n", ThreadCpu.describe(step.vigilCpuPerSecondByPart, 2));
      unstableInRow = step.stable() ? 0 : unstableInRow + 1;
      if (unstableInRow == 2) {
        break;
      }
    }
    return steps;
  }

  private Step step(int pointsPerSecond, Duration length, double ceilingItems) throws Exception {
    double unitsPerSecond = pointsPerSecond / (double) SyntheticOtlp.POINTS_PER_UNIT;
    LagProbe.Snapshot before = lag.look();
    double points0 = pipeline.count("vigil.enrichment.accepted", "source", "metrics");
    double spans0 = pipeline.count("vigil.enrichment.accepted", "source", "spans");
    double logs0 = pipeline.count("vigil.enrichment.accepted", "source", "logs");
    ThreadCpu cpu0 = ThreadCpu.now();
    long jit0 = Cpu.jitNanos();
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long sent = 0;
    URI base = URI.create(pipeline.httpEndpoint());
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      long due = (long) ((now - start) / 1e9 * unitsPerSecond);
      if (sent >= due) {
        Thread.sleep(5);
        continue;
      }
      long nanos = System.currentTimeMillis() * 1_000_000L;
      for (OtlpSignal signal : signals) {
        send(base.resolve("/v1/" + path(signal)), requests.get(signal).apply(nanos));
      }
      sent++;
    }
    slots.acquire(CONCURRENCY);
    slots.release(CONCURRENCY);
    long elapsed = System.nanoTime() - start;
    ThreadCpu.Split cpu = ThreadCpu.now().since(cpu0);
    long jit = Cpu.jitNanos() - jit0;
    LagProbe.Snapshot after = lag.look();
    double seconds = elapsed / 1e9;
    if (failed.get() > 0) {
      log.printf("  %d bridge requests failed so far%n", failed.get());
    }
    return new Step(
        pointsPerSecond,
        sent * SyntheticOtlp.POINTS_PER_UNIT / seconds,
        sent * itemsPerUnit() / seconds,
        (pipeline.count("vigil.enrichment.accepted", "source", "metrics") - points0) / seconds,
        (pipeline.count("vigil.enrichment.accepted", "source", "spans") - spans0) / seconds,
        (pipeline.count("vigil.enrichment.accepted", "source", "logs") - logs0) / seconds,
        sent * recordsPerUnit(),
        commitSlack(sent * recordsPerUnit() / seconds),
        before.totalLag(),
        after.totalLag(),
        after.describe(),
        cpu.process() / (double) elapsed,
        cpu.vigil() / (double) elapsed,
        cpu.broker() / (double) elapsed,
        ThreadCpu.perSecond(cpu.vigilParts(), seconds),
        (double) jit / elapsed,
        Cpu.loadAverage(),
        ceilingItems);
  }

  /**
   * Records a snapshot of the lag may hold without the apps falling behind: under exactly-once a
   * consumer's committed offset trails by up to one commit interval, on every source and
   * repartition topic (the repartitions carry ~10 records per bridge record: per trace, per call),
   * and either end of a step may catch it at its worst.
   */
  private long commitSlack(double bridgeRecordsPerSecond) {
    double commitSeconds = pipeline.config().streamsCommitInterval().toMillis() / 1000.0;
    return (long) (bridgeRecordsPerSecond * 10 * commitSeconds * 2);
  }

  /** Telemetry items per unit of the signals sent. */
  private long itemsPerUnit() {
    return signals.stream()
        .mapToLong(
            s ->
                switch (s) {
                  case METRICS -> SyntheticOtlp.POINTS_PER_UNIT;
                  case TRACES -> SyntheticOtlp.SPANS_PER_UNIT;
                  case LOGS -> SyntheticOtlp.LOGS_PER_UNIT;
                })
        .sum();
  }

  /** Bridge records per unit: one per resource; a trace request has a client and a server. */
  private long recordsPerUnit() {
    return signals.stream()
        .mapToLong(s -> SyntheticOtlp.SERVICES_PER_REQUEST * (s == OtlpSignal.TRACES ? 2L : 1L))
        .sum();
  }

  private static String path(OtlpSignal signal) {
    return switch (signal) {
      case METRICS -> "metrics";
      case TRACES -> "traces";
      case LOGS -> "logs";
    };
  }

  private void send(URI uri, byte[] body) throws InterruptedException {
    slots.acquire();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error != null || response.statusCode() != 200) {
                failed.incrementAndGet();
              }
              slots.release();
            });
  }

  /**
   * One step of the ramp.
   *
   * @param target data points per second asked for
   * @param offeredPoints data points per second sent to the bridge
   * @param offeredItems data points, spans and log records per second sent to the bridge
   * @param foldedPoints data points per second the enrichment stream folded into windows
   * @param foldedSpans spans per second folded
   * @param foldedLogs log records per second folded
   * @param recordsIn bridge records (one per resource) written during the step
   * @param commitSlack lag that one commit interval explains (see {@link Ramp#commitSlack})
   * @param lagStart records behind, all Streams apps, at the start
   * @param lagEnd the same at the end
   * @param lagDetail lag per app at the end
   * @param cpuPerSecond process CPU seconds per wall second
   * @param vigilCpuPerSecond of which Vigil's (bridge, apps, GC; not the broker nor the load)
   * @param brokerCpuPerSecond of which the embedded broker's
   * @param vigilCpuPerSecondByPart Vigil's by part (see {@link ThreadCpu#part})
   * @param jitPerSecond of which the JIT compiler threads' CPU (per wall second): a JVM that runs a
   *     broker and five apps is still compiling minutes after its start
   * @param loadAverage the machine's 1-minute load average at the end
   * @param ceilingItems the raw Kafka ceiling measured right before the step (items/s), NaN when
   *     not measured
   */
  record Step(
      int target,
      double offeredPoints,
      double offeredItems,
      double foldedPoints,
      double foldedSpans,
      double foldedLogs,
      long recordsIn,
      long commitSlack,
      long lagStart,
      long lagEnd,
      String lagDetail,
      double cpuPerSecond,
      double vigilCpuPerSecond,
      double brokerCpuPerSecond,
      Map<String, Double> vigilCpuPerSecondByPart,
      double jitPerSecond,
      double loadAverage,
      double ceilingItems) {

    /**
     * Lag did not grow by more than a tenth of the step's input plus what one commit interval
     * explains, and at least 90 % of the offered points were folded.
     */
    boolean stable() {
      return lagEnd - lagStart <= recordsIn / 10 + commitSlack
          && foldedPoints >= 0.9 * offeredPoints;
    }

    double foldedItems() {
      return foldedPoints + foldedSpans + foldedLogs;
    }

    /** Items folded as a share of the ceiling measured right before the step (NaN: none). */
    double share() {
      return foldedItems() / ceilingItems;
    }

    /**
     * Items folded per CPU-second of Vigil's threads without the JIT compiler's (which count in
     * Vigil's share, as GC does).
     */
    double itemsPerVigilCpuSecondWithoutJit() {
      return foldedItems() / (vigilCpuPerSecond - jitPerSecond);
    }

    /** Items folded per CPU-second of the process without the JIT compiler's. */
    double itemsPerCpuSecondWithoutJit() {
      return foldedItems() / (cpuPerSecond - jitPerSecond);
    }

    /** CPU seconds of the whole process per 100,000 telemetry items folded. */
    double cpuPer100k() {
      return foldedItems() > 0 ? cpuPerSecond / foldedItems() * 100_000 : Double.NaN;
    }

    /** Items folded per CPU-second of Vigil's own threads. */
    double itemsPerVigilCpuSecond() {
      return vigilCpuPerSecond > 0 ? foldedItems() / vigilCpuPerSecond : Double.NaN;
    }
  }
}
