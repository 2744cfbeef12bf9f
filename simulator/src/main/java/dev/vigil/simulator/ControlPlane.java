package dev.vigil.simulator;

import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ServiceInfo;
import java.util.List;

/**
 * Where the simulator publishes its service catalog and change events ({@link KafkaControlPlane}).
 */
public interface ControlPlane extends AutoCloseable {
  /** Publishes the catalog entries (idempotent: keyed by service on a compacted topic). */
  void catalog(List<ServiceInfo> entries);

  /** Publishes one change (a deploy, a rollback). */
  void change(ChangeEvent change);

  @Override
  void close();

  /** A control plane that drops everything, for a simulator without Kafka access. */
  static ControlPlane none() {
    return new ControlPlane() {
      @Override
      public void catalog(List<ServiceInfo> entries) {}

      @Override
      public void change(ChangeEvent change) {}

      @Override
      public void close() {}
    };
  }
}
