package dev.vigil.runtime.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what an app restores from its changelogs, so that a restart or a rebalance that moves
 * state is visible in {@code /metrics} and the log without Kafka Streams' debug-level metrics:
 *
 * <ul>
 *   <li>{@code vigil_streams_restored_records_total{app}}: records replayed into the stores of
 *       active tasks (after a restart without local state, or when a task moves here);
 *   <li>{@code vigil_streams_restore_seconds{app}}: how long each store partition's restore took;
 *   <li>{@code vigil_streams_standby_records_total{app}}: records applied to standby replicas,
 *       which keep a warm copy so that a takeover restores little.
 * </ul>
 *
 * <p>Kafka Streams shares one listener among its threads: the state here is thread-safe.
 */
public final class StateRestoreMetrics implements StateRestoreListener, StandbyUpdateListener {
  private static final Logger LOGGER = LoggerFactory.getLogger(StateRestoreMetrics.class);

  private final String app;
  private final Counter restored;
  private final Counter standby;
  private final Timer restoreTime;
  private final LongSupplier clock;
  private final Map<String, Long> running = new ConcurrentHashMap<>();

  /**
   * @param app app name, the {@code app} tag
   * @param registry where the meters live
   */
  public StateRestoreMetrics(String app, MeterRegistry registry) {
    this(app, registry, System::nanoTime);
  }

  StateRestoreMetrics(String app, MeterRegistry registry, LongSupplier clock) {
    this.app = Objects.requireNonNull(app, "app");
    this.clock = clock;
    this.restored =
        Counter.builder("vigil.streams.restored.records")
            .description("Changelog records restored into active tasks' state stores")
            .tag("app", app)
            .register(registry);
    this.standby =
        Counter.builder("vigil.streams.standby.records")
            .description("Changelog records applied to standby replicas")
            .tag("app", app)
            .register(registry);
    this.restoreTime =
        Timer.builder("vigil.streams.restore")
            .description("Time to restore one state store partition from its changelog")
            .tag("app", app)
            .register(registry);
  }

  @Override
  public void onRestoreStart(
      TopicPartition partition, String store, long startingOffset, long endingOffset) {
    running.put(key(partition, store), clock.getAsLong());
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    restored.increment(numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    Long started = running.remove(key(partition, store));
    Duration took = started == null ? Duration.ZERO : Duration.ofNanos(clock.getAsLong() - started);
    restoreTime.record(took);
    if (totalRestored > 0) {
      LOGGER.info(
          "App {} restored {} records of store {} ({}) in {} ms",
          app,
          totalRestored,
          store,
          partition,
          took.toMillis());
    }
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    running.remove(key(partition, store)); // the task moved away before its restore finished
  }

  @Override
  public void onUpdateStart(TopicPartition partition, String store, long startingOffset) {}

  @Override
  public void onBatchLoaded(
      TopicPartition partition,
      String store,
      TaskId taskId,
      long batchEndOffset,
      long batchSize,
      long currentEndOffset) {
    standby.increment(batchSize);
  }

  @Override
  public void onUpdateSuspended(
      TopicPartition partition,
      String store,
      long storeOffset,
      long currentEndOffset,
      SuspendReason reason) {}

  private static String key(TopicPartition partition, String store) {
    return store + "@" + partition;
  }
}
