package dev.vigil.chaos.fuzz;

import dev.vigil.runtime.otlp.OtlpSignal;

/**
 * One mutated payload.
 *
 * @param index position in the run (with the seed, it reproduces the payload)
 * @param signal the signal of the sample it was made from
 * @param encoding its encoding
 * @param mutation what was done to it
 * @param bytes the body
 */
public record Mutant(
    int index, OtlpSignal signal, Mutation.Encoding encoding, Mutation mutation, byte[] bytes) {
  @Override
  public String toString() {
    return "mutant #"
        + index
        + " ("
        + signal
        + ", "
        + encoding
        + ", "
        + mutation
        + ", "
        + bytes.length
        + " bytes)";
  }
}
