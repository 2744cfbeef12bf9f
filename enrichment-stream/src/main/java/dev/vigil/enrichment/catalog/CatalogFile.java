package dev.vigil.enrichment.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.Slo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a service catalog file, YAML or JSON (JSON is YAML), into {@link ServiceInfo} records for
 * {@code vigil.catalog.services}.
 *
 * <pre>
 * services:
 *   - service: checkout          # required, unique
 *     team: shop
 *     tier: 1                    # 1 = business critical ... 3 = best effort (default 3)
 *     domain: commerce
 *     businessCritical: true
 *     runbookUrl: https://runbooks.example/checkout
 *     slos:
 *       - {name: availability, signal: span.errors, objective: 0.999}
 *       - {name: latency, signal: span.duration, objective: 0.99, threshold: 300}
 *     dependencies: [cart, payment]
 *     labels: {pager: shop-oncall}
 * </pre>
 *
 * <p>A top-level list of services is accepted too. Unknown fields are errors (a typo must not
 * silently drop a setting); every error names the entry.
 */
public final class CatalogFile {
  private static final Set<String> SERVICE_FIELDS =
      Set.of(
          "service",
          "team",
          "tier",
          "domain",
          "businessCritical",
          "runbookUrl",
          "slos",
          "dependencies",
          "labels");
  private static final Set<String> SLO_FIELDS = Set.of("name", "signal", "objective", "threshold");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private CatalogFile() {}

  /**
   * Reads and validates a catalog file.
   *
   * @throws IllegalArgumentException naming the entry at fault, or if the file cannot be read
   */
  public static List<ServiceInfo> read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read catalog " + file + ": " + e.getMessage(), e);
    }
    return parse(root, file.toString());
  }

  /** Parses a catalog document; {@code origin} names it in errors. */
  public static List<ServiceInfo> parse(JsonNode root, String origin) {
    JsonNode list = root != null && root.isObject() ? root.get("services") : root;
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          origin + ": expected a list of services, or an object with a 'services' list");
    }
    Map<String, ServiceInfo> services = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode node : list) {
      String where = origin + ": services[" + index++ + "]";
      ServiceInfo info = service(node, where);
      if (services.put(info.getService(), info) != null) {
        throw new IllegalArgumentException(
            where + ": service '" + info.getService() + "' is listed twice");
      }
    }
    return List.copyOf(services.values());
  }

  private static ServiceInfo service(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object");
    }
    checkFields(node, SERVICE_FIELDS, where);
    String name = text(node, "service", where, true);
    where = where + " (" + name + ")";
    ServiceInfo.Builder info = ServiceInfo.newBuilder().setService(name);
    info.setTeam(text(node, "team", where, false));
    info.setDomain(text(node, "domain", where, false));
    info.setRunbookUrl(text(node, "runbookUrl", where, false));
    if (node.has("tier")) {
      JsonNode tier = node.get("tier");
      if (!tier.canConvertToInt() || tier.asInt() < 1 || tier.asInt() > 3) {
        throw new IllegalArgumentException(where + ": tier must be 1, 2 or 3, got " + tier);
      }
      info.setTier(tier.asInt());
    }
    if (node.has("businessCritical")) {
      if (!node.get("businessCritical").isBoolean()) {
        throw new IllegalArgumentException(where + ": businessCritical must be true or false");
      }
      info.setBusinessCritical(node.get("businessCritical").asBoolean());
    }
    List<Slo> slos = new ArrayList<>();
    for (JsonNode slo : array(node, "slos", where)) {
      slos.add(slo(slo, where + ": slo"));
    }
    info.setSlos(slos);
    Set<String> dependencies = new LinkedHashSet<>();
    for (JsonNode dependency : array(node, "dependencies", where)) {
      dependencies.add(dependency.asText());
    }
    info.setDependencies(List.copyOf(dependencies));
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode labelNode = node.get("labels");
    if (labelNode != null && !labelNode.isNull()) {
      if (!labelNode.isObject()) {
        throw new IllegalArgumentException(where + ": labels must be a map");
      }
      labelNode.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    }
    info.setLabels(labels);
    return info.build();
  }

  private static Slo slo(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object");
    }
    checkFields(node, SLO_FIELDS, where);
    JsonNode objective = node.get("objective");
    if (objective == null
        || !objective.isNumber()
        || objective.asDouble() <= 0
        || objective.asDouble() > 1) {
      throw new IllegalArgumentException(
          where + ": objective must be a number in (0, 1], e.g. 0.999");
    }
    JsonNode threshold = node.get("threshold");
    if (threshold != null && !threshold.isNull() && !threshold.isNumber()) {
      throw new IllegalArgumentException(where + ": threshold must be a number");
    }
    return Slo.newBuilder()
        .setName(text(node, "name", where, true))
        .setSignal(text(node, "signal", where, true))
        .setObjective(objective.asDouble())
        .setThreshold(threshold == null || threshold.isNull() ? null : threshold.asDouble())
        .build();
  }

  private static void checkFields(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            where
                + ": unknown field '"
                + name
                + "'; known: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(where + ": " + field + " must be a list");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String where, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + ": '" + field + "' is required");
      }
      return null;
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a non-empty string");
    }
    return value.asText();
  }
}
