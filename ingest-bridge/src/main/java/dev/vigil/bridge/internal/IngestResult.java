package dev.vigil.bridge.internal;

/**
 * What happened to one export request; the receivers turn it into OTLP responses.
 *
 * @param outcome accepted (possibly partly), throttled or Kafka unavailable
 * @param rejectedItems items not written (partial success), 0 when all were
 * @param message why items or the request were refused, empty if nothing was
 */
public record IngestResult(Outcome outcome, int rejectedItems, String message) {
  /** Suggested wait before a client retries a throttled or unavailable request. */
  public static final int RETRY_AFTER_SECONDS = 2;

  /** The kinds of result. */
  public enum Outcome {
    /** Every item not counted in {@code rejectedItems} is durable in Kafka. */
    ACCEPTED,
    /** The in-flight bound is reached: retry later (429 / RESOURCE_EXHAUSTED). */
    THROTTLED,
    /** Kafka did not acknowledge in time: retry later (503 / UNAVAILABLE). */
    UNAVAILABLE
  }
}
