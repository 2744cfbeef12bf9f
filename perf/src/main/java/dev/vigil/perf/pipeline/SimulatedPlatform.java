package dev.vigil.perf.pipeline;

import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.simulator.Fault;
import dev.vigil.simulator.KafkaControlPlane;
import dev.vigil.simulator.OtlpSink;
import dev.vigil.simulator.Pacer;
import dev.vigil.simulator.PlatformGenerator;
import dev.vigil.simulator.Scenario;
import dev.vigil.simulator.Simulator;
import dev.vigil.simulator.SimulatorSettings;
import dev.vigil.simulator.SimulatorStats;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The simulator's e-commerce platform through the whole pipeline in real time: a warm-up in the
 * past generated as fast as the bridge takes it, a pause until the apps have caught up, then the
 * scenario at 1× with faults. Measures what the scale and latency targets ask: lag over time at the
 * platform's own telemetry rate, active series (distinct keys per closed window on {@code
 * vigil.signals.1m}), heap and state per series, ingest-to-alert of every new alert (from the
 * export of the first record of the window that raised it), and for each fault the time from the
 * export of its first faulted slice to the first alert naming its target.
 */
final class SimulatedPlatform {
  private static final long WINDOW_MILLIS = 60_000;
  private final Pipeline pipeline;
  private final LagProbe lag;
  private final PrintStream log;

  SimulatedPlatform(Pipeline pipeline, LagProbe lag, PrintStream log) {
    this.pipeline = pipeline;
    this.lag = lag;
    this.log = log;
  }

