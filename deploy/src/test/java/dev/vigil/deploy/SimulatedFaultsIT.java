package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.anomaly.AnomalyApp;
import dev.vigil.bridge.BridgeApp;
import dev.vigil.deploy.replay.Quiescence;
import dev.vigil.enrichment.EnrichmentApp;
import dev.vigil.forecast.ForecastApp;
import dev.vigil.rca.RcaApp;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.simulator.Fault;
import dev.vigil.simulator.KafkaControlPlane;
import dev.vigil.simulator.OtlpSink;
import dev.vigil.simulator.PlatformGenerator;
import dev.vigil.simulator.Scenario;
import dev.vigil.simulator.Simulator;
import dev.vigil.simulator.SimulatorSettings;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole chain on simulated telemetry: the simulator (real OpenTelemetry SDK exporters, OTLP
 * gRPC) → ingest bridge → enrichment → anomaly (and forecast) → rca, on one real broker,
 * time-compressed: after the warm-up each simulated minute is sent once the pipeline has processed
 * the previous one (offsets decide, so the outcome does not depend on the machine's load). One
 * warmed-up run: a fault-free hour after the warm-up, then five faults of different kinds on
 * unrelated services, 20 minutes apart so that each incident has resolved before the next fault
 * starts.
 */
@Timeout(900)
class SimulatedFaultsIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  private static final Logger LOGGER = LoggerFactory.getLogger(SimulatedFaultsIT.class);
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final Duration QUIET_HOUR = Duration.ofHours(1);
  // The core platform (15 services, 10 databases, caches and queues) at 30 user requests a
  // minute (~150 service calls a minute): what the enrichment stream folds in a test's time.
  private static final int SERVICES = 15;
  private static final double RATE = 30;
  // After the warm-up (generated as fast as the bridge takes it) the simulator moves on to the next
  // minute only when every app has processed everything sent so far (lockstep, as `vigil replay
  // otlp` does): the run is the same on a fast or a loaded machine, and the bad deploy's change
  // event, which goes to Kafka directly, cannot overtake the telemetry around it. Each step costs
  // a round of commits through four stages whatever it carries (~0.5 s on a quiet machine, 10 s
  // and more at a load of 10 on 2 cores): the log says how much of the run went into waiting.
  private static final double SPEED = 0;
  private static final Duration LOCKSTEP = Duration.ofMinutes(2);
  private static final List<Fault> FAULTS =
      List.of(
          Fault.parse("latency:search@60m+4m*10"),
          Fault.parse("errors:fraud@80m+4m"),
          Fault.parse("cpu:recommendation@100m+4m"),
          // The last two spread widest (errors through many callers) and their incidents take
          // longest to resolve (30 minutes and more): 40 minutes apart, at the end.
          Fault.parse("bad-deploy:pricing@120m+4m"),
          Fault.parse("database:postgresql:users@160m+4m"));
  private static final List<AppDefinition> APPS =
      List.of(
          new BridgeApp.Definition(),
          new EnrichmentApp.Definition(),
          new AnomalyApp.Definition(),
          new ForecastApp.Definition(),
          new RcaApp.Definition());
  private static final List<VigilService> RUNNING = new ArrayList<>();
  private static TopicCatalog topics;
  private static MeterRegistry registry;
  private static int grpcPort;

  @BeforeAll
  static void startApps() throws Exception {
    ConfigDef definition = CoreConfig.definition();
    APPS.forEach(app -> app.define(definition));
    CoreConfig config =
        new CoreConfig(
            definition,
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers", KAFKA.bootstrapServers(),
                        "state.dir", stateDir.toString(),
                        "topic.partitions", "1",
                        // Every stage hands its output on at a commit, and the simulator waits
                        // for all of them after every minute: short commits, short fetch waits.
                        "streams.commit.interval.ms", "20",
                        "kafka.fetch.max.wait.ms", "20",
                        "bridge.grpc.port", "0",
                        "bridge.http.port", "0")));
    topics = config.topicCatalog();
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    APPS.forEach(app -> specs.addAll(app.ownTopics(topics)));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(specs).ok())
        .isTrue();
    registry = Metrics.newRegistry();
    for (AppDefinition app : APPS) {
      VigilService service = app.create(config, topics, registry);
      RUNNING.add(service);
      service.start();
      if (service instanceof BridgeApp bridge) {
        grpcPort = bridge.grpcPort();
      }
    }
  }

  @AfterAll
  static void stopApps() {
    // What each stage did, for the README's figures and for diagnosing a failure.
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("vigil."))
        .forEach(
            m ->
                LOGGER.info(
                    "{} {} = {}",
                    m.getId().getName(),
                    m.getId().getTags(),
                    m.measure().iterator().next().getValue()));
    for (int i = RUNNING.size() - 1; i >= 0; i--) {
      RUNNING.get(i).close();
    }
  }

  @Test
  void everyFaultOpensAnIncidentBlamingItsTargetAndTheQuietHourOpensNone() throws Exception {
    // Yesterday morning: recent enough for the topics' retention, traffic rising through the run.
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(18));
    Duration end = FAULTS.get(FAULTS.size() - 1).end().plus(Duration.ofMinutes(10));
    SimulatorSettings settings =
        new SimulatorSettings(
            PlatformGenerator.ecommerce(SERVICES, 1),
            new Scenario("five-faults", Optional.of(end), FAULTS),
            start,
            SimulatorSettings.DEFAULT_WARMUP,
            SPEED,
            RATE,
            0,
            1);
    Instant scenarioStart = settings.scenarioStart();
    long began = System.nanoTime();
    long[] waited = {0};
    try (OtlpSink sink = OtlpSink.create("http://127.0.0.1:" + grpcPort, "grpc");
        KafkaControlPlane control =
            new KafkaControlPlane(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), topics);
        Quiescence quiescence =
            new Quiescence(KAFKA.admin(), Map.of("bootstrap.servers", KAFKA.bootstrapServers()));
        Simulator simulator =
            new Simulator(
                settings,
                sink,
                control,
                (t, elapsed) -> {
                  if (t.getEpochSecond() % LOCKSTEP.toSeconds() == 0) {
                    long waitBegan = System.nanoTime();
                    quiescence.await(Duration.ofSeconds(120));
                    waited[0] += System.nanoTime() - waitBegan;
                  }
                  if (t.getEpochSecond() % 1800 == 0) {
                    LOGGER.info(
                        "Simulated time {} after {} s, {} s of them waiting for the pipeline",
                        t,
                        (System.nanoTime() - began) / 1_000_000_000,
                        waited[0] / 1_000_000_000);
                  }
                })) {
      simulator.run();
      LOGGER.info(
          "Simulated {} in {} s: {} requests, {} spans, {} points, {} logs, {} failed exports",
          Duration.between(start, simulator.stats().simulatedTime()),
          (System.nanoTime() - began) / 1_000_000_000,
          simulator.stats().requests(),
          simulator.stats().spans(),
          simulator.stats().points(),
          simulator.stats().logs(),
          simulator.stats().failedExports());
      assertThat(simulator.stats().failedExports()).isZero();
    }

    Instant lastFaultStart = scenarioStart.plus(FAULTS.get(FAULTS.size() - 1).at());
    List<AnomalyEvent> anomalies = new ArrayList<>();
    try {
      KAFKA.consumeUntil(
          topics.anomalies,
          records -> {
            anomalies.clear();
            records.forEach(r -> anomalies.add(r.value()));
            return records.stream()
                .anyMatch(
                    r -> r.value().getAt().isAfter(lastFaultStart.plus(Duration.ofMinutes(8))));
          },
          Duration.ofSeconds(240));
    } catch (AssertionError e) {
      LOGGER.warn("The pipeline did not catch up within 4 minutes; judging what it did");
    }
    anomalies.stream()
        .filter(a -> a.getPhase() == AnomalyPhase.START)
        .forEach(
            a ->
                LOGGER.info(
                    "Anomaly START {} {} {} at {}: observed {} expected {} score {}",
                    a.getService(),
                    a.getSeries().getSignal(),
                    a.getSeries().getDims(),
                    a.getStartedAt(),
                    a.getObserved(),
                    a.getExpected(),
                    a.getScore()));
    LOGGER.info(
        "Anomalies up to the end {} s after the start",
        (System.nanoTime() - began) / 1_000_000_000);
    List<Incident> incidents = new ArrayList<>();
    try {
      KAFKA.consumeUntil(
          topics.incidents,
          records -> {
            incidents.clear();
            records.forEach(r -> incidents.add(r.value()));
            return records.stream()
                .anyMatch(
                    r ->
                        !r.value()
                            .getUpdatedAt()
                            .isBefore(lastFaultStart.plus(Duration.ofMinutes(5))));
          },
          Duration.ofSeconds(30));
    } catch (AssertionError e) {
      LOGGER.warn("No incident version after the last fault");
    }
    LOGGER.info(
        "Pipeline drained {} s after the start", (System.nanoTime() - began) / 1_000_000_000);

    Map<String, Incident> firstVersions = new LinkedHashMap<>();
    incidents.forEach(i -> firstVersions.putIfAbsent(i.getId(), i));
    incidents.forEach(
        i ->
            LOGGER.info(
                "Incident {} v{} {} opened {} updated {}: causes {} services {}",
                i.getId(),
                i.getVersion(),
                i.getState(),
                i.getOpenedAt(),
                i.getUpdatedAt(),
                i.getRootCauses().stream()
                    .limit(3)
                    .map(
                        c ->
                            c.getService()
                                + " "
                                + Math.round(c.getScore() * 100) / 100.0
                                + " "
                                + c.getReasons())
                    .toList(),
                i.getServices()));

    int detected = 0;
    int matchedIncidents = 0;
    List<String> report = new ArrayList<>();
    List<Duration> openedAfter = new ArrayList<>();
    List<Duration> publishedAfter = new ArrayList<>();
    for (Fault fault : FAULTS) {
      Instant from = scenarioStart.plus(fault.at());
      Optional<Incident> blaming =
          incidents.stream()
              .filter(i -> !i.getRootCauses().isEmpty())
              .filter(i -> i.getRootCauses().get(0).getService().equals(fault.rootCause()))
              .filter(i -> !i.getOpenedAt().isBefore(from.minus(WINDOW)))
              .filter(i -> i.getOpenedAt().isBefore(from.plus(fault.duration())))
              .findFirst();
      if (blaming.isPresent()) {
        detected++;
        Duration opened = Duration.between(from, blaming.get().getOpenedAt());
        Duration published = Duration.between(from, blaming.get().getUpdatedAt());
        openedAfter.add(opened);
        publishedAfter.add(published);
        report.add(
            fault
                + ": incident "
                + blaming.get().getId()
                + " opened +"
                + opened.toSeconds()
                + " s, top-1 published +"
                + published.toSeconds()
                + " s");
      } else {
        report.add(fault + ": NOT DETECTED");
      }
    }
    for (Incident first : firstVersions.values()) {
      boolean matches =
          FAULTS.stream()
              .anyMatch(
                  f -> {
                    Instant from = scenarioStart.plus(f.at());
                    return !first.getOpenedAt().isBefore(from.minus(WINDOW))
                        && first.getOpenedAt().isBefore(from.plus(f.duration()))
                        && incidents.stream()
                            .filter(i -> i.getId().equals(first.getId()))
                            .anyMatch(
                                i ->
                                    !i.getRootCauses().isEmpty()
                                        && i.getRootCauses()
                                            .get(0)
                                            .getService()
                                            .equals(f.rootCause()));
                  });
      matchedIncidents += matches ? 1 : 0;
    }
    report.forEach(LOGGER::info);
    LOGGER.info(
        "Recall {}/{}, precision {}/{} incidents",
        detected,
        FAULTS.size(),
        matchedIncidents,
        firstVersions.size());

    List<Incident> quiet =
        firstVersions.values().stream()
            .filter(i -> !i.getOpenedAt().isBefore(scenarioStart))
            .filter(i -> i.getOpenedAt().isBefore(scenarioStart.plus(QUIET_HOUR)))
            .toList();
    assertThat(quiet).as("incidents during the fault-free hour").isEmpty();
    // Every fault kind, each with the right top-1 root cause.
    assertThat(detected)
        .as("faults found with the right top-1 root cause: " + report)
        .isEqualTo(FAULTS.size());
    // In event time the incident opens (its first anomalous window) within 2 windows of the fault.
    assertThat(openedAfter)
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(WINDOW.multipliedBy(2)));
    // Publication waits for the window to close (1 min + 30 s grace), the anomaly rule (at once
    // when critical, else 3 windows in a row) and the RCA's evaluation at the next window: the
    // right top-1 is out within 3 windows of the fault (measured: 1-2).
    assertThat(publishedAfter)
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(WINDOW.multipliedBy(3)));
  }
}
