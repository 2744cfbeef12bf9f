package dev.vigil.perf.pipeline;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the Streams apps, from the broker's view: per group, the records between its
 * committed offsets and the partitions' ends (source and repartition topics), and the committed
 * offsets per topic (what a group has processed so far).
 */
final class LagProbe implements AutoCloseable {
  private final Admin admin;
  private final List<String> groups;

  LagProbe(Map<String, Object> clientConfig, List<String> groups) {
    this.admin = Admin.create(clientConfig);
    this.groups = groups;
  }

  /** One look at every group. */
  Snapshot look() throws Exception {
    Map<String, Long> lag = new LinkedHashMap<>();
    Map<String, Long> committedByTopic = new HashMap<>();
    for (String group : groups) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      if (committed.isEmpty()) {
        lag.put(group, 0L);
        continue;
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  committed.keySet().stream()
                      .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
              .all()
              .get(30, TimeUnit.SECONDS);
      long total = 0;
      for (var entry : committed.entrySet()) {
        if (entry.getValue() == null) {
          continue;
        }
        total += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
        committedByTopic.merge(
            group + "/" + entry.getKey().topic(), entry.getValue().offset(), Long::sum);
      }
      lag.put(group, total);
    }
    return new Snapshot(System.nanoTime(), lag, committedByTopic);
  }

  /** End offsets (records written so far, transaction markers included) of one topic. */
  long endOffsets(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
        .mapToLong(ListOffsetsResultInfo::offset)
        .sum();
  }

  @Override
  public void close() {
    admin.close();
  }

  /**
   * @param nanos when it was taken ({@link System#nanoTime()})
   * @param lag records not yet processed, per group
   * @param committed committed offsets summed per {@code group/topic}
   */
  record Snapshot(long nanos, Map<String, Long> lag, Map<String, Long> committed) {
    long totalLag() {
      return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    long committed(String group, String topic) {
      return committed.getOrDefault(group + "/" + topic, 0L);
    }

    String describe() {
      return lag.entrySet().stream()
          .map(e -> e.getKey().replace("vigil-", "") + "=" + e.getValue())
          .collect(Collectors.joining(" "));
    }
  }
}
