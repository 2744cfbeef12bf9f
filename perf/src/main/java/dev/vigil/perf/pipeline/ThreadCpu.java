package dev.vigil.perf.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits this JVM's CPU time between the embedded Kafka broker, the benchmark's own load generator
 * and Vigil (everything else: bridge, stream threads and their Kafka clients, GC and JIT).
 *
 * <p>The whole chain runs in one process next to the broker and the load generator; "per core"
 * targets are about Vigil, whose production pods do not host the broker or the load. Threads are
 * told apart by name: the broker's are the ones {@code EmbeddedBroker} starts (listed by starting
 * it and dumping thread names, Kafka 4.3), the load generator's are the ramp's (main and the JDK
 * HTTP client) and the harness's topic readers. GC and JIT threads are not Java threads and stay in
 * Vigil's share, as do broker threads that a future Kafka names differently: the split errs towards
 * Vigil costing more.
 */
final class ThreadCpu {
  private static final Pattern BROKER =
      Pattern.compile(
          "^(data-plane-kafka-|kafka-\\d+-|kafka-log-cleaner|kafka-scheduler-|broker-\\d+-"
              + "|controller-\\d+-|quorum-controller-|raft-|group-coordinator-|share-coordinator-"
              + "|share-group-|transaction-log-manager|TxnMarkerSenderThread|AddPartitionsToTxn"
              + "|ExpirationReaper|ReplicaFetcherThread|LogDirFailureHandler|PersisterStateManager"
              + "|persister-state-manager|SensorExpiryThread|client-metrics-reaper"
              + "|metrics-meter-tick-thread|network-partition-metadata).*");
  private static final Pattern LOAD = Pattern.compile("^(main|HttpClient-\\d+-|bench-).*");

  /**
   * A Kafka Streams thread proper, named client id (application id + UUID) + {@code
   * -StreamThread-n} or {@code -GlobalStreamThread}; group 1 is the app. Not its clients' network
   * threads, whose names contain the stream thread's after a prefix.
   */
  private static final Pattern STREAM_THREAD =
      Pattern.compile("^vigil-([a-z]+)-[0-9a-f-]{36}-(?:StreamThread-\\d+|GlobalStreamThread)$");

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long process;
  private final Map<Long, Long> broker;
  private final Map<Long, Long> load;

  private ThreadCpu(long process, Map<Long, Long> broker, Map<Long, Long> load) {
    this.process = process;
    this.broker = broker;
    this.load = load;
  }

  /** The CPU time so far of the process, and of every live broker and load-generator thread. */
  static ThreadCpu now() {
    Map<Long, Long> broker = new HashMap<>();
    Map<Long, Long> load = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue; // ended meanwhile
      }
      String name = info.getThreadName();
      Map<Long, Long> group =
          BROKER.matcher(name).matches() ? broker : LOAD.matcher(name).matches() ? load : null;
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (group != null && cpu >= 0) {
        group.put(info.getThreadId(), cpu);
      }
    }
    return new ThreadCpu(Cpu.processNanos(), broker, load);
  }

  /**
   * CPU nanoseconds between {@code earlier} and this snapshot. A thread that ended in between is
   * missed and its time counts as Vigil's, again erring towards Vigil costing more.
   */
  Split since(ThreadCpu earlier) {
    long brokerNanos = growth(broker, earlier.broker);
    long loadNanos = growth(load, earlier.load);
    long total = process - earlier.process;
    return new Split(total, brokerNanos, loadNanos, Math.max(0, total - brokerNanos - loadNanos));
  }

  /**
   * CPU nanoseconds so far of each app's stream threads (without their clients' network threads),
   * by app name ({@code enrichment}, {@code anomaly}, ...). A thread that ended is missed.
   */
  static Map<String, Long> streamThreadsByApp() {
    Map<String, Long> byApp = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      String app = streamThreadApp(info.getThreadName());
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (app != null && cpu >= 0) {
        byApp.merge(app, cpu, Long::sum);
      }
    }
    return byApp;
  }

  /** The app whose stream thread proper {@code threadName} is, or null if it is none. */
  static String streamThreadApp(String threadName) {
    Matcher app = STREAM_THREAD.matcher(threadName);
    return app.matches() ? app.group(1) : null;
  }

  private static long growth(Map<Long, Long> now, Map<Long, Long> before) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : now.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  /**
   * @param process CPU ns of the whole process
   * @param broker of the embedded broker's threads
   * @param load of the load generator's threads
   * @param vigil the rest: bridge, apps, their clients, GC and JIT
   */
  record Split(long process, long broker, long load, long vigil) {}
}
