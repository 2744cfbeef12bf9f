package dev.vigil.chaos;

import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The signal windows a run of the chain committed (read with {@code isolation.level=read_committed}
 * to the end of the topic), for the checks early emission needs: a window may come twice, first
 * emitted (revision 0) and revised (revision 1), but each (series, window, revision) once.
 */
record SignalWindows(List<ConsumerRecord<SeriesKey, SignalWindow>> records) {

  /** One emission of one series' window. */
  record Emission(SeriesKey key, Instant windowStart, int revision) {}

  /** Reads every committed record of {@code topic} (one partition). */
  static SignalWindows read(String bootstrapServers, String topic) {
    return new SignalWindows(
        committed(
            bootstrapServers,
            topic,
            VigilSerdes.SERIES_KEY.deserializer(),
            VigilSerdes.SIGNAL_WINDOW.deserializer()));
  }

  /** Every committed record of {@code topic} (one partition), in topic order. */
  static <K, V> List<ConsumerRecord<K, V>> committed(
      String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "chaos-" + UUID.randomUUID(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    TopicPartition partition = new TopicPartition(topic, 0);
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      // Read committed: the end offset is the last stable offset, past every committed record.
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Records beyond the first of each (series, window, revision): emitted twice. */
  int duplicates() {
    Map<Emission, Integer> seen = new HashMap<>();
    int duplicates = 0;
    for (ConsumerRecord<SeriesKey, SignalWindow> record : records) {
      if (seen.merge(emission(record), 1, Integer::sum) > 1) {
        duplicates++;
      }
    }
    return duplicates;
  }

  /** Records with revision 1. */
  long revisions() {
    return records.stream().filter(r -> r.value().getRevision() == 1).count();
  }

  /**
   * The {@code count} of each emission of one signal of one service, by window start and revision
   * ("0" first emission, "1" revision), e.g. {@code {10:00 -> {0 -> 2, 1 -> 4}}}.
   */
  Map<Instant, Map<Integer, Long>> counts(String service, String signal) {
    Map<Instant, Map<Integer, Long>> counts = new TreeMap<>();
    for (ConsumerRecord<SeriesKey, SignalWindow> record : records) {
      if (record.key().getService().equals(service) && record.key().getSignal().equals(signal)) {
        counts
            .computeIfAbsent(record.value().getWindowStart(), w -> new TreeMap<>())
            .put(record.value().getRevision(), record.value().getCount());
      }
    }
    return counts;
  }

  private static Emission emission(ConsumerRecord<SeriesKey, SignalWindow> record) {
    return new Emission(
        record.key(), record.value().getWindowStart(), record.value().getRevision());
  }
}
