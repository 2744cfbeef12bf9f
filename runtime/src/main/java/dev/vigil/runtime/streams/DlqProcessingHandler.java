package dev.vigil.runtime.streams;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends the input record whose processing threw to the app's DLQ and carries on, so one poison
 * record cannot crash-loop the app.
 */
public final class DlqProcessingHandler implements ProcessingExceptionHandler {
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return Response.resume(
        deadLetters.record(
            ErrorStage.PROCESSING,
            DeadLetters.Source.of(context),
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.headers(),
            exception));
  }
}
