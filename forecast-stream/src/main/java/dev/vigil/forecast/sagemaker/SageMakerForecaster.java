package dev.vigil.forecast.sagemaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;

/**
 * Asks a SageMaker DeepAR endpoint for forecasts without ever blocking the caller: {@link #submit}
 * returns at once with a future that completes within the timeout, successfully or with a {@link
 * FailureReason}. Calls run on {@code concurrency} threads with a bounded queue; a full queue, an
 * open breaker, an error, throttling or a timeout all complete the future with a reason, and the
 * caller falls back to the embedded model. One instance serves every task of the app.
 *
 * <p>The breaker (resilience4j) counts every call's outcome over a sliding window; once the failure
 * rate reaches its threshold it opens, no calls are made for {@code openFor}, then a few trial
 * calls decide whether it closes again (half-open).
 */
public final class SageMakerForecaster implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(SageMakerForecaster.class);

  private final SageMakerSettings settings;
  private final SageMakerRuntimeClient client;
  private final CircuitBreaker breaker;
  private final ThreadPoolExecutor executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CallListener listener;

  /**
   * A forecaster over a client (closed with it).
   *
   * @param listener told the outcome and duration of every batch, on the calling thread or a
   *     SageMaker thread
   */
  public SageMakerForecaster(
      SageMakerSettings settings, SageMakerRuntimeClient client, CallListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = Objects.requireNonNull(client, "client");
    this.listener = Objects.requireNonNull(listener, "listener");
    SageMakerSettings.BreakerSettings b = settings.breaker();
    this.breaker =
        CircuitBreaker.of(
            "sagemaker-" + settings.endpoint(),
            CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.windowCalls())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                .build());
    this.breaker.getEventPublisher().onStateTransition(e -> logTransition(e.getStateTransition()));
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            settings.concurrency(),
            settings.concurrency(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, settings.queuedBatches())),
            r -> {
              Thread t = new Thread(r, "vigil-sagemaker-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Tells operators when forecasts stop and start coming from SageMaker: once when the breaker
   * opens, once when it closes; failed trial calls in between only at INFO, every {@code openFor}.
   */
  private void logTransition(CircuitBreaker.StateTransition transition) {
    Duration openFor = settings.breaker().openFor();
    switch (transition) {
      case CLOSED_TO_OPEN ->
          LOGGER.warn(
              "SageMaker endpoint {} is failing ({}% of the last calls): forecasts come from the"
                  + " embedded model; trial calls in {} ms",
              settings.endpoint(),
              Math.round(breaker.getMetrics().getFailureRate()),
              openFor.toMillis());
      case HALF_OPEN_TO_OPEN ->
          LOGGER.info(
              "SageMaker endpoint {} failed its trial calls; next trial in {} ms",
              settings.endpoint(),
              openFor.toMillis());
      case HALF_OPEN_TO_CLOSED ->
          LOGGER.info(
              "SageMaker endpoint {} answers again: forecasts come from SageMaker",
              settings.endpoint());
      default -> LOGGER.debug("SageMaker breaker of {}: {}", settings.endpoint(), transition);
    }
  }

  /** The endpoint's name. */
  public String endpoint() {
    return settings.endpoint();
  }

  /** The settings. */
  public SageMakerSettings settings() {
    return settings;
  }

  /** The breaker's state, e.g. CLOSED, OPEN, HALF_OPEN. */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  /** Batches submitted and not yet completed. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Asks for forecasts of some series. Never blocks.
   *
   * @return completes within the timeout with one forecast per series, in order, or a reason
   */
  public CompletableFuture<Outcome> submit(List<SeriesContext> series) {
    if (!breaker.tryAcquirePermission()) {
      return done(Outcome.failed(FailureReason.BREAKER_OPEN), 0);
    }
    long start = System.nanoTime();
    byte[] body = DeepArCodec.request(series, settings.numSamples());
    CompletableFuture<byte[]> call;
    try {
      call = CompletableFuture.supplyAsync(() -> invoke(body), executor);
    } catch (RejectedExecutionException e) {
      breaker.releasePermission();
      return done(Outcome.failed(FailureReason.SATURATED), 0);
    }
    inFlight.incrementAndGet();
    return call.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (bytes, error) -> {
              inFlight.decrementAndGet();
              long nanos = System.nanoTime() - start;
              Outcome outcome = outcome(bytes, error, series.size(), nanos);
              listener.completed(outcome.reason(), nanos);
              return outcome;
            });
  }

  private Outcome outcome(byte[] bytes, Throwable error, int expected, long nanos) {
    if (error == null) {
      try {
        Outcome ok = Outcome.ok(DeepArCodec.response(bytes, expected));
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        return ok;
      } catch (IllegalArgumentException e) {
        error = e;
      }
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
    FailureReason reason = classify(cause);
    LOGGER.debug("SageMaker endpoint {} failed ({})", settings.endpoint(), reason, cause);
    return Outcome.failed(reason);
  }

  static FailureReason classify(Throwable cause) {
    if (cause instanceof TimeoutException
        || cause instanceof ApiCallTimeoutException
        || cause instanceof ApiCallAttemptTimeoutException) {
      return FailureReason.TIMEOUT;
    }
    if (cause instanceof IllegalArgumentException) {
      return FailureReason.BAD_RESPONSE;
    }
    if (cause instanceof AwsServiceException e
        && (e.statusCode() == 429
            || e.isThrottlingException()
            || (e.awsErrorDetails() != null
                && "ThrottlingException".equals(e.awsErrorDetails().errorCode())))) {
      return FailureReason.THROTTLED;
    }
    return FailureReason.ERROR;
  }

  private byte[] invoke(byte[] body) {
    return client
        .invokeEndpoint(
            InvokeEndpointRequest.builder()
                .endpointName(settings.endpoint())
                .contentType("application/json")
                .accept("application/json")
                .body(SdkBytes.fromByteArray(body))
                .build())
        .body()
        .asByteArray();
  }

  private CompletableFuture<Outcome> done(Outcome outcome, long nanos) {
    listener.completed(outcome.reason(), nanos);
    return CompletableFuture.completedFuture(outcome);
  }

  /** Stops the threads (calls in flight are abandoned) and closes the client. */
  @Override
  public void close() {
    executor.shutdownNow();
    client.close();
  }

  /**
   * The result of one batch.
   *
   * @param forecasts one per series, in order; null on failure
   * @param reason why there are none; null on success
   */
  public record Outcome(List<DeepArForecast> forecasts, FailureReason reason) {
    static Outcome ok(List<DeepArForecast> forecasts) {
      return new Outcome(List.copyOf(forecasts), null);
    }

    static Outcome failed(FailureReason reason) {
      return new Outcome(null, reason);
    }

    /** Whether SageMaker answered. */
    public boolean succeeded() {
      return reason == null;
    }
  }

  /** Told about every batch: its failure reason (null on success) and how long it took. */
  @FunctionalInterface
  public interface CallListener {
    /** One batch completed. */
    void completed(FailureReason reason, long nanos);
  }
}
