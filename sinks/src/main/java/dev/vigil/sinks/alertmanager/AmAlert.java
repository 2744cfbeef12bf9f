package dev.vigil.sinks.alertmanager;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert as Alertmanager's API v2 takes it. Alertmanager identifies an alert by its label set.
 *
 * @param labels identity: alertname, service, severity, ...
 * @param annotations summary, description, runbook_url, ...
 * @param startsAt when it started firing
 * @param endsAt when it stops firing: in the future for a firing alert, the resolution time for a
 *     resolved one
 * @param generatorUrl link back to the source; empty for none
 */
public record AmAlert(
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorUrl) {
  /** Copies the maps. */
  public AmAlert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
    Objects.requireNonNull(generatorUrl, "generatorUrl");
  }
}
