package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.RootCause;
import dev.vigil.schemas.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentLinesTest {
  @Test
  void rendersTheReplayLineFormat() {
    Incident incident =
        Incident.newBuilder()
            .setId("inc-20260601T1010-orders")
            .setState(IncidentState.RESOLVED)
            .setSeverity(Severity.CRITICAL)
            .setOpenedAt(Instant.parse("2026-06-01T10:10:00Z"))
            .setUpdatedAt(Instant.parse("2026-06-01T10:31:00Z"))
            .setResolvedAt(Instant.parse("2026-06-01T10:31:00Z"))
            .setServices(List.of("checkout", "orders"))
            .setRootCauses(
                List.of(
                    new RootCause(
                        "postgresql:orders", 0.757, List.of("caller's p99 to it x8.3 (orders)")),
                    new RootCause("orders", 0.448, List.of())))
            .setEntryPoints(List.of("frontend"))
            .setAnomalies(3)
            .setVersion(3)
            .build();

    assertThat(IncidentLines.toLine(incident))
        .isEqualTo(
            "{\"id\":\"inc-20260601T1010-orders\",\"openedAt\":\"2026-06-01T10:10:00Z\","
                + "\"updatedAt\":\"2026-06-01T10:31:00Z\",\"state\":\"resolved\","
                + "\"rootCauses\":[{\"service\":\"postgresql:orders\",\"score\":0.757,"
                + "\"reasons\":[\"caller's p99 to it x8.3 (orders)\"]},"
                + "{\"service\":\"orders\",\"score\":0.448,\"reasons\":[]}],"
                + "\"services\":[\"checkout\",\"orders\"],\"resolvedAt\":\"2026-06-01T10:31:00Z\","
                + "\"severity\":\"critical\",\"entryPoints\":[\"frontend\"],\"businessImpact\":[],"
                + "\"anomalies\":3,\"version\":3}");
  }

  @Test
  void openIncidentHasNoResolutionTime() {
    Incident open =
        Incident.newBuilder()
            .setId("i")
            .setState(IncidentState.OPEN)
            .setSeverity(Severity.WARNING)
            .setOpenedAt(Instant.parse("2026-06-01T10:10:00Z"))
            .setUpdatedAt(Instant.parse("2026-06-01T10:12:00.500Z"))
            .setServices(List.of("a"))
            .setRootCauses(List.of())
            .build();

    assertThat(IncidentLines.toLine(open))
        .contains("\"state\":\"open\"")
        .contains("\"updatedAt\":\"2026-06-01T10:12:00.500Z\"")
        .contains("\"resolvedAt\":null");
  }
}
