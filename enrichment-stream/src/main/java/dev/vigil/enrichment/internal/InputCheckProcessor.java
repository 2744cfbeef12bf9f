package dev.vigil.enrichment.internal;

import com.google.protobuf.Message;
import dev.vigil.enrichment.internal.EnrichmentMetrics.Source;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Passes on the raw records that {@link InputGuard} accepts; a refused one is counted by reason and
 * its {@link InputRejectedException} goes to the app's processing handler, which writes the raw
 * record to the DLQ with the message (the stream goes on).
 *
 * @param <T> the request type
 */
public final class InputCheckProcessor<T extends Message>
    implements FixedKeyProcessor<byte[], OtlpRequest<T>, OtlpRequest<T>> {
  private final InputGuard guard;
  private final EnrichmentMetrics metrics;
  private final Source source;
  private FixedKeyProcessorContext<byte[], OtlpRequest<T>> context;

  /** A check of the raw records of one source. */
  public InputCheckProcessor(InputGuard guard, EnrichmentMetrics metrics, Source source) {
    this.guard = guard;
    this.metrics = metrics;
    this.source = source;
  }

  @Override
  public void init(FixedKeyProcessorContext<byte[], OtlpRequest<T>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<byte[], OtlpRequest<T>> record) {
    if (record.value() != null) {
      try {
        guard.check(record.value().message(), record.timestamp());
      } catch (InputRejectedException e) {
        metrics.rejected(source, e.reason()).increment();
        throw e;
      }
    }
    context.forward(record);
  }
}
