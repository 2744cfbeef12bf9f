package dev.vigil.runtime.streams;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * Handles output records that cannot be written: transient broker errors are retried; an output the
 * broker refuses for good (e.g. too large) or cannot serialize goes to the DLQ with the input
 * record that produced it. A dead letter that is itself refused is counted as lost ({@code
 * vigil_dlq_lost_total}) and never re-routed.
 */
public final class DlqProductionHandler implements ProductionExceptionHandler {
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return Response.retry();
    }
    if (deadLetters.topic().equals(record.topic())) {
      // A dead letter refused for good: re-routing it would call this handler for its own dead
      // letter, and so on (the recursion that overflowed the stack). Dead letters are cut to fit
      // and stamped now, so this takes a broker that refuses the DLQ itself (e.g. ACLs).
      deadLetters.lost(record, exception);
      return Response.resume();
    }
    return Response.resume(
        deadLetters.record(
            ErrorStage.PRODUCTION,
            DeadLetters.Source.of(context),
            record.key(),
            record.value(),
            record.headers(),
            exception));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return Response.resume(
        deadLetters.record(
            ErrorStage.SERIALIZATION,
            DeadLetters.Source.of(context),
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.headers(),
            exception));
  }
}
