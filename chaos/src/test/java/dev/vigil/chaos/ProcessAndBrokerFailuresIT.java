package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.deploy.cli.VigilApps;
import dev.vigil.deploy.cli.VigilCommand;
import dev.vigil.deploy.replay.OtlpReplay;
import dev.vigil.enrichment.EnrichmentConfig;
import dev.vigil.rca.RcaConfig;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import java.io.InputStream;
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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under process and broker failures. The recorded shop of {@code vigil replay otlp}
 * (45 minutes, a slow database from minute 30: one incident) is replayed in event-time lockstep
 * through enrichment, anomaly and rca running as the packaged jar in a separate JVM, and a fault
 * hits while the incident is being published and a transaction is open. The anomalies, incident
 * versions and alerts (read committed) must equal those of the same replay without a fault, record
 * for record: nothing lost, nothing duplicated.
 *
 * <p>A service added to the recording, {@code batch-worker} ({@code replay/late/make_batch.py}),
 * sends the last calls of every minute after the next minute's first requests (which carry spans up
 * to 45 s into that minute), with a grace of 60 s (emit delay 5 s): each of its windows is emitted
 * first and then revised, so the fault also strikes windows with revisions pending. A call is a
 * server span and a client span to PostgreSQL, so both its signal windows and its edge to {@code
 * postgresql:batch} are revised: anomaly-stream counts the signal revisions without scoring them,
 * rca-stream replaces the edge's latest window with its revision. They must come exactly as the
 * file says: first emission 2 calls, revision 4, each (series or edge, window, revision) once. Its
 * lines never move the watermark ahead of the recording's own requests, so the signals and edges of
 * a minute still reach the chain in the same lockstep step.
 *
 * <p>The incident versions are compared as a sequence, {@code updatedAt} included: rca evaluates in
 * event time only here ({@code rca.evaluate.delay.ms=0}, as {@code vigil replay otlp} does for the
 * baseline) and keeps its evaluation clock in its changelogged store, so a restarted task neither
 * evaluates a time again nor goes back to an earlier one. Before the clock was stored, a restarted
 * task re-evaluated the previous minute with the current minute's first records already restored,
 * and this test saw one version at 00:31 that the baseline published at 00:32 ({@code
 * RcaProcessorTest.aRestartAfterAnyRecordPublishesWhatAnUninterruptedRunDoes} pins it).
 */
@Timeout(600)
class ProcessAndBrokerFailuresIT {
  private static final String NEVER = Long.toString(Duration.ofDays(3650).toMillis());

  /** The records keep their 2024 event times: no retention check may delete them. */
  @RegisterExtension
  static final KafkaCluster KAFKA =
      new KafkaCluster()
          .withSettings(
              Map.of("log.initial.task.delay.ms", NEVER, "log.retention.check.interval.ms", NEVER));

  private static final List<String> CHAIN = List.of("enrichment", "anomaly", "rca");
  private static final List<String> RECORDING =
      List.of("frontend.json.gz", "backend.json.gz", "logs.json.gz");

  /** Minutes 0..44 of batch-worker, each with 2 calls on time and 2 late (see the class doc). */
  private static final String LATE_RECORDING = "/replay/late/batch.json.gz";

  private static final String LATE_SERVICE = "batch-worker";

  /** The database batch-worker calls (db.system postgresql, db.name batch): a virtual node. */
  private static final String LATE_DATABASE = "postgresql:batch";

  private static final Instant LATE_START = Instant.parse("2024-03-01T00:00:00Z");
  private static final int LATE_WINDOWS = 44;

  /** Grace long enough for batch-worker's late calls (up to 50 s after their window's end). */
  private static final String GRACE = "60000";

  @TempDir static Path dir;
  private static Path shop;
  private static ChainOutput baseline;

  /** What a faulted replay did. */
  private record Run(
      OtlpReplay.Summary summary,
      ChainOutput output,
      MidIncidentFault.Outcome fault,
      AppProcess apps,
      SignalWindows signals,
      EdgeWindows edges) {

    /**
     * Every signal and edge record enrichment committed, as "key value" in Avro's JSON form, which
     * holds every field: equal strings are equal records, and a difference reads.
     */
    List<String> enrichmentOutput() {
      List<String> enrichment = new ArrayList<>();
      signals.records().forEach(r -> enrichment.add(r.key() + " " + r.value()));
      edges.records().forEach(r -> enrichment.add(r.key() + " " + r.value()));
      return enrichment;
    }
  }

