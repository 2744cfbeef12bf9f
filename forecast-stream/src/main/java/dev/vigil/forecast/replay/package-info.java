/**
 * {@code vigil replay forecast}: rolling-origin forecasts of CSV series with the stream's model.
 */
package dev.vigil.forecast.replay;
