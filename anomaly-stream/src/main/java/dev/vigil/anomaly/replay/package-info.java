/** {@code vigil replay series}: the stream's detector over a CSV series, for backtesting. */
package dev.vigil.anomaly.replay;