  /** The enrichment output of the first faulted run of the class, to compare the second with. */
  private static List<String> firstEnrichmentOutput;

  @BeforeAll
  static void replayWithoutFaults() throws Exception {
    shop = Files.createDirectories(dir.resolve("shop"));
    for (String file : RECORDING) {
      try (InputStream in =
          ProcessAndBrokerFailuresIT.class.getResourceAsStream("/replay/shop/" + file)) {
        Files.copy(in, shop.resolve(file));
      }
    }
    try (InputStream in = ProcessAndBrokerFailuresIT.class.getResourceAsStream(LATE_RECORDING)) {
      Files.copy(in, shop.resolve("batch.json.gz"));
    }
    long began = System.nanoTime();
    Path out = dir.resolve("baseline");
    OtlpReplay.Outputs files = ChainOutput.files(out);
    StringWriter err = new StringWriter();
    int exit =
        VigilCommand.commandLine()
            .setErr(new PrintWriter(err, true))
            .execute(
                "replay",
                "otlp",
                "--in",
                shop.toString(),
                "--incidents",
                files.incidents().toString(),
                "--anomalies",
                files.anomalies().toString(),
                "--alerts",
                files.alerts().toString(),
                "--set",
                EnrichmentConfig.GRACE_CONFIG + "=" + GRACE);
    assertThat(exit).as(err.toString()).isZero();
    baseline = ChainOutput.read(out);
    assertThat(baseline.anomalies()).isNotEmpty();
    assertThat(baseline.incidents()).isNotEmpty();
    assertThat(baseline.alerts()).isNotEmpty();
    // Printed, not logged: the replay command turns dev.vigil's logging down to WARN.
    System.out.printf(
        "Baseline: %d anomalies, %d incident versions, %d alerts in %d s%n",
        baseline.anomalies().size(),
        baseline.incidents().size(),
        baseline.alerts().size(),
        (System.nanoTime() - began) / 1_000_000_000);
  }

  @Test
  void chainKilledWithSigkillMidWindowAndRestartedLosesAndDuplicatesNothing() throws Exception {
    AtomicReference<Duration> restart = new AtomicReference<>();
    Run run =
        replayWith(
            "kill.",
            apps ->
                () -> {
                  apps.kill();
                  restart.set(apps.start());
                });

    assertThat(run.fault().transactionOpen()).as("killed with a transaction open").isTrue();
    assertThat(run.apps().starts()).as("processes started").isEqualTo(2);
    // Killed uncleanly under exactly-once, the stores are rebuilt from their changelogs.
    long restored = restoredRecords(run.apps().log(2));
    assertThat(restored).as("records the new JVM restored from changelogs").isPositive();
    assertSameAsBaseline(
        run,
        "SIGKILL of the chain's JVM, new JVM RUNNING after "
            + restart.get().toMillis()
            + " ms, "
            + restored
            + " changelog records restored");
  }

  @Test
  void brokerRestartedMidRunLosesAndDuplicatesNothingAndTheAppsCarryOn() throws Exception {
    Run run =
        replayWith(
            "broker.",
            apps ->
                () -> {
                  KAFKA.stopBroker();
                  KAFKA.startBroker();
                });

    assertThat(run.apps().starts()).as("the apps' process was never restarted").isEqualTo(1);
    assertThat(run.apps().log(1)).doesNotContain("unhandled error");
    assertSameAsBaseline(run, "broker stopped and started again");
  }

