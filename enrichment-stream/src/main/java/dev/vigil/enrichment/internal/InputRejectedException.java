package dev.vigil.enrichment.internal;

/**
 * A raw record refused by the input checks. Thrown from processing, it reaches the app's processing
 * exception handler, which writes the raw record to the DLQ with this message.
 */
public final class InputRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why: {@value}. */
  public static final String STRING_TOO_LONG = "string_too_long";

  /** Why: {@value}. */
  public static final String TIME_OUT_OF_RANGE = "time_out_of_range";

  private final String reason;

  InputRejectedException(String reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** The reason label, {@link #STRING_TOO_LONG} or {@link #TIME_OUT_OF_RANGE}. */
  public String reason() {
    return reason;
  }
}
