/**
 * The {@link dev.vigil.anomaly.detector.Detector} interface and Vigil's default detector: online,
 * constant time and bounded state per series, with a calibrated score.
 */
package dev.vigil.anomaly.detector;
