package dev.vigil.runtime.otlp;

import java.util.Optional;

/** The three OTLP signals, with the top-level field that identifies each in OTLP/JSON. */
public enum OtlpSignal {
  METRICS("resourceMetrics"),
  TRACES("resourceSpans"),
  LOGS("resourceLogs");

  private final String resourceField;

  OtlpSignal(String resourceField) {
    this.resourceField = resourceField;
  }

  /** The top-level array of an {@code Export*ServiceRequest} in OTLP/JSON. */
  public String resourceField() {
    return resourceField;
  }

  /** The signal whose resource field is {@code name}, if any. */
  public static Optional<OtlpSignal> byResourceField(String name) {
    for (OtlpSignal signal : values()) {
      if (signal.resourceField.equals(name)) {
        return Optional.of(signal);
      }
    }
    return Optional.empty();
  }
}
