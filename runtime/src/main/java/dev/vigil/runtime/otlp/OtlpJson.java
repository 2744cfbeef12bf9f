package dev.vigil.runtime.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the OTLP/JSON encoding (OTLP/HTTP JSON bodies, the Collector's {@code otlp_json}
 * Kafka encoding and its file exporter).
 *
 * <p>OTLP/JSON is proto3 JSON with two differences this class handles: trace and span ids are hex
 * strings, not base64, and enums are written as integers. Unknown fields are ignored, as the
 * specification requires of receivers.
 */
public final class OtlpJson {
  // Fields of bytes type that OTLP/JSON writes as hex (Span, Span.Link, LogRecord, Exemplar).
  private static final Set<String> HEX_ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

  private OtlpJson() {}

  /**
   * Parses an {@code ExportMetricsServiceRequest}.
   *
   * @throws InvalidProtocolBufferException if the bytes are not OTLP/JSON metrics; the message says
   *     what is wrong
   */
  public static ExportMetricsServiceRequest metrics(byte[] json)
      throws InvalidProtocolBufferException {
    ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  /** Parses an {@code ExportTraceServiceRequest}; see {@link #metrics}. */
  public static ExportTraceServiceRequest traces(byte[] json)
      throws InvalidProtocolBufferException {
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  /** Parses an {@code ExportLogsServiceRequest}; see {@link #metrics}. */
  public static ExportLogsServiceRequest logs(byte[] json) throws InvalidProtocolBufferException {
    ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  /**
   * Parses a request of any signal, telling which from its content ({@code resourceSpans}, {@code
   * resourceMetrics} or {@code resourceLogs}), as a file-exporter line requires.
   *
   * @throws InvalidProtocolBufferException if it is not one of the three
   */
  public static Message any(byte[] json) throws InvalidProtocolBufferException {
    ObjectNode tree = tree(json);
    OtlpSignal signal = null;
    for (Iterator<String> names = tree.fieldNames(); names.hasNext() && signal == null; ) {
      signal = OtlpSignal.byResourceField(names.next()).orElse(null);
    }
    if (signal == null) {
      throw new InvalidProtocolBufferException(
          "not an OTLP export request: no resourceSpans, resourceMetrics or resourceLogs field");
    }
    Message.Builder builder =
        switch (signal) {
          case METRICS -> ExportMetricsServiceRequest.newBuilder();
          case TRACES -> ExportTraceServiceRequest.newBuilder();
          case LOGS -> ExportLogsServiceRequest.newBuilder();
        };
    mergeTree(tree, builder);
    return builder.build();
  }

  /** Writes a message as OTLP/JSON: hex ids, integer enums, one line. */
  public static String print(Message message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      convertIds(tree, false);
      return MAPPER.writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot print " + message.getDescriptorForType().getName(), e);
    }
  }

  private static void merge(byte[] json, Message.Builder builder)
      throws InvalidProtocolBufferException {
    mergeTree(tree(json), builder);
  }

  private static void mergeTree(ObjectNode tree, Message.Builder builder)
      throws InvalidProtocolBufferException {
    convertIds(tree, true);
    try {
      PARSER.merge(MAPPER.writeValueAsString(tree), builder);
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException("cannot re-encode JSON: " + e.getOriginalMessage());
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (RuntimeException e) {
      // JsonFormat reports some malformed values as unchecked exceptions.
      throw new InvalidProtocolBufferException("malformed OTLP/JSON: " + e.getMessage());
    }
  }

  private static ObjectNode tree(byte[] json) throws InvalidProtocolBufferException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new InvalidProtocolBufferException("OTLP/JSON must be a JSON object");
    }
    return object;
  }

  /** Rewrites id fields in place: hex to base64 when reading, base64 to hex when writing. */
  private static void convertIds(JsonNode node, boolean hexToBase64)
      throws InvalidProtocolBufferException {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (HEX_ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
          String text = field.getValue().asText();
          field.setValue(
              object.textNode(hexToBase64 ? hexToBase64(field.getKey(), text) : base64ToHex(text)));
        } else {
          convertIds(field.getValue(), hexToBase64);
        }
      }
    } else if (node != null && node.isArray()) {
      for (JsonNode item : node) {
        convertIds(item, hexToBase64);
      }
    }
  }

  private static String hexToBase64(String field, String hex)
      throws InvalidProtocolBufferException {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new InvalidProtocolBufferException(
          field + " '" + abbreviate(hex) + "' is not a hex string");
    }
  }

  private static String base64ToHex(String base64) {
    return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
