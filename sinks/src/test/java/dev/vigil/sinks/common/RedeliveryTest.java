package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

class RedeliveryTest {
  private final SinkTaskMetrics.Counter redelivered =
      new SinkTaskMetrics((PluginMetrics) null).counter("batches-redelivered", "test");

  @Test
  void aRetriableFailureAsksConnectForTheBatchAgainAfterTheDelay() {
    RecordingContext context = new RecordingContext();

    assertThatThrownBy(
            () ->
                Redelivery.after(
                    context,
                    Duration.ofSeconds(10),
                    redelivered,
                    () -> {
                      throw new RetriableException("target down");
                    }))
        .isInstanceOf(RetriableException.class)
        .hasMessage("target down");
    assertThat(context.timeout.get()).isEqualTo(10_000);
    assertThat(redelivered.value()).as("the hand-back is counted").isEqualTo(1);
  }

  @Test
  void successAndOtherFailuresLeaveTheTimeoutAlone() {
    RecordingContext context = new RecordingContext();

    Redelivery.after(context, Duration.ofSeconds(10), redelivered, () -> {});
    assertThatThrownBy(
            () ->
                Redelivery.after(
                    context,
                    Duration.ofSeconds(10),
                    redelivered,
                    () -> {
                      throw new ConnectException("401");
                    }))
        .isInstanceOf(ConnectException.class);
    assertThat(context.timeout.get()).isEqualTo(-1);
    assertThat(redelivered.value()).isZero();
  }

  @Test
  void aRefusalThatOutlastedTheRetriesIsHandedBackAndOtherRefusalsFailTheTask() {
    RecordingContext context = new RecordingContext();

    assertThatThrownBy(
            () ->
                Redelivery.after(
                    context,
                    Duration.ofSeconds(10),
                    redelivered,
                    () -> {
                      throw new HttpStatusException("GET", "http://node:9200", 503, "recovering");
                    }))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("answered 503")
        .hasMessageContaining("Connect redelivers the batch");
    assertThat(context.timeout.get()).isEqualTo(10_000);
    assertThat(redelivered.value()).isEqualTo(1);

    assertThatThrownBy(
            () ->
                Redelivery.after(
                    context,
                    Duration.ofSeconds(10),
                    redelivered,
                    () -> {
                      throw new HttpStatusException("PUT", "http://node:9200", 403, "no privilege");
                    }))
        .isInstanceOf(HttpStatusException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("answered 403");
    assertThat(redelivered.value()).isEqualTo(1);
  }

  /** Only what Redelivery uses: the timeout it sets. */
  private static final class RecordingContext implements SinkTaskContext {
    final AtomicLong timeout = new AtomicLong(-1);

    @Override
    public void timeout(long timeoutMs) {
      timeout.set(timeoutMs);
    }

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {}

    @Override
    public void offset(TopicPartition tp, long offset) {}

    @Override
    public Set<TopicPartition> assignment() {
      return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }
}
