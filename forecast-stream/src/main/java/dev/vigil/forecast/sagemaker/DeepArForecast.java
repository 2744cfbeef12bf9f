package dev.vigil.forecast.sagemaker;

/**
 * One series' answer from DeepAR: mean and the 0.1 and 0.9 quantiles (the 80% interval).
 *
 * @param mean per step
 * @param lo 0.1 quantile per step
 * @param hi 0.9 quantile per step
 */
public record DeepArForecast(double[] mean, double[] lo, double[] hi) {}
