package dev.vigil.simulator;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;

/** Keeps what the simulator exports, for assertions. */
final class CapturingSink implements TelemetrySink {
  final List<SpanData> spans = new ArrayList<>();
  final List<MetricData> metrics = new ArrayList<>();
  final List<LogRecordData> logs = new ArrayList<>();

  @Override
  public synchronized boolean export(
      List<SpanData> spanData, List<MetricData> metricData, List<LogRecordData> logData) {
    spans.addAll(spanData);
    metrics.addAll(metricData);
    logs.addAll(logData);
    return true;
  }

  @Override
  public void close() {}
}
