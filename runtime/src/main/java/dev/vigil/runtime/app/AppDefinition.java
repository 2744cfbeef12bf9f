package dev.vigil.runtime.app;

import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How the {@code vigil} command finds and builds one app: each app module exposes one, {@code vigil
 * up} runs all of them in one JVM and {@code vigil run <name>} runs one.
 */
public interface AppDefinition {
  /** Short name, e.g. {@code anomaly}: used in application.id, DLQ topic and metric tags. */
  String name();

  /**
   * Adds the app's own settings to the definition every setting is validated against, so an unknown
   * or invalid key stops start-up before any app starts. Keys start with the app's name.
   */
  default void define(ConfigDef definition) {}

  /**
   * Topics the app needs beyond the shared catalog, created with it: by default its dead-letter
   * topic {@code vigil.dlq.<name>}.
   */
  default List<TopicSpec<?, ?>> ownTopics(TopicCatalog topics) {
    return List.of(topics.dlq(name()));
  }

  /** Builds the app (not started) from settings validated against a definition with its keys. */
  VigilService create(CoreConfig config, TopicCatalog topics, MeterRegistry registry);
}
