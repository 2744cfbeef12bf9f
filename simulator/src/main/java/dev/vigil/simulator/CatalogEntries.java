package dev.vigil.simulator;

import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.Slo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service catalog of a platform, as owners would declare it: team and domain, tier (tier 1 is
 * business critical), an availability SLO on {@code span.errors} (99.9%, 99.5% for tier 3), a
 * latency SLO on {@code span.duration} (99% under a threshold of 10× the service's own median work,
 * at least 100 ms), a runbook and the declared dependencies.
 */
public final class CatalogEntries {
  private CatalogEntries() {}

  /** One entry per service of {@code platform}. */
  public static List<ServiceInfo> of(Platform platform) {
    List<ServiceInfo> entries = new ArrayList<>();
    for (Node service : platform.services()) {
      List<String> dependencies = new ArrayList<>();
      service.calls().forEach(c -> dependencies.add(c.target()));
      entries.add(
          ServiceInfo.newBuilder()
              .setService(service.name())
              .setTeam("team-" + service.domain())
              .setTier(service.tier())
              .setDomain(service.domain())
              .setBusinessCritical(service.tier() == 1)
              .setRunbookUrl("https://runbooks.example/" + service.name())
              .setSlos(
                  List.of(
                      new Slo(
                          "availability", "span.errors", service.tier() == 3 ? 0.995 : 0.999, null),
                      new Slo(
                          "latency",
                          "span.duration",
                          0.99,
                          Math.max(100.0, Math.ceil(service.latencyMs() * 10)))))
              .setDependencies(dependencies)
              .setLabels(Map.of("simulated", "true"))
              .build());
    }
    return entries;
  }
}
