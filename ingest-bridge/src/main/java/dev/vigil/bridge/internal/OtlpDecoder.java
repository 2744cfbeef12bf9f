package dev.vigil.bridge.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** Decodes export requests and builds export responses, per signal and encoding. */
public final class OtlpDecoder {
  private OtlpDecoder() {}

  /** Parses OTLP protobuf bytes of a signal's export request. */
  public static Message protobuf(OtlpSignal signal, byte[] bytes)
      throws InvalidProtocolBufferException {
    return switch (signal) {
      case METRICS -> ExportMetricsServiceRequest.parseFrom(bytes);
      case TRACES -> ExportTraceServiceRequest.parseFrom(bytes);
      case LOGS -> ExportLogsServiceRequest.parseFrom(bytes);
    };
  }

  /** Parses OTLP/JSON bytes of a signal's export request. */
  public static Message json(OtlpSignal signal, byte[] bytes)
      throws InvalidProtocolBufferException {
    return switch (signal) {
      case METRICS -> OtlpJson.metrics(bytes);
      case TRACES -> OtlpJson.traces(bytes);
      case LOGS -> OtlpJson.logs(bytes);
    };
  }

  /**
   * The export response: empty on full success, with {@code partial_success} when items were
   * rejected, as the OTLP specification asks.
   */
  public static Message response(OtlpSignal signal, int rejected, String message) {
    return switch (signal) {
      case METRICS -> {
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (rejected > 0) {
          response.setPartialSuccess(
              ExportMetricsPartialSuccess.newBuilder()
                  .setRejectedDataPoints(rejected)
                  .setErrorMessage(message));
        }
        yield response.build();
      }
      case TRACES -> {
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0) {
          response.setPartialSuccess(
              ExportTracePartialSuccess.newBuilder()
                  .setRejectedSpans(rejected)
                  .setErrorMessage(message));
        }
        yield response.build();
      }
      case LOGS -> {
        ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
        if (rejected > 0) {
          response.setPartialSuccess(
              ExportLogsPartialSuccess.newBuilder()
                  .setRejectedLogRecords(rejected)
                  .setErrorMessage(message));
        }
        yield response.build();
      }
    };
  }
}
