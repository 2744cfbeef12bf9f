package dev.vigil.deploy.replay;

/** A replay input that cannot be read; the message names the file and line. */
public final class ReplayInputException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error with its location, e.g. {@code traces.json:12: not an OTLP export request}. */
  public ReplayInputException(String message) {
    super(message);
  }
}
