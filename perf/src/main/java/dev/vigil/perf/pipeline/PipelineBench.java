package dev.vigil.perf.pipeline;

import dev.vigil.bridge.BridgeConfig;
import dev.vigil.perf.KeyValueArgs;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.simulator.Fault;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The end-to-end harness: everything {@code vigil up} runs (embedded broker, bridge, enrichment,
 * anomaly, forecast, rca) in this JVM, then in one run:
 *
 * <ol>
 *   <li>the ceiling: plain Kafka producer + consumer moving the bridge's record bytes on the same
 *       broker;
 *   <li>the simulator's platform (500 services by default) in real time after a warm-up, with
 *       faults: lag over time, active series, heap and state per series, ingest-to-alert latency;
 *   <li>a ramp of synthetic OTLP through the bridge at increasing rates: sustained throughput with
 *       stable lag, CPU per 100k items.
 * </ol>
 *
 * Writes {@code pipeline.md} and {@code pipeline.png} into the output directory.
 *
 * <pre>
 * java -Xmx3g -XX:StartFlightRecording=filename=perf/results/pipeline.jfr,settings=profile \
 *   -Dlog4j2.configurationFile=classpath:log4j2-perf.xml \
 *   -cp perf/target/benchmarks.jar dev.vigil.perf.pipeline.PipelineBench \
 *   [services=500] [rate=300] [warmup=12] [scenario=11] [steps=2000,5000,...] [step=30] [stepCeiling=5] [simulate=true] [signals=metrics,traces,logs] [series=0] [faults=kind:target@at+length*factor,...] [dump=service,...] [name=pipeline] [out=perf/results] [setting=value]...
 * </pre>
 */
public final class PipelineBench {
  /** How long the ceiling runs unmeasured before the run's first measurement. */
  private static final Duration CEILING_WARMUP = Duration.ofSeconds(10);

  private PipelineBench() {}

