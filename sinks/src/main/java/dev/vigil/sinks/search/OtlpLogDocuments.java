package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns raw OTLP logs ({@code otlp_logs}: an {@code ExportLogsServiceRequest} as protobuf or
 * OTLP/JSON) into one document per log record, flattened as the OpenTelemetry Collector's
 * Elasticsearch exporter does in its {@code otel} mapping mode: {@code @timestamp}, {@code
 * observed_timestamp}, {@code severity_text}, {@code severity_number}, {@code body.text} or {@code
 * body.structured}, {@code attributes.*}, {@code resource.attributes.*}, {@code scope.*}, {@code
 * trace_id}, {@code span_id} and the {@code data_stream.*} fields.
 *
 * <p>Dashboards and queries written for logs the Collector exports in that mode work unchanged.
 *
 * <p>Not public API: public only for the benchmark in {@code perf/}.
 */
public final class OtlpLogDocuments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  private final String dataset;
  private final String namespace;

  /**
   * @param dataset {@code data_stream.dataset} of every document (the middle of {@code
   *     logs-<dataset>-<namespace>})
   * @param namespace {@code data_stream.namespace}
   */
  public OtlpLogDocuments(String dataset, String namespace) {
    this.dataset = dataset;
    this.namespace = namespace;
  }

  /**
   * One document per log record, in request order.
   *
   * @param fallbackMillis {@code @timestamp} of records with neither a time nor an observed time
   *     (the Kafka record's timestamp): data streams require one
   */
  public List<ObjectNode> documents(ExportLogsServiceRequest request, long fallbackMillis) {
    List<ObjectNode> docs = new ArrayList<>();
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        for (LogRecord log : scopeLogs.getLogRecordsList()) {
          docs.add(document(resourceLogs, scopeLogs, log, fallbackMillis));
        }
      }
    }
    return docs;
  }

  private ObjectNode document(
      ResourceLogs resourceLogs, ScopeLogs scopeLogs, LogRecord log, long fallbackMillis) {
    ObjectNode doc = NODES.objectNode();
    long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
    doc.put(
        "@timestamp", time != 0 ? nanos(time) : Instant.ofEpochMilli(fallbackMillis).toString());
    if (log.getObservedTimeUnixNano() != 0) {
      doc.put("observed_timestamp", nanos(log.getObservedTimeUnixNano()));
    }
    ObjectNode dataStream = doc.putObject("data_stream");
    dataStream.put("type", "logs");
    dataStream.put("dataset", dataset);
    dataStream.put("namespace", namespace);
    if (!log.getSeverityText().isEmpty()) {
      doc.put("severity_text", log.getSeverityText());
    }
    if (log.getSeverityNumberValue() != 0) {
      doc.put("severity_number", log.getSeverityNumberValue());
    }
    if (!log.getEventName().isEmpty()) {
      doc.put("event_name", log.getEventName());
    }
    putBody(doc, log.getBody());
    putAttributes(doc, log.getAttributesList(), log.getDroppedAttributesCount());
    if (!log.getTraceId().isEmpty()) {
      doc.put("trace_id", hex(log.getTraceId()));
    }
    if (!log.getSpanId().isEmpty()) {
      doc.put("span_id", hex(log.getSpanId()));
    }
    putResource(doc, resourceLogs.getResource(), resourceLogs.getSchemaUrl());
    putScope(doc, scopeLogs.getScope(), scopeLogs.getSchemaUrl());
    return doc;
  }

  private static void putBody(ObjectNode doc, AnyValue body) {
    switch (body.getValueCase()) {
      case VALUE_NOT_SET -> {}
      case KVLIST_VALUE, ARRAY_VALUE -> doc.putObject("body").set("structured", value(body));
      default -> doc.putObject("body").put("text", value(body).asText());
    }
  }

  private static void putAttributes(ObjectNode target, List<KeyValue> attributes, int dropped) {
    if (!attributes.isEmpty()) {
      target.set("attributes", object(attributes));
    }
    if (dropped != 0) {
      target.put("dropped_attributes_count", dropped);
    }
  }

  private static void putResource(ObjectNode doc, Resource resource, String schemaUrl) {
    ObjectNode node = NODES.objectNode();
    putAttributes(node, resource.getAttributesList(), resource.getDroppedAttributesCount());
    if (!schemaUrl.isEmpty()) {
      node.put("schema_url", schemaUrl);
    }
    if (!node.isEmpty()) {
      doc.set("resource", node);
    }
  }

  private static void putScope(ObjectNode doc, InstrumentationScope scope, String schemaUrl) {
    ObjectNode node = NODES.objectNode();
    if (!scope.getName().isEmpty()) {
      node.put("name", scope.getName());
    }
    if (!scope.getVersion().isEmpty()) {
      node.put("version", scope.getVersion());
    }
    putAttributes(node, scope.getAttributesList(), scope.getDroppedAttributesCount());
    if (!schemaUrl.isEmpty()) {
      node.put("schema_url", schemaUrl);
    }
    if (!node.isEmpty()) {
      doc.set("scope", node);
    }
  }

  private static ObjectNode object(List<KeyValue> values) {
    ObjectNode node = NODES.objectNode();
    for (KeyValue kv : values) {
      node.set(kv.getKey(), value(kv.getValue()));
    }
    return node;
  }

  private static JsonNode value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> NODES.textNode(value.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
      case INT_VALUE -> NODES.numberNode(value.getIntValue());
      case DOUBLE_VALUE -> NODES.numberNode(value.getDoubleValue());
      case BYTES_VALUE ->
          NODES.textNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        ArrayNode array = NODES.arrayNode();
        value.getArrayValue().getValuesList().forEach(item -> array.add(value(item)));
        yield array;
      }
      case KVLIST_VALUE -> object(value.getKvlistValue().getValuesList());
      // A string-table index only means something in profiles, never in logs.
      case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> NODES.nullNode();
    };
  }

  private static String nanos(long unixNanos) {
    return Instant.ofEpochSecond(0, unixNanos).toString();
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }
}
