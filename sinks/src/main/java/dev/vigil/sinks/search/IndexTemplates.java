package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The composable index templates ({@code PUT _index_template/<name>}, Elasticsearch 7.8+ and
 * OpenSearch 1+) the sink installs at start, one per index or data stream it writes.
 *
 * <p>Mappings live in {@code templates/<RecordName>.json} beside this class, one per Avro record
 * type Vigil writes (anomalies, incidents, alerts, signals), {@code otel-logs.json} for OTLP logs
 * and {@code generic.json} for any other topic. Strings that no mapping names become {@code
 * keyword}, so a field added to a schema later is searchable without a template change.
 */
final class IndexTemplates {
  /** Above the built-in {@code logs-*-*} template of Elasticsearch 8+ (priority 100). */
  static final int PRIORITY = 200;

  static final String LOGS_MAPPINGS = "otel-logs";
  static final String GENERIC_MAPPINGS = "generic";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IndexTemplates() {}

  /** The template's name for an index or data stream. */
  static String name(String index) {
    return "vigil-sink-" + index;
  }

  /**
   * The body of the template for one index or data stream.
   *
   * @param index exact name of the index or data stream (used as the only pattern)
   * @param mappings name of the mappings resource, e.g. {@code AnomalyEvent}
   * @param dataStream whether {@code index} is a data stream
   * @param ilmPolicy Elasticsearch ILM policy to attach through the index settings, or null
   */
  static ObjectNode body(String index, String mappings, boolean dataStream, String ilmPolicy) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putArray("index_patterns").add(index);
    body.put("priority", PRIORITY);
    if (dataStream) {
      body.putObject("data_stream");
    }
    ObjectNode template = body.putObject("template");
    if (ilmPolicy != null) {
      template.putObject("settings").put("index.lifecycle.name", ilmPolicy);
    }
    template.set("mappings", mappings(mappings));
    return body;
  }

  /** The mappings of a resource; {@link #GENERIC_MAPPINGS} when there is none by that name. */
  static JsonNode mappings(String name) {
    InputStream in = IndexTemplates.class.getResourceAsStream("templates/" + name + ".json");
    if (in == null) {
      in = IndexTemplates.class.getResourceAsStream("templates/" + GENERIC_MAPPINGS + ".json");
    }
    try (InputStream stream = in) {
      return MAPPER.readTree(stream);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read mappings " + name, e);
    }
  }
}