  Result run(
      int services,
      double requestsPerMinute,
      Duration warmup,
      List<Fault> faults,
      Duration scenario,
      int extraSeriesPerService,
      TopicDump dump)
      throws Exception {
    TopicCatalog topics = pipeline.topics();
    SimulatorSettings settings =
        new SimulatorSettings(
            PlatformGenerator.ecommerce(services, 1),
            new Scenario("bench", Optional.of(scenario), faults),
            Instant.now().minus(warmup),
            warmup,
            1,
            requestsPerMinute,
            0,
            1);
    AtomicBoolean stop = new AtomicBoolean();
    List<AlertSeen> alerts = new CopyOnWriteArrayList<>();
    Map<Long, Set<ByteBuffer>> seriesPerWindow = new ConcurrentHashMap<>();
    Thread alertReader =
        valueReader(
            topics.alerts,
            stop,
            (record, alert) -> {
              if (alert.getEndsAt() == null) {
                // every firing alert on the console: which service an undetected fault's anomalies
                // were attributed to is the first question when a fault goes unnamed
                log.printf(
                    "  alert %s: service=%s %s%n",
                    Instant.now(),
                    alert.getLabels().getOrDefault("service", ""),
                    abbreviate(alert.getAnnotations().getOrDefault("summary", "")));
                alerts.add(
                    new AlertSeen(
                        System.nanoTime(),
                        alert.getFingerprint(),
                        alert.getLabels().getOrDefault("service", ""),
                        alert.getLabels().getOrDefault("severity", ""),
                        alert.getLabels().get("incident"),
                        alert.getAnnotations().getOrDefault("summary", ""),
                        alert.getLabels()
                            + " "
                            + alert.getAnnotations().getOrDefault("summary", "")));
              }
            });
    Thread signalReader =
        valueReader(
            topics.signals,
            stop,
            (record, window) -> {
              seriesPerWindow
                  .computeIfAbsent(
                      window.getWindowStart().toEpochMilli(), k -> ConcurrentHashMap.newKeySet())
                  .add(ByteBuffer.wrap(record.key()));
              if (dump != null) {
                dump.signal(record);
              }
            });
    // Every incident version: which window's evidence each alert was raised on (its updatedAt).
    List<IncidentSeen> incidents = new CopyOnWriteArrayList<>();
    Thread incidentReader =
        valueReader(
            topics.incidents,
            stop,
            (record, incident) -> {
              incidents.add(
                  new IncidentSeen(
                      incident.getId(),
                      incident.getUpdatedAt().toEpochMilli(),
                      incident.getRootCauses().isEmpty()
                          ? ""
                          : incident.getRootCauses().get(0).getService(),
                      incident.getSeverity().name().toLowerCase(Locale.ROOT)));
              if (dump != null) {
                dump.incident(record);
              }
            });
    List<Thread> dumpReaders =
        dump == null ? List.of() : List.of(reader(topics.anomalies.name(), stop, dump::anomaly));
    long heapBefore = Cpu.liveHeapBytes();
    long stateBefore = pipeline.stateBytes();
    Map<Fault, Long> injected = new ConcurrentHashMap<>();
    // simulated start of each real-time slice -> when it was handed to the exporter
    ConcurrentSkipListMap<Long, Long> sliceExported = new ConcurrentSkipListMap<>();
    long[] realTimeStart = {0};
    SimulatorStats[] statsHolder = new SimulatorStats[1];
    long[] startCounts = new long[3];
    List<ThreadCpu> threadsAtStart = new ArrayList<>(1);
    Pacer wallClock = Pacer.wallClock(1);
    SeriesFeeder feeder =
        extraSeriesPerService <= 0
            ? null
            : new SeriesFeeder(
                pipeline.httpEndpoint(),
                settings.platform().services().stream().map(n -> n.name()).toList(),
                extraSeriesPerService);
    Pacer pacer =
        (t, sinceStart) -> {
          if (realTimeStart[0] == 0) {
            awaitCaughtUp();
            SimulatorStats s = statsHolder[0];
            startCounts[0] = s.points();
            startCounts[1] = s.spans();
            startCounts[2] = s.logs();
            threadsAtStart.add(ThreadCpu.now());
            realTimeStart[0] = System.nanoTime();
            log.printf("scenario starts (real time, 1x) at %s%n", Instant.now());
          }
          wallClock.awaitSlice(t, sinceStart);
          sliceExported.put(t.toEpochMilli(), System.nanoTime());
          if (feeder != null) {
            feeder.slice(t);
          }
          for (Fault fault : faults) {
            if (!sinceStart.minus(fault.at()).isNegative() && !injected.containsKey(fault)) {
              injected.put(fault, System.nanoTime());
              log.printf("fault injected: %s at %s%n", fault, Instant.now());
            }
          }
        };
    List<long[]> lagSamples = new ArrayList<>();
    try (OtlpSink sink = OtlpSink.create(pipeline.grpcEndpoint(), "grpc");
        KafkaControlPlane control =
            new KafkaControlPlane(pipeline.config().kafkaClientConfig(), topics)) {
      Simulator simulator = new Simulator(settings, sink, control, pacer);
      statsHolder[0] = simulator.stats();
      log.printf(
          "simulating %d services (%d nodes), %,.0f requests/min, warm-up %s in the past%n",
          services, settings.platform().nodes().size(), requestsPerMinute, warmup);
      simulator.start();
      while (!simulator.awaitDone(Duration.ofSeconds(20))) {
        if (realTimeStart[0] != 0) {
          LagProbe.Snapshot look = lag.look();
          long enrichment = look.lag().values().stream().findFirst().orElse(0L);
          lagSamples.add(
              new long[] {
                (System.nanoTime() - realTimeStart[0]) / 1_000_000_000L, look.totalLag(), enrichment
              });
          log.printf(
              "  t+%3ds lag %s | sim %s | alerts %d | load %.1f%n",
              lagSamples.get(lagSamples.size() - 1)[0],
              look.describe(),
              simulator.stats().simulatedTime(),
              alerts.size(),
              Cpu.loadAverage());
        }
      }
      double seconds = (System.nanoTime() - realTimeStart[0]) / 1e9;
      SimulatorStats s = simulator.stats();
      ThreadCpu.Split split = ThreadCpu.now().since(threadsAtStart.get(0));
      Map<String, Long> parts = new TreeMap<>(split.vigilParts());
      parts.put(ThreadCpu.BROKER_PART, split.broker());
      parts.put(ThreadCpu.LOAD_PART + " (simulator, harness)", split.load());
      Map<String, Double> cpuByPart = ThreadCpu.perSecond(parts, seconds);
      long fed = feeder == null ? 0 : feeder.points();
      double points = (s.points() - startCounts[0] + fed) / seconds;
      double spans = (s.spans() - startCounts[1]) / seconds;
      double logs = (s.logs() - startCounts[2]) / seconds;
      // the last windows close 1.5 minutes after the data; give alerts of the last fault a chance
      Thread.sleep(30_000);
      stop.set(true);
      alertReader.join();
      signalReader.join();
      incidentReader.join();
      for (Thread reader : dumpReaders) {
        reader.join();
      }
      long heapAfter = Cpu.liveHeapBytes();
      long stateAfter = pipeline.stateBytes();
      TreeMap<Long, Integer> counts = new TreeMap<>();
      seriesPerWindow.forEach((start, keys) -> counts.put(start, keys.size()));
      int activeSeries = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      List<Latency> latencies = latencies(faults, injected, alerts);
      AlertLatencies alertLatencies = alertLatencies(alerts, incidents, sliceExported);
      return new Result(
          services,
          points,
          spans,
          logs,
          split.process() / seconds / 1e9,
          cpuByPart,
          activeSeries,
          counts,
          heapAfter - heapBefore,
          heapAfter,
          stateAfter - stateBefore,
          lagSamples,
          latencies,
          alertLatencies,
          s.failedExports() + (feeder == null ? 0 : feeder.failed()),
          seconds,
          fed);
    }
  }

