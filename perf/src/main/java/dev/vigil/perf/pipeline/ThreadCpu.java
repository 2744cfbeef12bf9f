package dev.vigil.perf.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Splits this JVM's CPU time between the embedded Kafka broker, the benchmark's own load generator
 * and Vigil (everything else: bridge, stream threads and their Kafka clients, GC and JIT).
 *
 * <p>The whole chain runs in one process next to the broker and the load generator; "per core"
 * targets are about Vigil, whose production pods do not host the broker or the load. Threads are
 * told apart by name: the broker's are the ones {@code EmbeddedBroker} starts (listed by starting
 * it and dumping thread names, Kafka 4.3), the load generator's are the ramp's (main and the JDK
 * HTTP client), the platform simulator (its thread, its OTLP exporters' OkHttp threads and its
 * control-plane producer) and the harness's topic readers. GC and JIT threads are not Java threads
 * and stay in Vigil's share, as do broker threads that a future Kafka names differently: the split
 * errs towards Vigil costing more.
 *
 * <p>Vigil's share is split further by part (bridge, each app's stream thread, each app's clients),
 * so a pod can be sized per app rather than for the whole chain.
 */
final class ThreadCpu {
  private static final Pattern BROKER =
      Pattern.compile(
          "^(data-plane-kafka-|kafka-\\d+-|kafka-log-cleaner|kafka-scheduler-|broker-\\d+-"
              + "|controller-\\d+-|quorum-controller-|raft-|group-coordinator-|share-coordinator-"
              + "|share-group-|transaction-log-manager|TxnMarkerSenderThread|AddPartitionsToTxn"
              + "|ExpirationReaper|ReplicaFetcherThread|LogDirFailureHandler|PersisterStateManager"
              + "|persister-state-manager|SensorExpiryThread|client-metrics-reaper"
              + "|metrics-meter-tick-thread|network-partition-metadata|executor-).*");
  private static final Pattern LOAD =
      Pattern.compile(
          "^(main|HttpClient-\\d+-|bench-|OkHttp |Okio |vigil-simulator|.*\\| vigil-simulator).*");

  /**
   * A Kafka Streams thread proper, named client id (application id + UUID) + {@code
   * -StreamThread-n} or {@code -GlobalStreamThread}; group 1 is the app. Not its clients' network
   * threads, whose names contain the stream thread's after a prefix.
   */
  private static final Pattern STREAM_THREAD =
      Pattern.compile("^vigil-([a-z]+)-[0-9a-f-]{36}-(?:StreamThread-\\d+|GlobalStreamThread)$");

  /**
   * A thread named after an app's client id, {@code vigil-<app>-<UUID>...} (its stream threads'
   * producers, admin, state updater and cleanup threads), or after its group, {@code ... |
   * vigil-<app>} (the heartbeat thread); group 1 or 2 is the app.
   */
  private static final Pattern APP_CLIENT =
      Pattern.compile("^(?:.*\\| vigil-([a-z]+)|(?:.*\\| )?vigil-([a-z]+)-[0-9a-f]{8}-.*)$");

  /** The ingest bridge's threads: its HTTP server, its gRPC server and its producer. */
  private static final Pattern BRIDGE =
      Pattern.compile(
          "^(vigil-bridge-|HTTP-Dispatcher|idle-timeout-task|grpc-|.*\\| vigil-bridge).*");

  static final String BROKER_PART = "broker";
  static final String LOAD_PART = "load";

  /** Vigil's CPU that no Java thread of it accounts for: GC, JIT, threads that ended. */
  static final String REST_PART = "GC, JIT, ended threads";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long process;
  private final Map<Long, Sample> threads;

  private ThreadCpu(long process, Map<Long, Sample> threads) {
    this.process = process;
    this.threads = threads;
  }