  /** Runs the three phases and writes the results. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = KeyValueArgs.parse(args);
    int services = Integer.parseInt(opts.getOrDefault("services", "500"));
    double rate = Double.parseDouble(opts.getOrDefault("rate", "300"));
    Duration warmup = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("warmup", "12")));
    Duration askedScenario =
        Duration.ofMinutes(Long.parseLong(opts.getOrDefault("scenario", "11")));
    String stepList = opts.getOrDefault("steps", "2000,5000,10000,20000,40000,80000,160000");
    List<Integer> steps =
        stepList.equals("none")
            ? List.of()
            : Arrays.stream(stepList.split(",")).map(Integer::parseInt).toList();
    Duration step = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("step", "30")));
    Duration ceilingLength = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("ceiling", "15")));
    // The ceiling again right before each ramp step, for that step's share (0: not measured).
    Duration stepCeiling =
        Duration.ofSeconds(Long.parseLong(opts.getOrDefault("stepCeiling", "5")));
    Path out = Path.of(opts.getOrDefault("out", "perf/results"));
    String name = opts.getOrDefault("name", "pipeline");
    int extraSeries = Integer.parseInt(opts.getOrDefault("series", "0"));
    boolean simulate = !opts.getOrDefault("simulate", "true").equals("false");
    // The ramp's mix: all three signals, or e.g. signals=metrics for data points alone.
    Set<OtlpSignal> signals =
        Arrays.stream(opts.getOrDefault("signals", "metrics,traces,logs").split(","))
            .map(s -> OtlpSignal.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)))
            .collect(
                java.util.stream.Collectors.toCollection(() -> EnumSet.noneOf(OtlpSignal.class)));
    // dump=search,pricing: their signal windows, every anomaly event and incident version, as
    // JSON lines in <name>-dump.jsonl (why a fault went unnamed, read after the run)
    Set<String> dumpServices =
        opts.getOrDefault("dump", "").isEmpty() ? Set.of() : Set.of(opts.get("dump").split(","));
    Files.createDirectories(out);
    PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // Faults start at different phases of the 1-minute window (30 s in, on the boundary, 30 s in):
    // one on a window boundary is the slowest to alert, since its first window holds a full minute.
    // The latency faults last 5 minutes: a moderate shift needs three windows above the threshold
    // to start an episode, and a 2.5-minute fault (the default until 2026-12-06) gives it at most
    // two full ones.
    List<Fault> faults =
        Arrays.stream(
                opts.getOrDefault(
                        "faults",
                        "latency:search@90s+5m*10,errors:fraud@7m+150s*0.5,"
                            + "latency:pricing@630s+5m*10")
                    .split(","))
            .map(Fault::parse)
            .toList();
    Duration scenario = scenarioCovering(askedScenario, faults);
    if (!scenario.equals(askedScenario)) {
      log.printf(
          "scenario %s extended to %s: the last fault's windows close and are judged only when"
              + " later data moves event time on%n",
          askedScenario, scenario);
    }

    Path dir = Files.createTempDirectory("vigil-pipeline-bench");
    Instant started = Instant.now();
    double loadStart = Cpu.loadAverage();
    try (Pipeline pipeline = new Pipeline(dir)) {
      // The simulator exports a 10 s slice per request: at 500 services its spans exceed the
      // bridge's 4 MiB default (gRPC RESOURCE_EXHAUSTED, an export lost), so allow 16 MiB here.
      Map<String, String> settings = new HashMap<>();
      settings.put(BridgeConfig.MAX_REQUEST_BYTES_CONFIG, Integer.toString(16 << 20));
      // Options with a dot are Vigil settings, e.g. streams.threads=2.
      opts.forEach(
          (key, value) -> {
            if (key.contains(".")) {
              settings.put(key, value);
            }
          });
      pipeline.start(settings);
      log.printf("pipeline up: %s, apps %s%n", pipeline.bootstrapServers(), pipeline.groups());
      try (LagProbe lag = new LagProbe(pipeline.config().kafkaClientConfig(), pipeline.groups())) {
        Ceiling ceilings =
            new Ceiling(
                pipeline.bootstrapServers(), pipeline.topics().otlpMetrics.partitions(), signals);
        // Unmeasured first: the clients' code is still interpreted in a fresh JVM. The broker's
        // paths warm up under the ramp too, so even then this ceiling reads ~15 % below the ones
        // before the steps (2026-12-07), which each step's share is taken against.
        ceilings.measure(CEILING_WARMUP);
        Ceiling.Result ceiling = ceilings.measure(ceilingLength);
        log.printf(
            "ceiling: %,.0f items/s consumed (%,.0f produced), %.1f MB/s, %.2f CPU s/s, %.0f B/item%n",
            ceiling.itemsPerSecond(),
            ceiling.producedPerSecond(),
            ceiling.bytesPerSecond() / 1e6,
            ceiling.cpuPerSecond(),
            ceiling.bytesPerItem());
        SimulatedPlatform.Result platform = null;
        if (simulate) {
          TopicDump dump =
              dumpServices.isEmpty() ? null : new TopicDump(pipeline.topics(), dumpServices);
          platform =
              new SimulatedPlatform(pipeline, lag, log)
                  .run(services, rate, warmup, faults, scenario, extraSeries, dump);
          if (dump != null) {
            Path file = out.resolve(name + "-dump.jsonl");
            log.printf("dump: %,d records in %s%n", dump.write(file), file);
          }
          log.printf(
              "platform: %d services, %,d active series, %,.0f points/s %,.0f spans/s %,.0f logs/s%n",
              platform.services(),
              platform.activeSeries(),
              platform.pointsPerSecond(),
              platform.spansPerSecond(),
              platform.logsPerSecond());
        }
        Callable<Double> ceilingBeforeStep =
            stepCeiling.isZero() ? null : () -> ceilings.measure(stepCeiling).itemsPerSecond();
        List<Ramp.Step> ramp =
            new Ramp(pipeline, lag, log, signals).run(steps, step, ceilingBeforeStep);
        Map<String, Long> stateByStore = pipeline.stateBytesByStore();
        long heap = Cpu.liveHeapBytes();
        String machine =
            String.format(
                "%s, %d cores, Java %s; load average %.1f at start, %.1f at end; ramp signals %s;"
                    + " settings %s",
                started,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                loadStart,
                Cpu.loadAverage(),
                signals,
                new java.util.TreeMap<>(settings));
        String report = Report.markdown(machine, ceiling, platform, ramp, heap, stateByStore);
        Files.writeString(out.resolve(name + ".md"), report);
        if (!ramp.isEmpty()) {
          Chart.write(out.resolve(name + ".png"), ramp, ceiling.itemsPerSecond(), machine);
        }
        log.println(report);
      }
    } finally {
      deleteQuietly(dir);
    }
    System.exit(0);
  }

  /**
   * The scenario length that lets every fault's windows be judged: at least two minutes after the
   * minute in which the last fault ends. The enrichment emits a window only once event time has
   * passed its end (+ 5 s), and the anomaly stage judges a service's health for a window when the
   * service's next window arrives; a simulator that stops when the fault stops sends nothing that
   * moves event time on, so the fault's last window (and the judgement of the one before) never
   * comes. With the default faults the 11-minute scenario ended with the pricing fault, and pricing
   * had one full faulted window in the run instead of two.
   */
  static Duration scenarioCovering(Duration asked, List<Fault> faults) {
    Duration needed = Duration.ZERO;
    for (Fault fault : faults) {
      long endMinutes = (fault.end().toSeconds() + 59) / 60;
      Duration judged = Duration.ofMinutes(endMinutes + 2);
      if (judged.compareTo(needed) > 0) {
        needed = judged;
      }
    }
    return asked.compareTo(needed) >= 0 ? asked : needed;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (Exception e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
