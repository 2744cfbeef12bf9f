package dev.vigil.simulator.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Map;

/** One OpenTelemetry Resource per service, carrying its current version. */
public final class Resources {
  private final Map<String, String> versions = new HashMap<>();
  private final Map<String, Resource> resources = new HashMap<>();

  /** The resource of {@code service} at its current version. */
  public Resource of(String service) {
    return resources.computeIfAbsent(service, this::build);
  }

  /** The current version of {@code service} ({@code v1.0.0} at first). */
  public String version(String service) {
    return versions.getOrDefault(service, "v1.0.0");
  }

  /** A deploy: {@code service} runs {@code version} from now on. */
  public void deploy(String service, String version) {
    versions.put(service, version);
    resources.remove(service);
  }

  private Resource build(String service) {
    return Resource.create(
        Attributes.builder()
            .put("service.name", service)
            .put("service.namespace", "shop")
            .put("service.version", version(service))
            .put("service.instance.id", service + "-0")
            .put("deployment.environment.name", "simulation")
            .put("telemetry.sdk.language", "java")
            .put("telemetry.sdk.name", "opentelemetry")
            .build());
  }
}
