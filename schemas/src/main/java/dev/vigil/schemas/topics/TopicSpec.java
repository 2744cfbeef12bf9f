package dev.vigil.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One topic Vigil owns: its name, how it is provisioned and how its records are (de)serialized.
 *
 * @param name full topic name, environment prefix included
 * @param partitions partition count at creation
 * @param replicationFactor replication factor at creation
 * @param cleanupPolicy delete or compact
 * @param retention retention time for deleting topics; empty for compacted topics (kept forever)
 * @param keySerde serde of the record key
 * @param valueSerde serde of the record value
 * @param <K> key type
 * @param <V> value type
 */
public record TopicSpec<K, V>(
    String name,
    int partitions,
    short replicationFactor,
    CleanupPolicy cleanupPolicy,
    Optional<Duration> retention,
    Serde<K> keySerde,
    Serde<V> valueSerde) {

  /** Checks the spec. */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("topic name must not be empty");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions of " + name + " must be >= 1");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor of " + name + " must be >= 1");
    }
  }

  /** Source description for a Streams topology. */
  public Consumed<K, V> consumed() {
    return Consumed.with(keySerde, valueSerde);
  }

  /** Sink description for a Streams topology. */
  public Produced<K, V> produced() {
    return Produced.with(keySerde, valueSerde);
  }

  /** The topic configs Vigil sets at creation and checks on verification. */
  public Map<String, String> configs() {
    Map<String, String> configs = new HashMap<>();
    configs.put("cleanup.policy", cleanupPolicy.configValue());
    retention.ifPresent(r -> configs.put("retention.ms", Long.toString(r.toMillis())));
    return Map.copyOf(configs);
  }
}
