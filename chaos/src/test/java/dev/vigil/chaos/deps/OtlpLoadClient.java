package dev.vigil.chaos.deps;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that exports one span per request, each carrying a unique {@code chaos.id} attribute,
 * and retries the same span until the receiver acknowledges it, as an OTLP client with a retrying
 * queue does. It records which ids were acknowledged and every error answer it got, so a test can
 * compare what the client was promised with what reached Kafka.
 */
abstract class OtlpLoadClient implements Runnable {
  /** Attribute carrying the span's unique id. */
  static final String ID_ATTRIBUTE = "chaos.id";

  final String name;
  final List<String> acknowledged = new CopyOnWriteArrayList<>();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final List<Long> ackNanos = new CopyOnWriteArrayList<>();
  private final long pauseNanos;

  /** Padding of each span (raw clients), changeable while the client runs. */
  volatile int payloadBytes = 1_000;

  private volatile boolean running = true;
  private Thread thread;

  /**
   * @param name the client's service name, also the prefix of its ids
   * @param pauseMillis pause between two requests (the client's pace)
   */
  OtlpLoadClient(String name, long pauseMillis) {
    this.name = name;
    this.pauseNanos = pauseMillis * 1_000_000;
  }

  /**
   * Sends one span with {@code id} once.
   *
   * @return 0 if acknowledged, else how long to wait before sending it again (ms)
   */
  abstract long sendOnce(String id) throws Exception;

  /** Counts an error answer, e.g. {@code "http 503 retry-after=2"}. */
  final void error(String outcome) {
    errors.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  final long errorCount(String prefix) {
    return errors.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  void start() {
    thread = new Thread(this, "load-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the span being sent is acknowledged. */
  void stopAndJoin() throws InterruptedException {
    running = false;
    thread.join(60_000);
    if (thread.isAlive()) {
      throw new AssertionError(name + " did not finish its last span within 60 s");
    }
  }

  @Override
  public void run() {
    for (long n = 0; running; n++) {
      String id = name + "-" + n;
      while (true) {
        long retryAfter;
        try {
          retryAfter = sendOnce(id);
        } catch (Exception e) {
          error("exception " + e.getClass().getSimpleName());
          retryAfter = 500;
        }
        if (retryAfter == 0) {
          ackNanos.add(System.nanoTime());
          acknowledged.add(id);
          break;
        }
        LockSupport.parkNanos(retryAfter * 1_000_000);
      }
      LockSupport.parkNanos(pauseNanos);
    }
  }
}
