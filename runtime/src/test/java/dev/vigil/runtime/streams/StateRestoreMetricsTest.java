package dev.vigil.runtime.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener.SuspendReason;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class StateRestoreMetricsTest {
  private static final TopicPartition CHANGELOG =
      new TopicPartition("vigil-anomaly-detectors-changelog", 1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong();
  private final StateRestoreMetrics metrics =
      new StateRestoreMetrics("anomaly", registry, nanos::get);

  @Test
  void countsRestoredRecordsAndTimesEachStorePartition() {
    metrics.onRestoreStart(CHANGELOG, "detectors", 100, 1_100);
    metrics.onBatchRestored(CHANGELOG, "detectors", 600, 500);
    metrics.onBatchRestored(CHANGELOG, "detectors", 1_100, 500);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
    metrics.onRestoreEnd(CHANGELOG, "detectors", 1_000);

    assertThat(
            registry.get("vigil.streams.restored.records").tag("app", "anomaly").counter().count())
        .isEqualTo(1_000);
    assertThat(registry.get("vigil.streams.restore").tag("app", "anomaly").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("vigil.streams.restore").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(250);
  }

  @Test
  void countsStandbyUpdatesApartFromRestores() {
    metrics.onUpdateStart(CHANGELOG, "detectors", 0);
    metrics.onBatchLoaded(CHANGELOG, "detectors", new TaskId(0, 1), 40, 40, 40);
    metrics.onBatchLoaded(CHANGELOG, "detectors", new TaskId(0, 1), 42, 2, 42);
    metrics.onUpdateSuspended(CHANGELOG, "detectors", 42, 42, SuspendReason.PROMOTED);

    assertThat(registry.get("vigil.streams.standby.records").counter().count()).isEqualTo(42);
    assertThat(registry.get("vigil.streams.restored.records").counter().count()).isZero();
  }

  @Test
  void aSuspendedRestoreIsNotTimed() {
    metrics.onRestoreStart(CHANGELOG, "detectors", 0, 10);
    metrics.onBatchRestored(CHANGELOG, "detectors", 5, 5);
    metrics.onRestoreSuspended(CHANGELOG, "detectors", 5);

    assertThat(registry.get("vigil.streams.restored.records").counter().count()).isEqualTo(5);
    assertThat(registry.get("vigil.streams.restore").timer().count()).isZero();
  }
}
