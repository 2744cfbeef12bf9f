package dev.vigil.enrichment.internal;

import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.NodeKind;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Folds the calls of each edge (input partitioned by edge) into 1-minute windows: calls, errors and
 * latency quantiles, emitted soon after the window's end and, for edges that late calls changed,
 * again at the end of the grace (see {@link WindowState}).
 */
public final class EdgeWindowProcessor implements Processor<String, byte[], EdgeKey, EdgeWindow> {
  /** Open windows and watermark. */
  public static final String WINDOW_STORE = "enrichment-edge-windows";

  private final WindowState windows;
  private final Counter late;
  private final Counter overflow;
  private final Counter revisions;
  private final Counter delayed;
  private ProcessorContext<EdgeKey, EdgeWindow> context;

  /** A processor with the given settings, counting into {@code metrics}. */
  public EdgeWindowProcessor(EnrichmentSettings settings, EnrichmentMetrics metrics) {
    this.windows =
        new WindowState(
            EnrichmentSettings.WINDOW.toMillis(),
            settings.grace().toMillis(),
            settings.emitDelay().toMillis(),
            settings.maxSeriesPerService(),
            settings.relativeAccuracy());
    this.late = metrics.late(EnrichmentMetrics.Source.EDGES);
    this.overflow = metrics.overflow(EnrichmentMetrics.Source.EDGES);
    this.revisions = metrics.revisions(EnrichmentMetrics.Source.EDGES);
    this.delayed = metrics.delayed(EnrichmentMetrics.Source.EDGES);
  }

  @Override
  public void init(ProcessorContext<EdgeKey, EdgeWindow> processorContext) {
    this.context = processorContext;
    windows.init(processorContext.getStateStore(WINDOW_STORE));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ByteBuffer call = ByteBuffer.wrap(record.value());
    double durationMs = call.getDouble();
    boolean error = call.get() == 1;
    int nodeKind = call.get();
    String id = record.key();
    Aggregate a =
        windows.aggregate(record.timestamp(), SeriesIds.service(id), id, Aggregate.Kind.EDGE, "ms");
    if (a == null) {
      late.increment();
    } else {
      if (windows.lastWasOverflow()) {
        overflow.increment();
      } else {
        a.nodeKind(nodeKind);
      }
      a.addCall(durationMs, error);
    }
    windows.flush();
    windows.advance(record.timestamp());
    windows.emitDue(this::emit);
  }

  private void emit(long start, long end, String id, Aggregate a, WindowState.Emission emission) {
    EdgeKey key =
        SeriesIds.isOverflow(id)
            ? new EdgeKey(SeriesIds.service(id), SeriesIds.OVERFLOW)
            : SeriesIds.edgeKey(id);
    EdgeWindow window =
        EdgeWindow.newBuilder()
            .setWindowStart(Instant.ofEpochMilli(start))
            .setWindowEnd(Instant.ofEpochMilli(end))
            .setServerKind(NodeKind.values()[a.nodeKind()])
            .setCalls(a.count())
            .setErrors(a.errors())
            .setP50(nan(a.quantile(0.5)))
            .setP90(nan(a.quantile(0.9)))
            .setP99(nan(a.quantile(0.99)))
            .setRevision(emission.revision())
            .build();
    context.forward(new Record<>(key, window, end));
    BatchWindowProcessor.count(emission, revisions, delayed);
  }

  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
