package dev.vigil.runtime.streams;

import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How the {@code vigil} command finds and builds one stream app: each stream module exposes one,
 * and {@code vigil up} runs all of them in one JVM while {@code vigil run <name>} runs one.
 */
public interface AppDefinition {
  /** Short name, e.g. {@code anomaly}: used in application.id, DLQ topic and metric tags. */
  String name();

  /** Builds the app (not started) from validated settings. */
  StreamsApp create(CoreConfig config, TopicCatalog topics, MeterRegistry registry);
}
