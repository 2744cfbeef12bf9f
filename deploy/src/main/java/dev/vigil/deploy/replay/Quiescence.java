package dev.vigil.deploy.replay;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells when a chain of stream apps has processed everything: no open transaction on any topic,
 * every consumer group's committed offset at the end of each partition it reads, and nothing
 * written since the previous look. Offsets, not wall-clock pauses, decide, so a slow machine only
 * makes it wait longer.
 *
 * <p>An exactly-once producer ends each transaction with a marker that takes one offset but is no
 * record; a group may have committed the offset of the marker rather than the one after it. When a
 * partition is one offset short, a read-committed consumer positioned there decides whether
 * anything but that marker remains.
 */
public final class Quiescence implements AutoCloseable {
  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> probe;
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);
  private final Map<TopicPartition, Long> markerOnly = new HashMap<>();
  private Map<TopicPartition, Long> previousEnds = Map.of();

  /**
   * @param admin a connected admin client, owned by the caller
   * @param clientConfig connection settings for the read-committed probe consumer
   */
  public Quiescence(Admin admin, Map<String, Object> clientConfig) {
    this.admin = Objects.requireNonNull(admin, "admin");
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.probe =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** One look: true if idle with everything consumed and nothing new since the last look. */
  public boolean settled() throws InterruptedException {
    try {
      Map<TopicPartition, Long> ends = ends(IsolationLevel.READ_UNCOMMITTED);
      Map<TopicPartition, Long> stable = ends(IsolationLevel.READ_COMMITTED);
      boolean unchanged = ends.equals(previousEnds);
      previousEnds = ends;
      if (!unchanged || !ends.equals(stable)) {
        return false; // something was written since, or a transaction is still open
      }
      for (GroupListing group : admin.listGroups().all().get()) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
          Long end = ends.get(entry.getKey());
          if (end != null && !consumed(entry.getKey(), entry.getValue(), end)) {
            return false;
          }
        }
      }
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read offsets from the broker", e.getCause());
    }
  }

  /**
   * Looks every 50 ms until {@link #settled}.
   *
   * @throws IllegalStateException if the apps have not settled within {@code timeout}
   */
  public void await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!settled()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the stream apps did not settle within " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(50); // between two reads of the broker's offsets
    }
  }

  private boolean consumed(TopicPartition partition, OffsetAndMetadata committed, long end) {
    long offset = committed == null ? 0 : committed.offset();
    if (offset >= end) {
      return true;
    }
    if (offset < end - 1) {
      return false;
    }
    // One offset short: only a transaction marker left, or one real record? Asked once per end
    // offset: the answer cannot change until something is written.
    if (Long.valueOf(end).equals(markerOnly.get(partition))) {
      return true;
    }
    probe.assign(List.of(partition));
    probe.seek(partition, offset);
    // Short polls until the fetch has moved the position: one long poll would wait its whole
    // timeout when the fetch brings only the marker, once per partition on every look.
    long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
    do {
      if (!probe.poll(Duration.ofMillis(2)).isEmpty()) {
        return false;
      }
      if (probe.position(partition) >= end) {
        markerOnly.put(partition, end);
        return true;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }

  private Map<TopicPartition, Long> ends(IsolationLevel isolation)
      throws ExecutionException, InterruptedException {
    Collection<String> names = admin.listTopics().names().get();
    Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
    Map<TopicPartition, OffsetSpec> request =
        topics.values().stream()
            .flatMap(
                t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get();
    return result.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  @Override
  public void close() {
    probe.close();
  }
}
