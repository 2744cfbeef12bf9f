/**
 * What every {@code vigil replay} of CSV series shares: reading and checking {@code
 * timestamp,value} files, the step a series is sampled at, and writing an output file all at once.
 */
package dev.vigil.runtime.replay;
