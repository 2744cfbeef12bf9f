package dev.vigil.rca;

import dev.vigil.rca.internal.RcaMetrics;
import dev.vigil.rca.internal.RcaSettings;
import dev.vigil.rca.internal.Scenario;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The rca topology in a TopologyTestDriver, fed with {@link Scenario}s. */
final class RcaDriver implements AutoCloseable {
  static final TopicCatalog TOPICS = TopicCatalog.defaults();

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  private final TestInputTopic<String, AnomalyEvent> anomalies;
  private final TestInputTopic<EdgeKey, EdgeWindow> edges;
  private final TestInputTopic<String, ChangeEvent> changes;
  private final TestInputTopic<String, ServiceInfo> catalog;
  private final TestOutputTopic<String, Incident> incidents;
  private final TestOutputTopic<String, Alert> alerts;
  final List<Incident> incidentLog = new ArrayList<>();
  final List<Alert> alertLog = new ArrayList<>();

  RcaDriver(RcaSettings settings, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-rca-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    driver =
        new TopologyTestDriver(
            RcaTopology.build(settings, TOPICS, new RcaMetrics(registry)), props, Scenario.T0);
    anomalies =
        driver.createInputTopic(
            TOPICS.anomalies.name(),
            TOPICS.anomalies.keySerde().serializer(),
            TOPICS.anomalies.valueSerde().serializer());
    edges =
        driver.createInputTopic(
            TOPICS.edges.name(),
            TOPICS.edges.keySerde().serializer(),
            TOPICS.edges.valueSerde().serializer());
    changes =
        driver.createInputTopic(
            TOPICS.changes.name(),
            TOPICS.changes.keySerde().serializer(),
            TOPICS.changes.valueSerde().serializer());
    catalog =
        driver.createInputTopic(
            TOPICS.catalog.name(),
            TOPICS.catalog.keySerde().serializer(),
            TOPICS.catalog.valueSerde().serializer());
    incidents =
        driver.createOutputTopic(
            TOPICS.incidents.name(),
            TOPICS.incidents.keySerde().deserializer(),
            TOPICS.incidents.valueSerde().deserializer());
    alerts =
        driver.createOutputTopic(
            TOPICS.alerts.name(),
            TOPICS.alerts.keySerde().deserializer(),
            TOPICS.alerts.valueSerde().deserializer());
  }

  RcaDriver(Path stateDir) {
    this(RcaSettings.defaults(), stateDir);
  }

  /** Adds a catalog entry. */
  RcaDriver service(String name, String team, boolean businessCritical, String runbook) {
    catalog.pipeInput(
        name,
        ServiceInfo.newBuilder()
            .setService(name)
            .setTeam(team)
            .setBusinessCritical(businessCritical)
            .setRunbookUrl(runbook)
            .build(),
        Scenario.T0);
    return this;
  }

  /** Pipes the scenario's first {@code minutes} and collects what comes out. */
  RcaDriver run(Scenario scenario, int minutes) {
    return run(scenario, 0, minutes);
  }

  /** Pipes the scenario's minutes [from, to) and collects what comes out. */
  RcaDriver run(Scenario scenario, int from, int to) {
    for (Scenario.Event e : scenario.events(to)) {
      if (!e.timestamp().isAfter(Scenario.minute(from))) {
        continue;
      }
      if (e.value() instanceof AnomalyEvent a) {
        anomalies.pipeInput((String) e.key(), a, e.timestamp());
      } else if (e.value() instanceof EdgeWindow w) {
        edges.pipeInput((EdgeKey) e.key(), w, e.timestamp());
      } else {
        changes.pipeInput((String) e.key(), (ChangeEvent) e.value(), e.timestamp());
      }
    }
    incidentLog.addAll(incidents.readValuesToList());
    alertLog.addAll(alerts.readValuesToList());
    return this;
  }

  /** Advances the driver's wall clock (wall-clock punctuators fire) and collects the output. */
  RcaDriver advanceWallClock(java.time.Duration by) {
    driver.advanceWallClockTime(by);
    incidentLog.addAll(incidents.readValuesToList());
    alertLog.addAll(alerts.readValuesToList());
    return this;
  }

  /** The latest version of each incident, by id, in order of first appearance. */
  Map<String, Incident> latest() {
    Map<String, Incident> latest = new LinkedHashMap<>();
    incidentLog.forEach(i -> latest.put(i.getId(), i));
    return latest;
  }

  /** Every version of one incident. */
  List<Incident> versions(String id) {
    return incidentLog.stream().filter(i -> i.getId().equals(id)).toList();
  }

  static String top(Incident incident) {
    return incident.getRootCauses().get(0).getService();
  }

  @Override
  public void close() {
    driver.close();
  }
}