  /**
   * For each fault, the first firing alert after its injection that names its target (the alert's
   * service label exactly, or its summary naming it as the root cause). Alerts about other services
   * are noise of the warm-up or of a lagging pipeline, not this fault's detection.
   */
  private static List<Latency> latencies(
      List<Fault> faults, Map<Fault, Long> injected, List<AlertSeen> alerts) {
    List<Latency> result = new ArrayList<>();
    for (Fault fault : faults) {
      Long at = injected.get(fault);
      AlertSeen first = null;
      if (at != null) {
        for (AlertSeen alert : alerts) {
          if (alert.nanos >= at
              && (alert.service.equals(fault.target())
                  || alert.summary.startsWith(fault.target() + " is the likely root cause"))) {
            first = alert;
            break;
          }
        }
      }
      long others = alerts.stream().filter(a -> at != null && a.nanos >= at).count();
      result.add(
          new Latency(
              fault.toString(),
              first == null ? Double.NaN : (first.nanos - at) / 1e9,
              first == null ? "none naming " + fault.target() : first.labels,
              others));
    }
    return result;
  }

  /**
   * Ingest-to-alert of each new incident alert (the first firing of each fingerprint: what
   * Alertmanager notifies) raised in the real-time phase: from the export of the first record of
   * the window whose evidence raised it to the alert on {@code vigil.alerts}. That window is the
   * one ending at the {@code updatedAt} of the incident version the alert was made from (its id,
   * top service and severity), the rca's stream time when it published: the end of the newest
   * window it had read. This is the latency the target "window + 10 s" bounds: a window's first
   * record waits a window for it to close, the rest is the pipeline's own. How many windows of
   * evidence a detector needs before it alerts is another figure: the per-fault injection-to-alert.
   */
  private static AlertLatencies alertLatencies(
      List<AlertSeen> alerts,
      List<IncidentSeen> incidents,
      ConcurrentSkipListMap<Long, Long> sliceExported) {
    List<Double> seconds = new ArrayList<>();
    int unmatched = 0;
    Set<String> seen = new java.util.HashSet<>();
    for (AlertSeen alert : alerts) {
      if (alert.incident() == null || !seen.add(alert.fingerprint())) {
        continue;
      }
      IncidentSeen version =
          incidents.stream()
              .filter(
                  i ->
                      i.id().equals(alert.incident())
                          && i.topService().equals(alert.service())
                          && i.severity().equals(alert.severity()))
              .findFirst()
              .orElse(null);
      if (version == null) {
        unmatched++;
        continue;
      }
      long windowStart = version.updatedAt() - WINDOW_MILLIS;
      Map.Entry<Long, Long> slice = sliceExported.floorEntry(windowStart);
      if (slice == null) {
        continue; // raised on warm-up data, sent as fast as the bridge took it
      }
      seconds.add((alert.nanos() - slice.getValue()) / 1e9);
    }
    return new AlertLatencies(
        seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray(), unmatched);
  }

