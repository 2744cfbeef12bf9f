/**
 * Forecasts from an AWS SageMaker endpoint serving DeepAR: the JSON wire format, the runtime
 * client, and a caller that never blocks the stream thread (bounded concurrency, a timeout, a
 * circuit breaker).
 */
package dev.vigil.forecast.sagemaker;
