package dev.vigil.chaos;

import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The edge windows a run of the chain committed (read committed, to the end of the topic), for the
 * same checks as {@link SignalWindows}: each (edge, window, revision) once.
 */
record EdgeWindows(List<ConsumerRecord<EdgeKey, EdgeWindow>> records) {

  /** One emission of one edge's window. */
  record Emission(EdgeKey key, Instant windowStart, int revision) {}

  /** Reads every committed record of {@code topic} (one partition). */
  static EdgeWindows read(String bootstrapServers, String topic) {
    return new EdgeWindows(
        SignalWindows.committed(
            bootstrapServers,
            topic,
            VigilSerdes.EDGE_KEY.deserializer(),
            VigilSerdes.EDGE_WINDOW.deserializer()));
  }

  /** Records beyond the first of each (edge, window, revision): emitted twice. */
  int duplicates() {
    Map<Emission, Integer> seen = new HashMap<>();
    int duplicates = 0;
    for (ConsumerRecord<EdgeKey, EdgeWindow> record : records) {
      Emission emission =
          new Emission(record.key(), record.value().getWindowStart(), record.value().getRevision());
      if (seen.merge(emission, 1, Integer::sum) > 1) {
        duplicates++;
      }
    }
    return duplicates;
  }

  /** Records with revision 1. */
  long revisions() {
    return records.stream().filter(r -> r.value().getRevision() == 1).count();
  }

  /** The {@code calls} of each emission of one edge, by window start and revision. */
  Map<Instant, Map<Integer, Long>> calls(String client, String server) {
    Map<Instant, Map<Integer, Long>> calls = new TreeMap<>();
    for (ConsumerRecord<EdgeKey, EdgeWindow> record : records) {
      if (record.key().getClient().equals(client) && record.key().getServer().equals(server)) {
        calls
            .computeIfAbsent(record.value().getWindowStart(), w -> new TreeMap<>())
            .put(record.value().getRevision(), record.value().getCalls());
      }
    }
    return calls;
  }
}