  private void awaitCaughtUp() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    log.printf("warm-up sent; waiting for the apps to catch up%n");
    while (System.nanoTime() < deadline) {
      try {
        LagProbe.Snapshot look = lag.look();
        log.printf("  catching up: lag %s%n", look.describe());
        if (look.totalLag() < 2_000) {
          return;
        }
      } catch (Exception e) {
        log.printf("  lag look failed: %s%n", e);
      }
      Thread.sleep(10_000);
    }
  }

  /** A {@link #reader} that deserializes each value, with one deserializer for the topic. */
  private <V> Thread valueReader(
      TopicSpec<?, V> topic,
      AtomicBoolean stop,
      BiConsumer<ConsumerRecord<byte[], byte[]>, V> handler) {
    Deserializer<V> values = topic.valueSerde().deserializer();
    return reader(
        topic.name(),
        stop,
        record -> handler.accept(record, values.deserialize(record.topic(), record.value())));
  }

  private Thread reader(
      String topic,
      AtomicBoolean stop,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    Map<String, Object> config = new HashMap<>(pipeline.config().kafkaClientConfig());
    config.put("isolation.level", "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // from now on, not from when the thread first polls
    Thread thread =
        new Thread(
            () -> {
              try (consumer) {
                while (!stop.get()) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(record);
                  }
                }
              }
            },
            "bench-" + topic);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String abbreviate(String text) {
    return text.length() <= 160 ? text : text.substring(0, 160) + "...";
  }

  private record AlertSeen(
      long nanos,
      String fingerprint,
      String service,
      String severity,
      String incident,
      String summary,
      String labels) {}

  private record IncidentSeen(String id, long updatedAt, String topService, String severity) {}

  /**
   * @param seconds ingest-to-alert of each new incident alert of the real-time phase, sorted
   * @param unmatched new alerts whose incident version was not read (not measured)
   */
  record AlertLatencies(double[] seconds, int unmatched) {}

  /**
   * @param fault the fault
   * @param seconds from the export of its first faulted slice to the first new firing alert; NaN
   *     when none came before the next fault
   * @param alert the alert's labels
   * @param alertsAfter firing alerts (any service) seen after the injection
   */
  record Latency(String fault, double seconds, String alert, long alertsAfter) {}

  /**
   * @param services services of the platform
   * @param pointsPerSecond data points per second in the real-time phase
   * @param spansPerSecond spans per second
   * @param logsPerSecond log records per second
   * @param cpuPerSecond process CPU seconds per wall second in the real-time phase
   * @param cpuPerSecondByPart of which each part's (see {@link ThreadCpu#part}): Vigil's parts, the
   *     broker and the load (the simulator and the harness)
   * @param activeSeries the most distinct series keys of one window on vigil.signals.1m
   * @param seriesPerWindow distinct keys per window start
   * @param heapGrowth live heap after minus before the platform ran
   * @param heapAfter live heap after
   * @param stateGrowth Streams state directory bytes after minus before
   * @param lagSamples seconds since the real-time start, lag of all apps, lag of enrichment
   * @param latencies injection-to-alert per fault
   * @param alertLatencies ingest-to-alert of every new incident alert of the real-time phase
   * @param failedExports OTLP exports the bridge refused or that failed
   * @param seconds length of the real-time phase
   * @param extraPoints points of the {@link SeriesFeeder} among them
   */
  record Result(
      int services,
      double pointsPerSecond,
      double spansPerSecond,
      double logsPerSecond,
      double cpuPerSecond,
      Map<String, Double> cpuPerSecondByPart,
      int activeSeries,
      TreeMap<Long, Integer> seriesPerWindow,
      long heapGrowth,
      long heapAfter,
      long stateGrowth,
      List<long[]> lagSamples,
      List<Latency> latencies,
      AlertLatencies alertLatencies,
      long failedExports,
      double seconds,
      long extraPoints) {}
}
