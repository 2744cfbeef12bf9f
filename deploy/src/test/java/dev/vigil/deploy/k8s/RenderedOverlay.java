package dev.vigil.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.testkit.RequiredBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The objects {@code kubectl kustomize} renders for one folder of {@code deploy/k8s}, as JSON
 * trees. kubectl is what users apply the manifests with, so the test renders with it too (kustomize
 * built in); it must be on the PATH (required when {@code CI=true}).
 */
final class RenderedOverlay {
  static final Path K8S = Path.of("k8s");
  private static final ObjectMapper YAML = new YAMLMapper();

  private final List<JsonNode> objects;

  private RenderedOverlay(List<JsonNode> objects) {
    this.objects = objects;
  }

  static RenderedOverlay render(String folder) throws IOException, InterruptedException {
    Path kubectl = RequiredBinary.require("kubectl", "kubectl");
    Path dir = K8S.resolve(folder);
    Process process =
        new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
            .redirectErrorStream(false)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize %s", dir).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(out)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
    }
    return new RenderedOverlay(objects);
  }

  List<JsonNode> all() {
    return List.copyOf(objects);
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " rendered"));
  }

  /** A generated ConfigMap: kustomize appends a content hash to its name. */
  JsonNode configMap(String baseName) {
    List<JsonNode> matches =
        ofKind("ConfigMap").stream()
            .filter(o -> o.path("metadata").path("name").asText().startsWith(baseName + "-"))
            .toList();
    assertThat(matches).as("ConfigMap %s", baseName).hasSize(1);
    return matches.get(0);
  }
}
