package dev.vigil.runtime.management;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One component's health, as the management endpoint reports it.
 *
 * @param name component name, e.g. {@code anomaly} or {@code broker}
 * @param live false when the process should be restarted
 * @param ready false when the component should not receive work yet
 * @param detail a short state for people, e.g. {@code REBALANCING}
 */
public record HealthCheck(
    String name, BooleanSupplier live, BooleanSupplier ready, Supplier<String> detail) {
  /** Checks the arguments. */
  public HealthCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(ready, "ready");
    Objects.requireNonNull(detail, "detail");
  }
}
