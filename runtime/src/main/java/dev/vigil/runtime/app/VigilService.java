package dev.vigil.runtime.app;

import dev.vigil.runtime.management.HealthCheck;

/**
 * One app of a Vigil process: a Streams app, the ingest bridge. Its {@code toString()} says where
 * it serves, for the start-up summary.
 */
public interface VigilService extends AutoCloseable {
  /** Short name, as in its {@link AppDefinition}. */
  String name();

  /**
   * Starts the app and returns once it serves.
   *
   * @throws Exception if it cannot start; the message says why
   */
  void start() throws Exception;

  /** Its liveness and readiness, for the management endpoint. */
  HealthCheck healthCheck();

  /** Stops gracefully; safe to call twice. */
  @Override
  void close();
}
