/**
 * The anomaly stream's processors, per-signal scoring rules, episodes and metrics; not public API.
 */
package dev.vigil.anomaly.internal;
