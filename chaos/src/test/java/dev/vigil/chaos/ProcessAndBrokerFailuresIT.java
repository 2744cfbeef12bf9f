package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.deploy.cli.VigilApps;
import dev.vigil.deploy.cli.VigilCommand;
import dev.vigil.deploy.replay.OtlpReplay;
import dev.vigil.rca.RcaConfig;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.testkit.KafkaCluster;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  @TempDir static Path dir;
  private static Path shop;
  private static ChainOutput baseline;

  /** What a faulted replay did. */
  private record Run(
      OtlpReplay.Summary summary,
      ChainOutput output,
      MidIncidentFault.Outcome fault,
      AppProcess apps) {}

  @BeforeAll
  static void replayWithoutFaults() throws Exception {
    shop = Files.createDirectories(dir.resolve("shop"));
    for (String file : RECORDING) {
      try (InputStream in =
          ProcessAndBrokerFailuresIT.class.getResourceAsStream("/replay/shop/" + file)) {
        Files.copy(in, shop.resolve(file));
      }
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
                files.alerts().toString());
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
                              "1500"));
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
    return new Run(summary, ChainOutput.read(out), outcome, apps.get());
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
    System.out.printf(
        "FIGURES | %s | in: %d OTLP requests | out: %d records (%d anomalies, %d incident versions,"
            + " %d alerts) | lost %d | duplicated %d | transaction open: %s | fault lasted %d ms |"
            + " no committed progress for %d ms | replay took %d s%n",
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
        run.summary().took().toSeconds());
    assertThat(lost).as("records lost").isZero();
    assertThat(duplicated).as("records duplicated").isZero();
    // Incident versions and alerts come from one task in event time: the very same sequence.
    assertThat(faulted.incidents()).isEqualTo(baseline.incidents());
    assertThat(faulted.alerts()).isEqualTo(baseline.alerts());
    // Anomalies of series windowed by different tasks may interleave differently.
    assertThat(faulted.anomalies()).containsExactlyInAnyOrderElementsOf(baseline.anomalies());
  }
}
