package dev.vigil.enrichment.internal;

import com.google.protobuf.Message;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Splits a raw request into one batch per resource keyed by service, and marks each batch {@link
 * ServiceBatch#local} when the service's windows live in this task.
 *
 * <p>They do when the repartition topic would send the batch to the partition its record came from:
 * the windows' task reads that partition of both the raw and the repartition topic. The bridge
 * writes one resource per record, keyed by service and hashed the same way, so with raw and
 * repartition topics of equal partition counts every bridge record is local. Records placed any
 * other way (another producer, another partition count) are still correct: their batches cross the
 * repartition topic.
 *
 * @param <R> the request type
 * @param <B> the resource batch type
 */
public final class ServiceSplitProcessor<R extends Message, B extends Message>
    implements Processor<byte[], OtlpRequest<R>, String, ServiceBatch<B>> {
  private final BiFunction<
          OtlpRequest<R>, Predicate<String>, List<KeyValue<String, ServiceBatch<B>>>>
      split;
  private final int repartitionPartitions;
  private final Counter local;
  private final Counter repartitioned;
  private ProcessorContext<String, ServiceBatch<B>> context;

  /**
   * @param split the request's batches, each asked whether its service is local
   * @param repartitionPartitions the partition count of the repartition topic
   * @param metrics where the batches are counted, by path
   * @param source what the batches are
   */
  public ServiceSplitProcessor(
      BiFunction<OtlpRequest<R>, Predicate<String>, List<KeyValue<String, ServiceBatch<B>>>> split,
      int repartitionPartitions,
      EnrichmentMetrics metrics,
      EnrichmentMetrics.Source source) {
    if (repartitionPartitions < 1) {
      throw new IllegalArgumentException(
          "repartitionPartitions must be >= 1, got " + repartitionPartitions);
    }
    this.split = split;
    this.repartitionPartitions = repartitionPartitions;
    this.local = metrics.batches(source, true);
    this.repartitioned = metrics.batches(source, false);
  }

  @Override
  public void init(ProcessorContext<String, ServiceBatch<B>> processorContext) {
    this.context = processorContext;
  }

  @Override
  public void process(Record<byte[], OtlpRequest<R>> record) {
    if (record.value() == null) {
      return;
    }
    int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
    Predicate<String> here =
        service -> ServicePartitioner.partition(service, repartitionPartitions) == partition;
    for (KeyValue<String, ServiceBatch<B>> batch : split.apply(record.value(), here)) {
      (batch.value.local() ? local : repartitioned).increment();
      context.forward(new Record<>(batch.key, batch.value, record.timestamp(), record.headers()));
    }
  }
}
