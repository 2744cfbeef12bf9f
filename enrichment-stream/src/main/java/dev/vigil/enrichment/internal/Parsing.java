package dev.vigil.enrichment.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;

/**
 * Parses the per-service batches on the repartition topics. They were written by this app, so a
 * failure means corruption: it throws, and the record goes to the DLQ.
 */
public final class Parsing {
  private Parsing() {}

  public static ResourceMetrics resourceMetrics(byte[] bytes) {
    try {
      return ResourceMetrics.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("corrupt ResourceMetrics batch: " + e.getMessage(), e);
    }
  }

  public static ResourceSpans resourceSpans(byte[] bytes) {
    try {
      return ResourceSpans.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("corrupt ResourceSpans batch: " + e.getMessage(), e);
    }
  }

  public static ResourceLogs resourceLogs(byte[] bytes) {
    try {
      return ResourceLogs.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("corrupt ResourceLogs batch: " + e.getMessage(), e);
    }
  }
}
