/**
 * The embedded forecaster: additive Holt-Winters (ETS(A,Ad,A)) with one or two seasonal periods,
 * fitted online in constant memory per series, shared by the stream and {@code vigil replay
 * forecast}.
 */
package dev.vigil.forecast.model;
