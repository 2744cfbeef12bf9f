package dev.vigil.chaos;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Injects one fault into a running chain from beside it, at the moment that hurts most: once the
 * chain has published an incident (anomalies, incident versions and alerts are being written) and
 * while one of its transactions is open (records written but not committed, input offsets not yet
 * committed). It then measures how long the chain takes to commit progress again.
 */
final class MidIncidentFault implements AutoCloseable {
  /** What the fault does; returns when the fault is over (process restarted, broker back). */
  @FunctionalInterface
  interface Action {
    void inject() throws Exception;
  }

  /**
   * What happened.
   *
   * @param transactionOpen whether a transaction of the chain was open when the fault hit
   * @param fault how long the fault itself lasted (kill until restarted, broker down until up)
   * @param recovery from the fault until the chain committed input offsets beyond those it had
   *     committed when the fault hit: the time it made no progress
   */
  record Outcome(boolean transactionOpen, Duration fault, Duration recovery) {}

  private static final Duration ARM_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(10);
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(2);

  private final Admin admin;
  private final String prefix;
  private final List<String> groups;
  private final Action action;
  private final Thread thread;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicReference<Outcome> outcome = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopped;

  /**
   * @param bootstrapServers the broker
   * @param prefix the chain's topic prefix (its topics and consumer groups start with it)
   * @param apps the chain's app names (their groups are {@code <prefix>vigil-<app>})
   * @param action the fault
   */
  MidIncidentFault(String bootstrapServers, String prefix, List<String> apps, Action action) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    this.prefix = prefix;
    this.groups = apps.stream().map(app -> prefix + "vigil-" + app).toList();
    this.action = action;
    this.thread = new Thread(this::run, "chaos-fault");
    this.thread.setDaemon(true);
  }

  /** Starts watching; the fault fires once. */
  void start() {
    thread.start();
  }

  /**
   * Waits for the fault and the recovery.
   *
   * @throws AssertionError if the fault never fired or the chain never recovered
   */
  Outcome await(Duration timeout) throws InterruptedException {
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the fault did not fire and recover within " + timeout);
    }
    if (failure.get() != null) {
      throw new AssertionError("fault injection failed: " + failure.get(), failure.get());
    }
    return outcome.get();
  }

  private void run() {
    try {
      long armBy = System.nanoTime() + ARM_TIMEOUT.toNanos();
      while (committedEnd(prefix + "vigil.incidents") < 1) {
        if (stopped || System.nanoTime() > armBy) {
          throw new IllegalStateException("no incident was published within " + ARM_TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(10); // between two looks at the broker's offsets
      }
      long openBy = System.nanoTime() + OPEN_TRANSACTION_WAIT.toNanos();
      boolean open = false;
      while (!open && System.nanoTime() < openBy) {
        open = transactionOpen();
      }
      Map<TopicPartition, Long> before = committedOffsets();
      long began = System.nanoTime();
      action.inject();
      long ended = System.nanoTime();
      long recoverBy = ended + RECOVERY_TIMEOUT.toNanos();
      while (!advanced(before, committedOffsets())) {
        if (System.nanoTime() > recoverBy) {
          throw new IllegalStateException("the chain committed nothing within " + RECOVERY_TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
      outcome.set(
          new Outcome(
              open, Duration.ofNanos(ended - began), Duration.ofNanos(System.nanoTime() - began)));
    } catch (Throwable e) {
      failure.set(e);
    } finally {
      done.countDown();
    }
  }

  /** Whether some topic of the chain has records written but not yet committed or aborted. */
  private boolean transactionOpen() throws ExecutionException, InterruptedException {
    Collection<TopicPartition> partitions = partitions();
    return !ends(partitions, IsolationLevel.READ_UNCOMMITTED)
        .equals(ends(partitions, IsolationLevel.READ_COMMITTED));
  }

  private long committedEnd(String topic) throws ExecutionException, InterruptedException {
    if (!admin.listTopics().names().get().contains(topic)) {
      return 0;
    }
    return ends(List.of(new TopicPartition(topic, 0)), IsolationLevel.READ_COMMITTED)
        .values()
        .iterator()
        .next();
  }

  /** Input offsets the chain's groups have committed (only committed transactions count). */
  private Map<TopicPartition, Long> committedOffsets() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (String group : groups) {
      try {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        committed.forEach((p, o) -> offsets.put(p, o == null ? -1 : o.offset()));
      } catch (ExecutionException | InterruptedException e) {
        return Map.of(); // broker not answering (yet): no progress seen
      }
    }
    return offsets;
  }

  private static boolean advanced(Map<TopicPartition, Long> before, Map<TopicPartition, Long> now) {
    return now.entrySet().stream()
        .anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), -1L));
  }

  private Collection<TopicPartition> partitions() throws ExecutionException, InterruptedException {
    List<String> names =
        admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList();
    Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
    return topics.values().stream()
        .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
        .toList();
  }

  private Map<TopicPartition, Long> ends(
      Collection<TopicPartition> partitions, IsolationLevel isolation)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    return admin
        .listOffsets(request, new ListOffsetsOptions(isolation))
        .all()
        .get()
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
