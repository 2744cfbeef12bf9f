package dev.vigil.runtime.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/** Sends an input record that cannot be deserialized to the app's DLQ and carries on. */
public final class DlqDeserializationHandler implements DeserializationExceptionHandler {
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    DeadLetters.Source source =
        new DeadLetters.Source(
            record.topic(), record.partition(), record.offset(), context.processorNodeId());
    return Response.resume(
        deadLetters.record(
            ErrorStage.DESERIALIZATION,
            source,
            record.key(),
            record.value(),
            record.headers(),
            exception));
  }
}
