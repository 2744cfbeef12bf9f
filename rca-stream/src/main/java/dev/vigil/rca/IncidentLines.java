package dev.vigil.rca;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.RootCause;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One incident version as one JSON line, the output format of {@code vigil replay otlp} (see
 * REPLAY.md): {@code id}, {@code openedAt}, {@code updatedAt}, {@code state} ({@code open} or
 * {@code resolved}), {@code rootCauses} ranked best first with {@code service}, {@code score} and
 * {@code reasons}, {@code services}, then {@code resolvedAt}, {@code severity}, {@code
 * entryPoints}, {@code businessImpact}, {@code anomalies} and {@code version}. Times are RFC 3339
 * UTC. The field order is fixed, so equal incidents give equal lines (golden files stay stable).
 */
public final class IncidentLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IncidentLines() {}

  /** The incident version as one line of JSON, without a line break. */
  public static String toLine(Incident incident) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("id", incident.getId());
    line.put("openedAt", time(incident.getOpenedAt()));
    line.put("updatedAt", time(incident.getUpdatedAt()));
    line.put("state", incident.getState().name().toLowerCase(Locale.ROOT));
    ArrayNode causes = line.putArray("rootCauses");
    for (RootCause cause : incident.getRootCauses()) {
      ObjectNode c = causes.addObject();
      c.put("service", cause.getService());
      c.put("score", cause.getScore());
      strings(c.putArray("reasons"), cause.getReasons());
    }
    strings(line.putArray("services"), incident.getServices());
    if (incident.getResolvedAt() == null) {
      line.putNull("resolvedAt");
    } else {
      line.put("resolvedAt", time(incident.getResolvedAt()));
    }
    line.put("severity", incident.getSeverity().name().toLowerCase(Locale.ROOT));
    strings(line.putArray("entryPoints"), incident.getEntryPoints());
    strings(line.putArray("businessImpact"), incident.getBusinessImpact());
    line.put("anomalies", incident.getAnomalies());
    line.put("version", incident.getVersion());
    try {
      return MAPPER.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render incident " + incident.getId(), e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String time(Instant instant) {
    return instant.toString();
  }
}
