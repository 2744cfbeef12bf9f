package dev.vigil.enrichment.internal;

import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions {@code vigil.signals.1m} by the series' service (murmur2 of its UTF-8 name, as Kafka's
 * default partitioner hashes a String key), so every signal of a service lands on one partition and
 * downstream per-service state stays local.
 */
public final class ServicePartitioner implements StreamPartitioner<SeriesKey, SignalWindow> {
  @Override
  public Optional<Set<Integer>> partitions(
      String topic, SeriesKey key, SignalWindow value, int numPartitions) {
    return Optional.of(Set.of(partition(key.getService(), numPartitions)));
  }

  /** The partition of a service's signals. */
  public static int partition(String service, int numPartitions) {
    return Utils.toPositive(Utils.murmur2(service.getBytes(StandardCharsets.UTF_8)))
        % numPartitions;
  }
}