  /**
   * Replays the shop through the chain in a separate JVM, on the class's broker, with its own topic
   * prefix; {@code fault} gets the chain's process and says what to do to it mid-incident.
   */
  private static Run replayWith(String prefix, Function<AppProcess, MidIncidentFault.Action> fault)
      throws Exception {
    AtomicReference<AppProcess> apps = new AtomicReference<>();
    AtomicReference<MidIncidentFault> injector = new AtomicReference<>();
    OtlpReplay replay =
        new OtlpReplay(
                implied -> {
                  Map<String, String> settings = new LinkedHashMap<>(implied);
                  settings.put(CoreConfig.TOPIC_PREFIX_CONFIG, prefix);
                  // The replay gives up when the apps make no progress for 10 x this.
                  settings.put(CoreConfig.STARTUP_TIMEOUT_CONFIG, "15000");
                  settings.put(EnrichmentConfig.GRACE_CONFIG, GRACE);
                  return new CoreConfig(VigilApps.definition(), new ConfigSources().cli(settings));
                },
                config -> {
                  AppProcess process =
                      new AppProcess(
                          CHAIN,
                          config.bootstrapServers(),
                          Map.of(
                              CoreConfig.TOPIC_PREFIX_CONFIG,
                              prefix,
                              CoreConfig.STATE_DIR_CONFIG,
                              config.stateDir().toString(),
                              CoreConfig.TOPIC_PARTITIONS_CONFIG,
                              "1",
                              CoreConfig.STREAMS_COMMIT_INTERVAL_CONFIG,
                              "20",
                              CoreConfig.MANAGEMENT_PORT_CONFIG,
                              "0",
                              "kafka.fetch.max.wait.ms",
                              "20",
                              // Event time only, as `vigil replay otlp` runs rca for the baseline:
                              // a wall-clock evaluation during the fault's pause would make the
                              // versions depend on timing, not on what was lost or duplicated.
                              RcaConfig.EVALUATE_DELAY_CONFIG,
                              "0",
                              // A killed member holds its partitions until its session expires:
                              // the 45 s default would be the whole recovery time.
                              "kafka.session.timeout.ms",
                              "6000",
                              "kafka.heartbeat.interval.ms",
                              "1500",
                              EnrichmentConfig.GRACE_CONFIG,
                              GRACE));
                  apps.set(process);
                  process.start();
                  MidIncidentFault watcher =
                      new MidIncidentFault(
                          config.bootstrapServers(), prefix, CHAIN, fault.apply(process));
                  injector.set(watcher);
                  watcher.start();
                  return () -> {
                    try (watcher) {
                      process.close();
                    }
                  };
                },
                new PrintWriter(System.err, true))
            .onBroker(KAFKA.bootstrapServers());
    Path out = dir.resolve(prefix + "out");
    OtlpReplay.Summary summary;
    try {
      summary = replay.run(shop, ChainOutput.files(out));
    } catch (RuntimeException e) {
      throw new AssertionError(
          "replay failed: " + e + (apps.get() == null ? "" : "\n" + apps.get().logs()), e);
    }
    MidIncidentFault.Outcome outcome = injector.get().await(Duration.ofSeconds(30));
    TopicCatalog topics = TopicCatalog.create(prefix, 1, (short) 1);
    SignalWindows signals = SignalWindows.read(KAFKA.bootstrapServers(), topics.signals.name());
    EdgeWindows edges = EdgeWindows.read(KAFKA.bootstrapServers(), topics.edges.name());
    return new Run(summary, ChainOutput.read(out), outcome, apps.get(), signals, edges);
  }

  /** Records restored according to the app's log ({@code StateRestoreMetrics}). */
  private static long restoredRecords(String log) {
    Matcher restored = Pattern.compile("restored (\\d+) records of store").matcher(log);
    long total = 0;
    while (restored.find()) {
      total += Long.parseLong(restored.group(1));
    }
    return total;
  }

