package dev.vigil.forecast.sagemaker;

import java.time.Duration;
import java.util.Objects;

/**
 * How forecasts are asked of a SageMaker endpoint.
 *
 * @param endpoint endpoint name
 * @param endpointUrl runtime URL override (a VPC endpoint, or a test server); empty for AWS's
 * @param region AWS region; empty for the default region chain
 * @param batchSize series per InvokeEndpoint request
 * @param concurrency requests in flight at most
 * @param queuedBatches batches waiting for a free request slot at most; beyond, the embedded model
 *     answers
 * @param timeout bound from submitting a batch to its result, queueing included
 * @param linger how long a partial batch waits for more series
 * @param contextPoints points of history sent per series (DeepAR's {@code target})
 * @param numSamples DeepAR {@code num_samples}
 * @param breaker the circuit breaker's settings
 */
public record SageMakerSettings(
    String endpoint,
    String endpointUrl,
    String region,
    int batchSize,
    int concurrency,
    int queuedBatches,
    Duration timeout,
    Duration linger,
    int contextPoints,
    int numSamples,
    BreakerSettings breaker) {
  /** Checks the settings. */
  public SageMakerSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(endpointUrl, "endpointUrl");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(breaker, "breaker");
    if (endpoint.isBlank()) {
      throw new IllegalArgumentException("endpoint must not be blank");
    }
    if (batchSize < 1 || concurrency < 1 || queuedBatches < 0 || contextPoints < 1) {
      throw new IllegalArgumentException(
          "batchSize, concurrency and contextPoints must be >= 1, queuedBatches >= 0");
    }
  }

  /**
   * The circuit breaker in front of the endpoint.
   *
   * @param failureRatePercent failure rate that opens it
   * @param windowCalls calls in its sliding window
   * @param minimumCalls calls before the rate counts
   * @param openFor how long it stays open before letting trial calls through (half-open)
   * @param halfOpenCalls trial calls in half-open
   */
  public record BreakerSettings(
      int failureRatePercent,
      int windowCalls,
      int minimumCalls,
      Duration openFor,
      int halfOpenCalls) {}
}
