package dev.vigil.simulator.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;

/** A log record in the SDK's data model, with an event-time timestamp and its span's context. */
record SimLog(
    Resource resource,
    long timeNanos,
    SpanContext spanContext,
    Severity severity,
    String text,
    Attributes attributes)
    implements LogRecordData {

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return SimSpan.SCOPE;
  }

  @Override
  public long getTimestampEpochNanos() {
    return timeNanos;
  }

  @Override
  public long getObservedTimestampEpochNanos() {
    return timeNanos;
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public Severity getSeverity() {
    return severity;
  }

  @Override
  public String getSeverityText() {
    return severity.name();
  }

  @Override
  @Deprecated
  public Body getBody() {
    return Body.string(text);
  }

  @Override
  public Value<?> getBodyValue() {
    return Value.of(text);
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }
}
