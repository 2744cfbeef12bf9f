package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a {@code _bulk} response: one result per action, in request order.
 *
 * <p>Elasticsearch and OpenSearch answer alike: {@code {"errors":bool,"items":[{"index":{"status":
 * 201,...}}, {"create":{"status":400,"error":{"type":..,"reason":..,"caused_by":{..}}}}]}}.
 */
final class BulkResponseParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BulkResponseParser() {}

  /**
   * The item results of a bulk response.
   *
   * @param expected number of actions sent
   * @throws IOException if the body is not a bulk response for that many actions
   */
  static List<BulkItemResult> parse(byte[] body, int expected) throws IOException {
    JsonNode root = MAPPER.readTree(body);
    JsonNode items = root == null ? null : root.get("items");
    if (items == null || !items.isArray()) {
      throw new IOException("not a bulk response: no items array");
    }
    if (items.size() != expected) {
      throw new IOException(
          "bulk response has " + items.size() + " items for " + expected + " actions");
    }
    List<BulkItemResult> results = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      Iterator<JsonNode> ops = item.elements();
      if (!ops.hasNext()) {
        throw new IOException("empty bulk response item");
      }
      results.add(result(ops.next()));
    }
    return results;
  }

  private static BulkItemResult result(JsonNode op) {
    int status = op.path("status").asInt(0);
    JsonNode error = op.get("error");
    if (error == null || error.isNull()) {
      return new BulkItemResult(status, null, null);
    }
    if (error.isTextual()) {
      return new BulkItemResult(status, null, error.asText());
    }
    String reason = error.path("reason").asText(null);
    JsonNode cause = error.get("caused_by");
    if (cause != null && cause.hasNonNull("reason")) {
      reason =
          reason
              + " (caused by "
              + cause.path("type").asText()
              + ": "
              + cause.get("reason").asText()
              + ")";
    }
    return new BulkItemResult(status, error.path("type").asText(null), reason);
  }
}
