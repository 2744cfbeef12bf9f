package dev.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scenario file (YAML, or JSON, which is YAML too):
 *
 * <pre>{@code
 * name: checkout-outage          # optional, default: the file name
 * duration: 90m                  # optional, default: 15 min after the last fault ends
 * faults:
 *   - kind: latency              # latency, dependency-latency, errors, cpu, bad-deploy,
 *     target: inventory          #   database, surge
 *     at: 10m                    # from the end of the warm-up
 *     duration: 5m
 *     magnitude: 5               # optional, default per kind
 *   - {kind: dependency-latency, target: checkout, dependency: payment, at: 30m, duration: 5m}
 * }</pre>
 *
 * Unknown fields are errors naming the fault, so a typo does not silently drop a fault.
 */
public final class ScenarioFile {
  private static final Set<String> TOP = Set.of("name", "duration", "faults");
  private static final Set<String> FAULT =
      Set.of("kind", "target", "dependency", "at", "duration", "magnitude");

  private ScenarioFile() {}

  /**
   * Reads and validates a scenario.
   *
   * @throws IllegalArgumentException naming the file and the entry at fault
   * @throws IOException if the file cannot be read
   */
  public static Scenario read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not YAML or JSON: " + e.getMessage(), e);
    }
    try {
      return parse(root, file.getFileName().toString().replaceFirst("\\.[^.]*$", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static Scenario parse(JsonNode root, String defaultName) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a mapping with 'faults'");
    }
    unknown(root, TOP, "scenario");
    String name = root.hasNonNull("name") ? root.get("name").asText() : defaultName;
    Optional<Duration> duration =
        root.hasNonNull("duration")
            ? Optional.of(Durations.parse(root.get("duration").asText()))
            : Optional.empty();
    List<Fault> faults = new ArrayList<>();
    JsonNode list = root.path("faults");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new IllegalArgumentException("'faults' must be a list");
    }
    int index = 0;
    for (JsonNode f : list) {
      index++;
      String where = "fault #" + index;
      try {
        unknown(f, FAULT, where);
        FaultKind kind = FaultKind.parse(required(f, "kind"));
        faults.add(
            new Fault(
                kind,
                required(f, "target"),
                f.hasNonNull("dependency") ? f.get("dependency").asText() : null,
                Durations.parse(required(f, "at")),
                Durations.parse(required(f, "duration")),
                f.hasNonNull("magnitude")
                    ? f.get("magnitude").asDouble()
                    : kind.defaultMagnitude()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return new Scenario(name, duration, faults);
  }

  private static String required(JsonNode node, String field) {
    if (!node.hasNonNull(field)) {
      throw new IllegalArgumentException("'" + field + "' is required");
    }
    return node.get(field).asText();
  }

  private static void unknown(JsonNode node, Set<String> known, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!known.contains(field)) {
        throw new IllegalArgumentException(
            where + ": unknown field '" + field + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }
}