  /** The CPU time so far of the process and of every live Java thread, with the part it is of. */
  static ThreadCpu now() {
    Map<Long, Sample> threads = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue; // ended meanwhile
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        threads.put(info.getThreadId(), new Sample(part(info.getThreadName()), cpu));
      }
    }
    return new ThreadCpu(Cpu.processNanos(), threads);
  }

  /**
   * CPU nanoseconds between {@code earlier} and this snapshot. A thread that ended in between is
   * missed and its time counts as Vigil's ({@link #REST_PART}), erring towards Vigil costing more.
   */
  Split since(ThreadCpu earlier) {
    Map<String, Long> parts = new TreeMap<>();
    threads.forEach(
        (id, now) -> {
          Sample before = earlier.threads.get(id);
          parts.merge(now.part(), now.cpu() - (before == null ? 0 : before.cpu()), Long::sum);
        });
    long total = process - earlier.process;
    long broker = parts.getOrDefault(BROKER_PART, 0L);
    long load = parts.getOrDefault(LOAD_PART, 0L);
    long vigil = Math.max(0, total - broker - load);
    Map<String, Long> vigilParts = new TreeMap<>(parts);
    vigilParts.remove(BROKER_PART);
    vigilParts.remove(LOAD_PART);
    long named = vigilParts.values().stream().mapToLong(Long::longValue).sum();
    vigilParts.put(REST_PART, Math.max(0, vigil - named));
    return new Split(total, broker, load, vigil, vigilParts);
  }

  /**
   * The part of the process a thread's CPU counts in: {@code broker}, {@code load}, {@code bridge},
   * {@code <app> stream thread} (the thread proper), {@code <app> clients} (the network, heartbeat,
   * admin and state threads named after its client id) or {@code other Java threads}.
   */
  static String part(String threadName) {
    if (BROKER.matcher(threadName).matches()) {
      return BROKER_PART;
    }
    if (LOAD.matcher(threadName).matches()) {
      return LOAD_PART;
    }
    if (BRIDGE.matcher(threadName).matches()) {
      return "bridge";
    }
    Matcher streamThread = STREAM_THREAD.matcher(threadName);
    if (streamThread.matches()) {
      return streamThreadPart(streamThread.group(1));
    }
    Matcher client = APP_CLIENT.matcher(threadName);
    if (client.matches()) {
      return clientsPart(client.group(1) != null ? client.group(1) : client.group(2));
    }
    return "other Java threads";
  }

  /** The part of an app's stream thread(s), e.g. {@code enrichment stream thread}. */
  static String streamThreadPart(String app) {
    return app + " stream thread";
  }

  /** The part of the threads named after an app's client id, e.g. {@code enrichment clients}. */
  static String clientsPart(String app) {
    return app + " clients";
  }

  /** {@code nanos} by part as CPU seconds per second of {@code seconds} of wall time. */
  static Map<String, Double> perSecond(Map<String, Long> nanos, double seconds) {
    Map<String, Double> perSecond = new TreeMap<>();
    nanos.forEach((part, n) -> perSecond.put(part, n / 1e9 / seconds));
    return perSecond;
  }

  /** CPU s/s by part, largest first: "enrichment stream thread 0.61, bridge 0.20, ... CPU s/s". */
  static String describe(Map<String, Double> cpuPerSecond, int decimals) {
    return cpuPerSecond.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(e -> String.format("%s %." + decimals + "f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "", " CPU s/s"));
  }

  private record Sample(String part, long cpu) {}

  /**
   * @param process CPU ns of the whole process
   * @param broker of the embedded broker's threads
   * @param load of the load generator's threads
   * @param vigil the rest: bridge, apps, their clients, GC and JIT
   * @param vigilParts {@code vigil} by part (see {@link #part}), with {@link #REST_PART} for what
   *     no live Java thread accounts for
   */
  record Split(long process, long broker, long load, long vigil, Map<String, Long> vigilParts) {
    /** CPU ns of one part of Vigil's, 0 if no thread of it ran. */
    long of(String part) {
      return vigilParts.getOrDefault(part, 0L);
    }
  }
}
