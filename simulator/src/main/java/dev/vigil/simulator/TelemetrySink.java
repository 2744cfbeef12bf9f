package dev.vigil.simulator;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Where the simulator's telemetry goes: {@link OtlpSink} in production, anything in tests. */
public interface TelemetrySink extends AutoCloseable {
  /**
   * Exports one slice of telemetry and returns once it is delivered or has failed.
   *
   * @return false if some of it could not be delivered (counted by the caller)
   */
  boolean export(List<SpanData> spans, List<MetricData> metrics, List<LogRecordData> logs);

  @Override
  void close();
}
