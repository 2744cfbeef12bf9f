/**
 * The anomaly stream: per-series detectors on {@code vigil.signals.1m}, explained anomaly episodes
 * and service health on {@code vigil.anomalies}.
 */
package dev.vigil.anomaly;
