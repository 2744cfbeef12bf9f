package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.schemas.json.RecordJson;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.sinks.common.MalformedRecordException;
import dev.vigil.sinks.common.RecordBytes;
import dev.vigil.sinks.common.VigilValues;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a record of one of Vigil's topics (Avro single-object encoded value) into its document: the
 * readable JSON of {@link RecordJson} (unions unwrapped, RFC 3339 times, enum symbols), plus
 * {@code @timestamp} taken from the record's own event time, plus the series or edge from the key
 * for windowed topics whose value does not repeat it.
 */
final class VigilDocuments {
  /** The event time of each record type, copied to {@code @timestamp}. */
  private static final Map<String, String> TIMESTAMP_FIELD =
      Map.of(
          "AnomalyEvent", "at",
          "Incident", "updatedAt",
          "Alert", "startsAt",
          "SignalWindow", "windowEnd",
          "EdgeWindow", "windowEnd",
          "Forecast", "origin",
          "ChangeEvent", "at");

  /** Types whose topics are compacted: one current version per key. */
  private static final Set<String> KEYED_TYPES = Set.of("Incident", "Alert", "ServiceInfo");

  /** Windows of a series or edge, emitted up to twice (first emission, revision): one document. */
  private static final Set<String> WINDOW_TYPES = Set.of("SignalWindow", "EdgeWindow");

  private VigilDocuments() {}

  /**
   * A decoded document.
   *
   * @param type the Avro record name, e.g. {@code AnomalyEvent}: names the mappings
   * @param source the document
   * @param keyed whether its topic is compacted (ids from the key under {@code auto})
   * @param windowStart the start of a signal or edge window (ids from the key and it under {@code
   *     auto}), else null
   */
  record Document(String type, ObjectNode source, boolean keyed, String windowStart) {}

  /**
   * The document of one record.
   *
   * @throws MalformedRecordException if the value (or the key of a windowed topic) cannot be read
   */
  static Document of(SinkRecord record) {
    SpecificRecord value = VigilValues.decode(record.topic(), RecordBytes.value(record));
    String type = value.getSchema().getName();
    ObjectNode source = (ObjectNode) RecordJson.toNode(value);
    String timeField = TIMESTAMP_FIELD.get(type);
    if (timeField != null && source.hasNonNull(timeField)) {
      source.set("@timestamp", source.get(timeField));
    }
    switch (type) {
      case "SignalWindow", "Forecast" ->
          source.set("series", key(record, VigilSerdes.SERIES_KEY.deserializer()));
      case "EdgeWindow" -> source.set("edge", key(record, VigilSerdes.EDGE_KEY.deserializer()));
      default -> {}
    }
    String windowStart =
        WINDOW_TYPES.contains(type) && source.hasNonNull("windowStart")
            ? source.get("windowStart").asText()
            : null;
    return new Document(type, source, KEYED_TYPES.contains(type), windowStart);
  }

  private static JsonNode key(SinkRecord record, Deserializer<?> deserializer) {
    byte[] bytes = RecordBytes.key(record);
    try {
      return RecordJson.toNode(deserializer.deserialize(record.topic(), bytes));
    } catch (SerializationException | IllegalArgumentException e) {
      throw new MalformedRecordException(
          "key of " + RecordBytes.coordinates(record) + " is not an Avro key: " + e.getMessage(),
          e);
    }
  }
}
