package dev.vigil.simulator.internal;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;

/** The telemetry of one slice of simulated time, in the SDK's data model, ready to export. */
public final class Batch {
  /** Finished spans. */
  public final List<SpanData> spans = new ArrayList<>();

  /** Metric data (one point each). */
  public final List<MetricData> metrics = new ArrayList<>();

  /** Log records. */
  public final List<LogRecordData> logs = new ArrayList<>();

  /** Data points in {@link #metrics}. */
  public int points() {
    int n = 0;
    for (MetricData m : metrics) {
      n += m.getData().getPoints().size();
    }
    return n;
  }
}
