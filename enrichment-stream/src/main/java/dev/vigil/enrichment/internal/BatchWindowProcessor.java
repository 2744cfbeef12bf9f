package dev.vigil.enrichment.internal;

import com.google.protobuf.Message;
import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.enrichment.internal.EnrichmentMetrics.Source;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Shared frame of the span and log window processors: one per-service batch in, its units folded
 * into the windows, due window emissions out.
 */
abstract class BatchWindowProcessor<B extends Message>
    implements Processor<String, ServiceBatch<B>, SeriesKey, SignalWindow> {
  private final String storeName;
  final WindowState windows;
  private final Counter accepted;
  private final Counter late;
  private final Counter overflow;
  private final Counter revisions;
  private final Counter delayed;
  private ProcessorContext<SeriesKey, SignalWindow> context;
  private long batchMax;

  BatchWindowProcessor(
      String storeName, EnrichmentSettings settings, EnrichmentMetrics metrics, Source source) {
    this.storeName = storeName;
    this.windows =
        new WindowState(
            EnrichmentSettings.WINDOW.toMillis(),
            settings.grace().toMillis(),
            settings.emitDelay().toMillis(),
            settings.maxSeriesPerService(),
            settings.relativeAccuracy());
    this.accepted = metrics.accepted(source);
    this.late = metrics.late(source);
    this.overflow = metrics.overflow(source);
    this.revisions = metrics.revisions(source);
    this.delayed = metrics.delayed(source);
  }

  @Override
  public void init(ProcessorContext<SeriesKey, SignalWindow> processorContext) {
    this.context = processorContext;
    windows.init(processorContext.getStateStore(storeName));
  }

  @Override
  public final void process(Record<String, ServiceBatch<B>> record) {
    batchMax = Long.MIN_VALUE;
    fold(record.key(), record.value().message());
    windows.flush();
    if (batchMax != Long.MIN_VALUE) {
      windows.advance(batchMax);
    }
    windows.emitDue(
        (start, end, id, aggregate, emission) -> {
          for (KeyValue<SeriesKey, SignalWindow> kv :
              Signals.of(start, end, id, aggregate, emission.revision())) {
            context.forward(new Record<>(kv.key, kv.value, end));
            count(emission, revisions, delayed);
          }
        });
  }

  /** Counts a record emitted at the end of the grace in {@code revisions} or {@code delayed}. */
  static void count(WindowState.Emission emission, Counter revisions, Counter delayed) {
    if (emission == WindowState.Emission.REVISION) {
      revisions.increment();
    } else if (emission == WindowState.Emission.DELAYED) {
      delayed.increment();
    }
  }

  /** Folds one batch of {@code service}. */
  abstract void fold(String service, B batch);

  /** The window aggregate of one unit, or null when late; counts the unit. */
  final Aggregate aggregate(
      long timeMs, String service, String id, Aggregate.Kind kind, String unit) {
    if (timeMs > batchMax) {
      batchMax = timeMs;
    }
    Aggregate a = windows.aggregate(timeMs, service, id, kind, unit);
    if (a == null) {
      late.increment();
    } else if (windows.lastWasOverflow()) {
      overflow.increment();
    } else {
      accepted.increment();
    }
    return a;
  }
}
