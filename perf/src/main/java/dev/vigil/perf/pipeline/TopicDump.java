package dev.vigil.perf.pipeline;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.json.RecordJson;
import dev.vigil.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The opt-in record of a platform run ({@code dump=search,pricing}): every signal window of the
 * named services, every anomaly event and every incident version, as JSON lines with the wall time
 * the harness read them. When a fault goes unnamed, this file says whether its service's windows
 * arrived, what the detector made of them and which incident its anomalies joined, without watching
 * the topics while the run is live.
 */
final class TopicDump {
  private final TopicCatalog topics;
  private final Set<String> services;
  private final List<String> lines = new ArrayList<>();

  TopicDump(TopicCatalog topics, Set<String> services) {
    this.topics = topics;
    this.services = Set.copyOf(services);
  }

  /** A record of {@code vigil.signals.1m}: kept when its series belongs to a named service. */
  void signal(ConsumerRecord<byte[], byte[]> record) {
    SeriesKey key =
        topics.signals.keySerde().deserializer().deserialize(record.topic(), record.key());
    if (!services.contains(key.getService())) {
      return;
    }
    SignalWindow window =
        topics.signals.valueSerde().deserializer().deserialize(record.topic(), record.value());
    add(record, RecordJson.toJson(key), RecordJson.toJson(window));
  }

  /** A record of {@code vigil.anomalies}: all kept (a few per minute). */
  void anomaly(ConsumerRecord<byte[], byte[]> record) {
    AnomalyEvent event =
        topics.anomalies.valueSerde().deserializer().deserialize(record.topic(), record.value());
    add(record, RecordJson.toJson(stringKey(record)), RecordJson.toJson(event));
  }

  /** A record of {@code vigil.incidents}: every version kept. */
  void incident(ConsumerRecord<byte[], byte[]> record) {
    Incident incident =
        topics.incidents.valueSerde().deserializer().deserialize(record.topic(), record.value());
    add(record, RecordJson.toJson(stringKey(record)), RecordJson.toJson(incident));
  }

  private String stringKey(ConsumerRecord<byte[], byte[]> record) {
    return topics.anomalies.keySerde().deserializer().deserialize(record.topic(), record.key());
  }

  private synchronized void add(ConsumerRecord<byte[], byte[]> record, String key, String value) {
    lines.add(
        String.format(
            "{\"seen\":\"%s\",\"topic\":\"%s\",\"key\":%s,\"value\":%s}",
            Instant.now(), record.topic(), key, value));
  }

  /** Writes the records read so far, one JSON object a line; returns how many. */
  synchronized int write(Path file) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
    return lines.size();
  }
}
