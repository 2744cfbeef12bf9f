package dev.vigil.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.deploy.cli.VigilApps;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay renders, every object is valid for fabric8's model of its kind, and what the
 * manifests say agrees with the code: one Deployment per app of the build, probes and ports from
 * the apps' settings, settings that validate, autoscaling bounded by partitions.
 */
class KubernetesManifestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The topic whose consumer lag scales each stream app (its input with the most partitions). */
  private static final Map<String, Function<TopicCatalog, TopicSpec<?, ?>>> SCALING_TOPIC =
      Map.of(
          "enrichment", c -> c.otlpSpans,
          "anomaly", c -> c.signals,
          "forecast", c -> c.signals,
          "rca", c -> c.anomalies);

  private static final Set<String> SINK_CONNECTORS =
      Set.of(
          "dev.vigil.sinks.prometheus.PrometheusSinkConnector",
          "dev.vigil.sinks.alertmanager.AlertmanagerSinkConnector",
          "dev.vigil.sinks.search.SearchSinkConnector");

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/staging", "overlays/prod"})
  void everyObjectIsValidForItsKind(String folder) throws Exception {
    RenderedOverlay rendered = RenderedOverlay.render(folder);

    assertThat(rendered.all()).isNotEmpty();
    for (JsonNode object : rendered.all()) {
      String id = object.path("kind").asText() + "/" + object.path("metadata").path("name");
      if (object.path("kind").asText().equals("ScaledObject")) {
        assertThat(object.path("apiVersion").asText()).as(id).isEqualTo("keda.sh/v1alpha1");
        assertThat(fieldNames(object.path("spec")))
            .as("%s spec fields (KEDA v2 ScaledObject)", id)
            .isSubsetOf(
                "scaleTargetRef",
                "minReplicaCount",
                "maxReplicaCount",
                "pollingInterval",
                "cooldownPeriod",
                "advanced",
                "triggers",
                "idleReplicaCount",
                "fallback");
        continue;
      }
      HasMetadata typed = FabricModel.typed(object);
      assertThat(FabricModel.unknownFields(typed)).as("fields %s does not know", id).isEmpty();
      assertThat(typed.getMetadata().getLabels())
          .as(id)
          .containsEntry("app.kubernetes.io/part-of", "vigil");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/staging", "overlays/prod"})
  void everyAppRunsAsADeploymentThatMatchesItsSettings(String overlay) throws Exception {
    RenderedOverlay rendered = RenderedOverlay.render(overlay);
    ConfigMap settingsMap =
        FabricModel.typed(rendered.configMap("vigil-settings"), ConfigMap.class);
    // The settings must pass the same validation a start does (unknown keys, types, ranges).
    CoreConfig settings =
        new CoreConfig(VigilApps.definition(), new ConfigSources().env(settingsMap.getData()));
    int managementPort = settings.managementPort();

    // The sinks app is vigil up's embedded Connect worker; on Kubernetes the sinks run in the
    // vigil-connect Deployment (checked below), so every other app needs its own Deployment.
    List<String> apps =
        VigilApps.all().stream().map(AppDefinition::name).filter(n -> !n.equals("sinks")).toList();
    assertThat(apps).containsExactly("bridge", "enrichment", "anomaly", "forecast", "rca");
    for (String app : apps) {
      Deployment deployment =
          FabricModel.typed(rendered.get("Deployment", "vigil-" + app), Deployment.class);
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Container container = pod.getContainers().get(0);
      String what = overlay + " vigil-" + app;

      assertThat(container.getArgs()).as(what).containsExactly("run", app);
      assertThat(container.getEnvFrom())
          .as(what + " reads the settings")
          .anySatisfy(
              e ->
                  assertThat(e.getConfigMapRef().getName())
                      .isEqualTo(settingsMap.getMetadata().getName()));
      assertThat(port(container, "management")).as(what).isEqualTo(managementPort);
      assertProbe(container.getLivenessProbe(), container, "/health/live", managementPort, what);
      assertProbe(container.getReadinessProbe(), container, "/health/ready", managementPort, what);
      assertProbe(container.getStartupProbe(), container, "/health/live", managementPort, what);
      assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
          .as(what + " scrape annotations")
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", String.valueOf(managementPort))
          .containsEntry("prometheus.io/path", "/metrics");
      Map<String, Quantity> requests = container.getResources().getRequests();
      Map<String, Quantity> limits = container.getResources().getLimits();
      assertThat(requests).as(what).containsKeys("cpu", "memory");
      // Memory request = limit: the heap is a share of the limit, and the pod is never
      // the first to be evicted for using what it asked for.
      assertThat(limits.get("memory")).as(what).isEqualTo(requests.get("memory"));
      assertThat(container.getEnv())
          .as(what + " container-aware heap")
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("JAVA_OPTS");
                assertThat(e.getValue()).contains("-XX:MaxRAMPercentage=");
              });
      assertThat(
              pod.getAffinity()
                  .getPodAntiAffinity()
                  .getPreferredDuringSchedulingIgnoredDuringExecution())
          .as(what + " anti-affinity")
          .anySatisfy(
              t ->
                  assertThat(t.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                      .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
      PodDisruptionBudget pdb =
          FabricModel.typed(
              rendered.get("PodDisruptionBudget", "vigil-" + app), PodDisruptionBudget.class);
      assertThat(pdb.getSpec().getSelector().getMatchLabels())
          .as(what + " PDB")
          .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
      assertThat(pdb.getSpec().getMaxUnavailable()).as(what).isEqualTo(new IntOrString(1));

      if (!app.equals("bridge")) {
        assertStreamApp(rendered, app, settings, pod, container, what);
      }
    }
    if (!overlay.endsWith("dev")) {
      assertThat(settings.streamsStandbyReplicas()).as(overlay + " standby copies").isOne();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod"})
  void bridgeServiceServesOtlpOnTheConfiguredPorts(String overlay) throws Exception {
    RenderedOverlay rendered = RenderedOverlay.render(overlay);
    ConfigMap settingsMap =
        FabricModel.typed(rendered.configMap("vigil-settings"), ConfigMap.class);
    CoreConfig settings =
        new CoreConfig(VigilApps.definition(), new ConfigSources().env(settingsMap.getData()));
    Container bridge =
        FabricModel.typed(rendered.get("Deployment", "vigil-bridge"), Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    Service service = FabricModel.typed(rendered.get("Service", "vigil-bridge"), Service.class);

    Map<Integer, Integer> servicePortToContainerPort =
        service.getSpec().getPorts().stream()
            .collect(
                Collectors.toMap(
                    ServicePort::getPort, p -> port(bridge, p.getTargetPort().getStrVal())));
    assertThat(servicePortToContainerPort)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                4317, settings.getInt(BridgeConfig.GRPC_PORT_CONFIG),
                4318, settings.getInt(BridgeConfig.HTTP_PORT_CONFIG)));
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            FabricModel.typed(rendered.get("Deployment", "vigil-bridge"), Deployment.class)
                .getSpec()
                .getSelector()
                .getMatchLabels());
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/prod"})
  void topicsJobAndConnectWithTheSinksConnectors(String overlay) throws Exception {
    RenderedOverlay rendered = RenderedOverlay.render(overlay);

    Job topics = FabricModel.typed(rendered.get("Job", "vigil-topics"), Job.class);
    assertThat(topics.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("topics", "create");

    Deployment connect =
        FabricModel.typed(rendered.get("Deployment", "vigil-connect"), Deployment.class);
    Container worker = connect.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(worker.getCommand()).contains("/opt/kafka/bin/connect-distributed.sh");
    String workerProps =
        FabricModel.typed(rendered.configMap("vigil-connect-worker"), ConfigMap.class)
            .getData()
            .get("worker.properties");
    assertThat(workerProps)
        .contains("group.id=vigil-connect", "plugin.path=/opt/connect-plugins")
        .contains("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    assertThat(port(worker, "rest")).isEqualTo(8083);

    Map<String, String> connectors =
        FabricModel.typed(rendered.configMap("vigil-connectors"), ConfigMap.class).getData();
    assertThat(connectors.keySet())
        .containsExactlyInAnyOrder(
            "vigil-prometheus.json", "vigil-alertmanager.json", "vigil-search.json");
    for (Map.Entry<String, String> connector : connectors.entrySet()) {
      JsonNode config = JSON.readTree(connector.getValue());
      assertThat(config.path("connector.class").asText())
          .as(connector.getKey())
          .isIn(SINK_CONNECTORS);
      assertThat(config.path("topics").asText()).as(connector.getKey()).isNotBlank();
      assertThat(config.path("errors.deadletterqueue.topic.name").asText())
          .as(connector.getKey())
          .isEqualTo("vigil.dlq.sinks");
    }
    // Every ${env:X} a connector or the worker uses is set on the worker pod.
    Set<String> workerEnv =
        Set.copyOf(
            rendered.configMap("vigil-settings").path("data").properties().stream()
                .map(Map.Entry::getKey)
                .toList());
    Set<String> connectEnv =
        Set.copyOf(
            rendered.configMap("vigil-connect-settings").path("data").properties().stream()
                .map(Map.Entry::getKey)
                .toList());
    java.util.regex.Matcher env =
        java.util.regex.Pattern.compile("\\$\\{env:([A-Z_]+)}")
            .matcher(workerProps + String.join("\n", connectors.values()));
    while (env.find()) {
      if (!env.group(1).equals("POD_IP")) {
        assertThat(env.group(1)).isIn(union(workerEnv, connectEnv));
      }
    }
  }

  private static void assertStreamApp(
      RenderedOverlay rendered,
      String app,
      CoreConfig settings,
      PodSpec pod,
      Container container,
      String what) {
    // State on an emptyDir mounted where state.dir points.
    String volumeName =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(settings.stateDir().toString()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(what + ": nothing mounted at state.dir"))
            .getName();
    Volume state =
        pod.getVolumes().stream().filter(v -> v.getName().equals(volumeName)).findFirst().get();
    assertThat(state.getEmptyDir()).as(what + " state volume").isNotNull();

    JsonNode scaled = rendered.get("ScaledObject", "vigil-" + app).path("spec");
    assertThat(scaled.path("scaleTargetRef").path("name").asText()).isEqualTo("vigil-" + app);
    int partitions = SCALING_TOPIC.get(app).apply(settings.topicCatalog()).partitions();
    assertThat(scaled.path("maxReplicaCount").asInt())
        .as(what + " max replicas = partitions of its input")
        .isEqualTo(partitions);
    assertThat(scaled.path("minReplicaCount").asInt()).isBetween(1, partitions);
    JsonNode trigger = scaled.path("triggers").get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("kafka");
    assertThat(trigger.path("metadata").path("consumerGroup").asText())
        .as(what + " consumer group = application.id")
        .isEqualTo(StreamsApp.applicationId(app, settings));
    assertThat(trigger.path("metadata").path("bootstrapServersFromEnv").asText())
        .isEqualTo(ConfigSources.envNameOf(CoreConfig.BOOTSTRAP_SERVERS_CONFIG));
  }

  private static void assertProbe(
      Probe probe, Container container, String path, int port, String what) {
    assertThat(probe).as(what + " probe on " + path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
    IntOrString probePort = probe.getHttpGet().getPort();
    int resolved =
        probePort.getStrVal() != null
            ? port(container, probePort.getStrVal())
            : probePort.getIntVal();
    assertThat(resolved).as(what + " probe port").isEqualTo(port);
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name));
  }

  private static Set<String> fieldNames(JsonNode node) {
    return node.properties().stream().map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
  }
}
