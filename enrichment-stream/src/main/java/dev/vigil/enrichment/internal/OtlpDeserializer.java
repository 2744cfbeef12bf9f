package dev.vigil.enrichment.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpJson;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads one raw OTLP record, as the Collector's Kafka exporter or the ingest bridge writes it:
 * {@code otlp_proto} (a serialized {@code Export*ServiceRequest}) or {@code otlp_json} (detected
 * by a leading {@code '{'}). Undecodable bytes throw a {@link SerializationException} naming the
 * signal and the cause, which the app's deserialization handler sends to its DLQ.
 *
 * @param <T> the request type
 */
public final class OtlpDeserializer<T extends Message> implements Deserializer<T> {
  // Field 1 (the resource batches), wire type 2 (length-delimited).
  private static final byte PROTO_FIRST_TAG = 0x0A;

  private final String signal;
  private final Parser<T> proto;
  private final Parser<T> json;

  private OtlpDeserializer(String signal, Parser<T> proto, Parser<T> json) {
    this.signal = signal;
    this.proto = proto;
    this.json = json;
  }

  /** Metrics requests. */
  public static OtlpDeserializer<ExportMetricsServiceRequest> metrics() {
    return new OtlpDeserializer<>(
        "metrics", ExportMetricsServiceRequest::parseFrom, OtlpJson::metrics);
  }

  /** Trace requests. */
  public static OtlpDeserializer<ExportTraceServiceRequest> traces() {
    return new OtlpDeserializer<>("traces", ExportTraceServiceRequest::parseFrom, OtlpJson::traces);
  }

  /** Logs requests. */
  public static OtlpDeserializer<ExportLogsServiceRequest> logs() {
    return new OtlpDeserializer<>("logs", ExportLogsServiceRequest::parseFrom, OtlpJson::logs);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    OtlpRequest<T> request = request(topic, data);
    return request == null ? null : request.message();
  }

  /** Decodes {@code data} as {@link #deserialize} does, keeping the bytes and their format. */
  public OtlpRequest<T> request(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    boolean isJson = isJson(data);
    try {
      if (isJson && data[0] == PROTO_FIRST_TAG) {
        // Ambiguous: '\n' is JSON whitespace and also the tag of field 1 of every Export*Request,
        // so a protobuf record whose first resource is exactly 123 bytes ('{') looks like JSON.
        // Protobuf wins when it parses; such a record used to go to the DLQ as malformed JSON.
        try {
          return new OtlpRequest<>(proto.parse(data), data, true);
        } catch (InvalidProtocolBufferException | RuntimeException notProto) {
          return new OtlpRequest<>(json.parse(data), data, false);
        }
      }
      return new OtlpRequest<>(isJson ? json.parse(data) : proto.parse(data), data, !isJson);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode OTLP "
              + signal
              + " record from "
              + topic
              + " as "
              + (isJson ? "otlp_json" : "otlp_proto")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static boolean isJson(byte[] data) {
    for (byte b : data) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(byte[] data) throws InvalidProtocolBufferException;
  }
}
