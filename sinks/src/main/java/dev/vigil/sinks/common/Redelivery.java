package dev.vigil.sinks.common;

import java.time.Duration;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Sets when Connect hands back a batch the target refused. A task that throws {@link
 * RetriableException} gets its batch again only at the worker's next offset commit ({@code
 * offset.flush.interval.ms}, 60 s by default) unless it sets {@link SinkTaskContext#timeout}: after
 * a short outage of the target the sink would sit idle for up to a minute. With the timeout the
 * batch comes back after {@code retry.backoff.max.ms}, the longest wait the task's own retries use.
 */
public final class Redelivery {
  private Redelivery() {}

  /**
   * Runs {@code put}; if it throws RetriableException, or an {@link HttpStatusException} that is
   * retriable (a 429 or 5xx that outlasted {@link HttpTarget}'s retries, e.g. of a setup request
   * while a node recovers), asks for the batch again after {@code delay} and counts the hand-back
   * in {@code redelivered}. Any other refusal fails the task.
   */
  public static void after(
      SinkTaskContext context, Duration delay, SinkTaskMetrics.Counter redelivered, Runnable put) {
    try {
      put.run();
    } catch (RetriableException e) {
      throw handBack(context, delay, redelivered, e);
    } catch (HttpStatusException e) {
      if (!e.isRetriable()) {
        throw e;
      }
      throw handBack(
          context,
          delay,
          redelivered,
          new RetriableException(e.getMessage() + "; Connect redelivers the batch", e));
    }
  }

  private static RetriableException handBack(
      SinkTaskContext context,
      Duration delay,
      SinkTaskMetrics.Counter redelivered,
      RetriableException e) {
    context.timeout(delay.toMillis());
    redelivered.increment();
    return e;
  }
}
