package dev.vigil.deploy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.deploy.cli.VigilCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil replay otlp} end to end: recorded files in, incidents out. */
class OtlpReplayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path RECORDING = Path.of("src/test/resources/replay/shop");
  private static final Path GOLDEN = Path.of("src/test/resources/replay/shop.incidents.jsonl");

  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private Run replay(String... args) {
    StringWriter err = new StringWriter();
    List<String> line = new ArrayList<>(List.of("replay", "otlp"));
    line.addAll(List.of(args));
    int exit =
        VigilCommand.commandLine()
            .setErr(new PrintWriter(err, true))
            .execute(line.toArray(String[]::new));
    return new Run(exit, err.toString());
  }

  @Test
  void recordedSlowDatabaseIsOneIncidentWithTheDatabaseOnTopAndMatchesTheGoldenFile()
      throws Exception {
    Path incidents = dir.resolve("out/incidents.jsonl");
    Path anomalies = dir.resolve("out/anomalies.jsonl");
    Path alerts = dir.resolve("out/alerts.jsonl");
    Run run =
        replay(
            "--in", RECORDING.toString(),
            "--incidents", incidents.toString(),
            "--anomalies", anomalies.toString(),
            "--alerts", alerts.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("3 files").contains("incident versions written to");
    Map<String, JsonNode> last = lastVersions(incidents);
    assertThat(last).as("one fault, one incident").hasSize(1);
    JsonNode incident = last.values().iterator().next();
    assertThat(incident.path("rootCauses").path(0).path("service").asText())
        .isEqualTo(RecordedShop.DATABASE);
    assertThat(incident.path("rootCauses").path(0).path("reasons").toString())
        .contains("caller's p99 to it");
    Instant opened = Instant.parse(incident.path("openedAt").asText());
    assertThat(Duration.between(RecordedShop.FAULT_START, opened).abs())
        .isLessThanOrEqualTo(Duration.ofMinutes(2));
    assertThat(Files.readAllLines(anomalies)).isNotEmpty().allMatch(l -> l.startsWith("{"));
    assertThat(Files.readAllLines(alerts))
        .isNotEmpty()
        .allMatch(l -> l.contains("\"fingerprint\""));
    assertThat(Files.readAllLines(incidents)).isEqualTo(Files.readAllLines(GOLDEN));
  }

  @Test
  void spansWithoutKindOrStatusStillPointAtTheSlowPart() throws Exception {
    Path in = dir.resolve("recorded");
    new RecordedShop(11, false).writeTo(in, ".json");
    Path incidents = dir.resolve("incidents.jsonl");

    Run run = replay("--in", in.toString(), "--incidents", incidents.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    Map<String, JsonNode> last = lastVersions(incidents);
    assertThat(last).hasSize(1);
    assertThat(last.values().iterator().next().path("rootCauses").path(0).path("service").asText())
        .isIn(RecordedShop.DATABASE, "payment");
  }

  @Test
  void aMalformedLineStopsTheReplayWithItsPlaceAndLeavesNoOutput() throws Exception {
    Path in = dir.resolve("recorded");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("traces.json"),
        "{\"resourceSpans\":[]}\n\n{\"resourceSpans\": [ {\"resource\": 42 } ]}\n");
    Path incidents = dir.resolve("incidents.jsonl");

    Run run = replay("--in", in.toString(), "--incidents", incidents.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("traces.json:3:");
    assertThat(incidents).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("recorded");
    }
  }

  @Test
  void aFolderWithoutRequestsIsAnError() throws Exception {
    Path in = dir.resolve("empty");
    Files.createDirectories(in);

    Run run = replay("--in", in.toString(), "--incidents", dir.resolve("i.jsonl").toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("no files to replay");
  }

  private static Map<String, JsonNode> lastVersions(Path incidents) throws Exception {
    Map<String, JsonNode> last = new LinkedHashMap<>();
    for (String line : Files.readAllLines(incidents)) {
      JsonNode node = JSON.readTree(line);
      for (String field : List.of("id", "openedAt", "updatedAt", "state", "rootCauses")) {
        assertThat(node.has(field)).as(field + " in " + line).isTrue();
      }
      last.put(node.path("id").asText(), node);
    }
    return last;
  }
}
