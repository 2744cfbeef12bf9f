package dev.vigil.enrichment.internal;

import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.enrichment.internal.EnrichmentMetrics.Source;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.TreeMap;

/**
 * RED signals per service and operation from server and consumer spans, as the Collector's
 * spanmetrics connector gives them: calls, failed calls, duration quantiles. Windows by span start
 * time; the dimensions are {@code span.name} and {@code span.kind}.
 */
public final class SpanRedProcessor extends BatchWindowProcessor<ResourceSpans> {
  /** Open windows and watermark. */
  public static final String WINDOW_STORE = "enrichment-span-windows";

  /** A processor with the given settings, counting into {@code metrics}. */
  public SpanRedProcessor(EnrichmentSettings settings, EnrichmentMetrics metrics) {
    super(WINDOW_STORE, settings, metrics, Source.SPANS);
  }

  @Override
  void fold(String service, ResourceSpans resource) {
    for (ScopeSpans scope : resource.getScopeSpansList()) {
      for (Span span : scope.getSpansList()) {
        if (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER
            && span.getKind() != Span.SpanKind.SPAN_KIND_CONSUMER) {
          continue;
        }
        TreeMap<String, String> dims = new TreeMap<>();
        dims.put("span.kind", kindName(span.getKind()));
        dims.put("span.name", span.getName());
        String id = SeriesIds.series(service, Signals.SPAN_DURATION, dims);
        Aggregate a =
            aggregate(
                span.getStartTimeUnixNano() / 1_000_000L, service, id, Aggregate.Kind.SPAN, "ms");
        if (a != null) {
          a.addCall(durationMs(span), isError(span));
        }
      }
    }
  }

  /** The span's duration in milliseconds (0 if its end precedes its start). */
  static double durationMs(Span span) {
    return Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6;
  }

  /** A failed call: status ERROR, or an HTTP 5xx response on the server side. */
  static boolean isError(Span span) {
    if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
      return true;
    }
    if (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER) {
      return false;
    }
    String status = Otlp.attribute(span.getAttributesList(), "http.response.status_code");
    if (status == null) {
      status = Otlp.attribute(span.getAttributesList(), "http.status_code");
    }
    if (status == null) {
      return false;
    }
    try {
      return Long.parseLong(status) >= 500;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** {@code SERVER}, {@code CLIENT}, ... as spanmetrics names the kinds (prefix dropped). */
  static String kindName(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> "SERVER";
      case SPAN_KIND_CLIENT -> "CLIENT";
      case SPAN_KIND_PRODUCER -> "PRODUCER";
      case SPAN_KIND_CONSUMER -> "CONSUMER";
      case SPAN_KIND_INTERNAL -> "INTERNAL";
      default -> "UNSPECIFIED";
    };
  }
}