  private static void assertSameAsBaseline(Run run, String fault) {
    ChainOutput faulted = run.output();
    int lost = faulted.lostFrom(baseline);
    int duplicated = faulted.duplicatedFrom(baseline);
    SignalWindows signals = run.signals();
    int windowsDuplicated = signals.duplicates();
    EdgeWindows edges = run.edges();
    System.out.printf(
        "FIGURES | %s | in: %d OTLP requests | out: %d records (%d anomalies, %d incident versions,"
            + " %d alerts) | lost %d | duplicated %d | transaction open: %s | fault lasted %d ms |"
            + " no committed progress for %d ms | replay took %d s | signal windows: %d records,"
            + " %d revisions, %d emitted twice | edge windows: %d records, %d revisions, %d emitted"
            + " twice%n",
        fault,
        run.summary().requests(),
        faulted.records(),
        faulted.anomalies().size(),
        faulted.incidents().size(),
        faulted.alerts().size(),
        lost,
        duplicated,
        run.fault().transactionOpen(),
        run.fault().fault().toMillis(),
        run.fault().recovery().toMillis(),
        run.summary().took().toSeconds(),
        signals.records().size(),
        signals.revisions(),
        windowsDuplicated,
        edges.records().size(),
        edges.revisions(),
        edges.duplicates());
    // Enrichment is exactly-once on its own: both faulted runs of the class publish the very same
    // signal and edge windows (first emissions and revisions), field for field. As a multiset: the
    // metric, span and log windows write to the one signals partition in an order set by timing.
    String enrichmentDifference = "";
    if (firstEnrichmentOutput == null) {
      firstEnrichmentOutput = run.enrichmentOutput();
    } else {
      List<String> enrichment = run.enrichmentOutput();
      enrichmentDifference = difference(firstEnrichmentOutput, enrichment);
      System.out.printf(
          "ENRICHMENT | %s | %d signal and edge records, the same as the other run's: %s%n%s",
          fault, enrichment.size(), enrichmentDifference.isEmpty(), enrichmentDifference);
    }
    if (lost + duplicated > 0) {
      System.out.println("DIFFERENCES | " + fault + "\n" + faulted.differences(baseline));
    }
    assertThat(enrichmentDifference)
        .as("enrichment output against the other faulted run's")
        .isEmpty();
    assertThat(lost).as("records lost").isZero();
    assertThat(duplicated).as("records duplicated").isZero();
    // Incident versions and alerts come from one task in event time: the very same sequence.
    assertThat(faulted.incidents()).isEqualTo(baseline.incidents());
    assertThat(faulted.alerts()).isEqualTo(baseline.alerts());
    // Anomalies of series windowed by different tasks may interleave differently.
    assertThat(faulted.anomalies()).containsExactlyInAnyOrderElementsOf(baseline.anomalies());
    assertEarlyEmissionExactlyOnce(signals, edges);
  }

  /** The records only one of two multisets holds, the first 40 listed ("" when equal). */
  private static String difference(List<String> first, List<String> second) {
    Map<String, Integer> count = new TreeMap<>();
    first.forEach(r -> count.merge(r, 1, Integer::sum));
    second.forEach(r -> count.merge(r, -1, Integer::sum));
    List<String> lines = new ArrayList<>();
    count.forEach(
        (record, n) -> {
          if (n != 0) {
            lines.add(
                (n > 0 ? "only in the first run" : "only in the second run")
                    + (Math.abs(n) > 1 ? " (" + Math.abs(n) + " times): " : ": ")
                    + record);
          }
        });
    StringBuilder out = new StringBuilder();
    lines.stream().limit(40).forEach(line -> out.append(line).append('\n'));
    if (lines.size() > 40) {
      out.append("... and ").append(lines.size() - 40).append(" more\n");
    }
    return out.toString();
  }

  /**
   * Every signal and edge window once per revision, and batch-worker's windows as its file says:
   * minutes 0 to 43 first emitted with 2 calls and revised with 4, minute 44 (nothing late) once
   * with 2; the same for its edge to {@value #LATE_DATABASE}.
   */
  private static void assertEarlyEmissionExactlyOnce(SignalWindows signals, EdgeWindows edges) {
    assertThat(signals.duplicates()).as("signal windows emitted twice with one revision").isZero();
    assertThat(edges.duplicates()).as("edge windows emitted twice with one revision").isZero();
    Map<Instant, Map<Integer, Long>> expected = new TreeMap<>();
    for (int minute = 0; minute < LATE_WINDOWS; minute++) {
      expected.put(LATE_START.plusSeconds(60L * minute), Map.of(0, 2L, 1, 4L));
    }
    expected.put(LATE_START.plusSeconds(60L * LATE_WINDOWS), Map.of(0, 2L));
    assertThat(signals.counts(LATE_SERVICE, "span.calls")).isEqualTo(expected);
    assertThat(signals.counts(LATE_SERVICE, "span.duration")).hasSize(LATE_WINDOWS + 1);
    assertThat(edges.calls(LATE_SERVICE, LATE_DATABASE)).isEqualTo(expected);
  }
}
