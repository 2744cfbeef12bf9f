package dev.vigil.schemas.topics;

import java.util.Locale;

/** Kafka's {@code cleanup.policy} for a topic. */
public enum CleanupPolicy {
  /** Segments are deleted after the retention time. */
  DELETE,
  /** Only the latest record per key is kept. */
  COMPACT;

  /** The value of the topic's {@code cleanup.policy} config. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
