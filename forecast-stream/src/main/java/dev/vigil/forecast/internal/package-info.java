/** The forecast stream's processor, series selection, thresholds and metrics; not public API. */
package dev.vigil.forecast.internal;
