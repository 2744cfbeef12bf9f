package dev.vigil.rca.internal;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.RootCause;
import dev.vigil.schemas.ServiceInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One alert per incident, in Alertmanager's v2 model. The fingerprint is a hash of the incident id,
 * so every version of an incident updates the same alert, and resolution sets {@code endsAt}.
 */
public final class AlertFactory {
  /** The alertname label of every incident alert: {@value}. */
  public static final String ALERT_NAME = "VigilIncident";

  private static final int REASONS_PER_CAUSE = 3;

  private final String generatorUrl;
  private final Function<String, ServiceInfo> catalog;

  /**
   * An alert factory.
   *
   * @param generatorUrl template with {@code {incident}}; empty for no generatorURL
   * @param catalog catalog lookup, null for unknown services
   */
  public AlertFactory(String generatorUrl, Function<String, ServiceInfo> catalog) {
    this.generatorUrl = generatorUrl;
    this.catalog = catalog;
  }

  /** The stable fingerprint of an incident's alert: 16 hex digits of SHA-256 of its id. */
  public static String fingerprint(String incidentId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(incidentId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The alert of one incident version. */
  public Alert alert(Incident incident, String mergedInto) {
    RootCause top = incident.getRootCauses().isEmpty() ? null : incident.getRootCauses().get(0);
    String topService = top == null ? incident.getServices().get(0) : top.getService();
    ServiceInfo info = catalog.apply(topService);
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", ALERT_NAME);
    labels.put("severity", incident.getSeverity().name().toLowerCase(Locale.ROOT));
    labels.put("service", topService);
    labels.put("team", info == null || info.getTeam() == null ? "unknown" : info.getTeam());
    labels.put("incident", incident.getId());
    Map<String, String> annotations = new TreeMap<>();
    annotations.put("summary", summary(incident, topService));
    annotations.put("description", description(incident, mergedInto));
    annotations.put("anomalies", Integer.toString(incident.getAnomalies()));
    if (info != null && info.getRunbookUrl() != null) {
      annotations.put("runbook_url", info.getRunbookUrl());
    }
    return Alert.newBuilder()
        .setLabels(labels)
        .setAnnotations(annotations)
        .setStartsAt(incident.getOpenedAt())
        .setEndsAt(incident.getState() == IncidentState.RESOLVED ? incident.getResolvedAt() : null)
        .setGeneratorURL(
            generatorUrl.isEmpty() ? null : generatorUrl.replace("{incident}", incident.getId()))
        .setFingerprint(fingerprint(incident.getId()))
        .build();
  }

  private static String summary(Incident incident, String topService) {
    int n = incident.getServices().size();
    String prefix = incident.getState() == IncidentState.RESOLVED ? "Resolved: " : "";
    return prefix
        + topService
        + " is the likely root cause of an incident affecting "
        + n
        + (n == 1 ? " service" : " services")
        + (incident.getBusinessImpact().isEmpty()
            ? ""
            : " (business-critical: " + String.join(", ", incident.getBusinessImpact()) + ")");
  }

  private static String description(Incident incident, String mergedInto) {
    StringBuilder out = new StringBuilder();
    if (mergedInto != null) {
      out.append("Merged into incident ").append(mergedInto).append(".\n");
    }
    out.append("Root causes, best first:\n");
    int rank = 1;
    for (RootCause cause : incident.getRootCauses()) {
      out.append(rank++)
          .append(". ")
          .append(cause.getService())
          .append(String.format(Locale.ROOT, " (%.2f): ", cause.getScore()))
          .append(
              String.join(
                  "; ",
                  cause
                      .getReasons()
                      .subList(0, Math.min(REASONS_PER_CAUSE, cause.getReasons().size()))))
          .append('\n');
    }
    out.append("Anomalous services: ").append(String.join(", ", incident.getServices()));
    if (!incident.getEntryPoints().isEmpty()) {
      out.append("\nEntry points: ").append(String.join(", ", incident.getEntryPoints()));
    }
    out.append("\nAbsorbed ")
        .append(incident.getAnomalies())
        .append(incident.getAnomalies() == 1 ? " anomaly" : " anomalies")
        .append(" into this one alert.");
    return out.toString();
  }
}
