package dev.vigil.testkit;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;

/** Builders of OTLP messages for tests, written as an SDK or a Collector would send them. */
public final class Otlp {
  /** Trace id of {@link #span}: {@value}. */
  public static final String TRACE_ID_HEX = "0102030405060708090a0b0c0d0e0f10";

  private Otlp() {}

  /** A string attribute. */
  public static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** A resource with {@code service.name}. */
  public static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attribute("service.name", service)).build();
  }

  /** A server span with fixed ids and a {@code payload} attribute of {@code payloadBytes} bytes. */
  public static Span span(String name, int payloadBytes) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID_HEX)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("0102030405060708")))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .addAttributes(attribute("payload", "x".repeat(payloadBytes)))
        .build();
  }

  /** The spans of one service in one scope. */
  public static ResourceSpans resourceSpans(String service, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(resource(service))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  /** An export request with the spans of one service. */
  public static ExportTraceServiceRequest traces(String service, Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans(service, List.of(spans)))
        .build();
  }
}
