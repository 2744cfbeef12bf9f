/**
 * The forecast stream: per-series forecasts of {@code vigil.signals.1m} from an embedded
 * Holt-Winters model or a SageMaker DeepAR endpoint, on {@code vigil.forecasts}, with the threshold
 * each series must stay under for predictive alerts.
 */
package dev.vigil.forecast;
