package dev.vigil.sinks.common;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.runtime.otlp.OtlpJson;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

/**
 * Decodes the values of the raw OTLP topics as the Collector's kafka exporter writes them: {@code
 * otlp_proto} (protobuf) or {@code otlp_json}, told apart by the first byte.
 */
public final class OtlpValues {
  private OtlpValues() {}

  /**
   * An {@code ExportLogsServiceRequest} from protobuf or OTLP/JSON bytes.
   *
   * @throws MalformedRecordException naming the topic and what is wrong
   */
  public static ExportLogsServiceRequest logs(String topic, byte[] bytes) {
    try {
      if (isJson(bytes) && bytes[0] == '\n') {
        // Ambiguous: '\n' (0x0A) is JSON whitespace and also the tag of field 1 of the request,
        // so a protobuf record whose first resource is exactly 123 bytes ('{') looks like JSON.
        // Protobuf wins when it parses.
        try {
          return ExportLogsServiceRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException notProto) {
          return OtlpJson.logs(bytes);
        }
      }
      return isJson(bytes) ? OtlpJson.logs(bytes) : ExportLogsServiceRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRecordException(
          "value on " + topic + " (" + bytes.length + " bytes) is not OTLP logs: " + e.getMessage(),
          e);
    }
  }

  /**
   * True if the first non-blank byte opens a JSON object. Protobuf never starts with '{', but it
   * can start with "\n{" (see {@link #logs}).
   */
  static boolean isJson(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return false;
  }
}
