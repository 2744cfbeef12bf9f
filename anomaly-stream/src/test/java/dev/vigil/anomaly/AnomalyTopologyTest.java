package dev.vigil.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.anomaly.internal.AnomalyMetrics;
import dev.vigil.anomaly.internal.HealthProcessor;
import dev.vigil.anomaly.internal.SeriesProcessor;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.Severity;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology on TopologyTestDriver, with explicit event times (1-minute windows). */
class AnomalyTopologyTest {
  static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
  static final SeriesKey LATENCY =
      new SeriesKey("checkout", "span.duration", List.of(new Attribute("span.name", "POST /pay")));
  static final SeriesKey ERRORS = new SeriesKey("checkout", "span.errors", List.of());
  static final SeriesKey CALLS = new SeriesKey("checkout", "span.calls", List.of());

  private final TopicCatalog topics = TopicCatalog.defaults();
  private SimpleMeterRegistry registry;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
  }

  static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-anomaly-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  private TopologyTestDriver driver(AnomalySettings settings) {
    return new TopologyTestDriver(
        AnomalyTopology.build(settings, topics, new AnomalyMetrics(registry)), props());
  }

  @Test
  void shouldExplainLatencyEpisodeFromStartToEnd() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<String, AnomalyEvent> out = output(driver);
      Random noise = new Random(1);
      // 300 normal minutes: p95 around 120 ms (±5%), then 8 minutes at 400 ms, then normal again.
      for (int m = 0; m < 320; m++) {
        double p95 = (m >= 300 && m < 308 ? 400 : 120) * (1 + 0.05 * noise.nextGaussian());
        pipe(in, LATENCY, latency(m, p95));
      }
      List<AnomalyEvent> events = out.readValuesToList();
      List<AnomalyEvent> series =
          events.stream().filter(e -> e.getSeries().equals(LATENCY)).toList();
      assertThat(series).extracting(AnomalyEvent::getPhase).first().isEqualTo(AnomalyPhase.START);
      assertThat(series).extracting(AnomalyEvent::getPhase).last().isEqualTo(AnomalyPhase.END);
      AnomalyEvent start = series.get(0);
      assertThat(start.getService()).isEqualTo("checkout");
      assertThat(start.getStartedAt()).isEqualTo(T0.plus(Duration.ofMinutes(300)));
      assertThat(start.getAt())
          .as("starts after the minimum duration of 3 windows, or at once when critical")
          .isBetween(T0.plus(Duration.ofMinutes(301)), T0.plus(Duration.ofMinutes(303)));
      assertThat(start.getObserved()).isBetween(300.0, 500.0);
      assertThat(start.getExpected()).isBetween(110.0, 130.0);
      assertThat(start.getLower()).isLessThan(start.getExpected());
      assertThat(start.getUpper()).isBetween(start.getExpected(), 300.0);
      assertThat(start.getScore()).isGreaterThanOrEqualTo(0.99);
      assertThat(start.getSeverity()).isEqualTo(Severity.CRITICAL);
      assertThat(start.getDirection()).isEqualTo(Direction.UP);
      assertThat(start.getDetector()).isEqualTo(SeasonalDetector.ID);
      assertThat(start.getSignalType()).isEqualTo(SignalType.LATENCY);
      assertThat(start.getStatistic()).isEqualTo("p95");
      assertThat(series).extracting(AnomalyEvent::getId).containsOnly(start.getId());
      AnomalyEvent end = series.get(series.size() - 1);
      assertThat(end.getAt())
          .isBetween(T0.plus(Duration.ofMinutes(312)), T0.plus(Duration.ofMinutes(314)));
      assertThat(series.subList(0, series.size() - 1))
          .extracting(AnomalyEvent::getPhase)
          .containsOnly(AnomalyPhase.START, AnomalyPhase.UPDATE)
          .filteredOn(p -> p == AnomalyPhase.START)
          .hasSize(1);
      assertThat(events)
          .as("before the anomaly, nothing")
          .allSatisfy(e -> assertThat(e.getAt()).isAfter(T0.plus(Duration.ofMinutes(300))));

      KeyValueStore<SeriesKey, byte[]> store = driver.getKeyValueStore(SeriesProcessor.STORE);
      assertThat(store.get(LATENCY)).isNotNull().hasSizeLessThan(4096);
    }
  }

  /**
   * A low-traffic series: its p95 swings by ±20 % a minute, the trimmed mean of the same calls by
   * ±5 %. A fault slows every call by 40 %: within the p95's noise, four spreads of the trimmed
   * mean's. The series' first 150 windows carry no trimmed mean (as a store written before the
   * trimmed mean existed holds one state): the second baseline starts when the value appears.
   */
  @Test
  void shouldScoreTheTrimmedMeanBesideTheQuantileAndSayWhichScored() {
    for (boolean withTrimmedMean : new boolean[] {false, true}) {
      setUp();
      try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
        TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
        TestOutputTopic<String, AnomalyEvent> out = output(driver);
        KeyValueStore<SeriesKey, byte[]> store = driver.getKeyValueStore(SeriesProcessor.STORE);
        Random noise = new Random(3);
        int oneState = 0;
        for (int m = 0; m < 320; m++) {
          double slower = m >= 300 ? 1.4 : 1;
          double p95 = 400 * slower * Math.exp(0.2 * noise.nextGaussian());
          double trimmed = 120 * slower * Math.exp(0.05 * noise.nextGaussian());
          SignalWindow w = latency(m, p95);
          if (withTrimmedMean && m >= 150) {
            w.setTrimmedMean(trimmed);
          }
          pipe(in, LATENCY, w);
          if (m == 149) {
            oneState = store.get(LATENCY).length;
          }
        }
        List<AnomalyEvent> starts =
            out.readValuesToList().stream()
                .filter(e -> e.getSeries().equals(LATENCY) && e.getPhase() == AnomalyPhase.START)
                .toList();
        if (!withTrimmedMean) {
          assertThat(starts).as("the p95 alone does not see it").isEmpty();
          continue;
        }
        assertThat(starts).hasSize(1);
        AnomalyEvent start = starts.get(0);
        assertThat(start.getStartedAt()).isEqualTo(T0.plus(Duration.ofMinutes(300)));
        assertThat(start.getStatistic()).isEqualTo("trimmedMean");
        assertThat(start.getObserved()).isBetween(140.0, 200.0);
        assertThat(start.getExpected()).isBetween(110.0, 130.0);
        assertThat(start.getScore()).isGreaterThanOrEqualTo(0.99);
        assertThat(store.get(LATENCY).length)
            .as("a second detector state beside the first")
            .isEqualTo(oneState + SeasonalState.serializedSize());
      }
    }
  }

  @Test
  void aQuantileOfAtMost21CallsDoesNotCountOnlyTheTrimmedMeanDoes() {
    // A quiet route, 10 calls a minute: in minutes 300, 310 and 320 two calls time out (30 s),
    // which sets the p95 (up to 21 calls its rank reaches the second slowest call) while the
    // trimmed mean leaves the slowest out. The same windows with 100 calls: the p95 counts.
    for (long calls : new long[] {10, 100}) {
      setUp();
      try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
        TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
        TestOutputTopic<String, AnomalyEvent> out = output(driver);
        Random noise = new Random(5);
        for (int m = 0; m < 325; m++) {
          boolean timeout = m >= 300 && m % 10 == 0;
          double p95 = timeout ? 30_000 : 20 * Math.exp(0.2 * noise.nextGaussian());
          SignalWindow w = latency(m, p95);
          w.setCount(calls);
          w.setTrimmedMean(14 * Math.exp(0.05 * noise.nextGaussian()));
          pipe(in, LATENCY, w);
        }
        List<AnomalyEvent> starts =
            out.readValuesToList().stream()
                .filter(e -> e.getSeries().equals(LATENCY) && e.getPhase() == AnomalyPhase.START)
                .toList();
        if (calls == 10) {
          assertThat(starts).as("two slow calls in ten are no episode").isEmpty();
        } else {
          assertThat(starts)
              .isNotEmpty()
              .allSatisfy(e -> assertThat(e.getStatistic()).isEqualTo("p95"));
        }
      }
    }
  }

  @Test
  void shouldIgnoreLatencyDropButFlagTrafficDrop() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<String, AnomalyEvent> out = output(driver);
      Random noise = new Random(2);
      for (int m = 0; m < 320; m++) {
        double factor = m >= 300 ? 0.2 : 1;
        pipe(in, LATENCY, latency(m, 120 * factor * (1 + 0.05 * noise.nextGaussian())));
        pipe(in, CALLS, traffic(m, 50 * factor * (1 + 0.05 * noise.nextGaussian())));
      }
      List<AnomalyEvent> events = out.readValuesToList();
      assertThat(events).noneMatch(e -> e.getSeries().equals(LATENCY));
      assertThat(events)
          .filteredOn(e -> e.getSeries().equals(CALLS))
          .first()
          .satisfies(
              e -> {
                assertThat(e.getPhase()).isEqualTo(AnomalyPhase.START);
                assertThat(e.getDirection()).isEqualTo(Direction.DOWN);
                assertThat(e.getObserved()).isLessThan(e.getLower());
                assertThat(e.getSignalType()).isEqualTo(SignalType.TRAFFIC);
              });
    }
  }

  @Test
  void shouldRaiseServiceHealthWhenGoldenSignalsDegrade() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<String, AnomalyEvent> out = output(driver);
      Random noise = new Random(3);
      for (int m = 0; m < 320; m++) {
        boolean bad = m >= 300 && m < 310;
        pipe(in, LATENCY, latency(m, (bad ? 600 : 120) * (1 + 0.05 * noise.nextGaussian())));
        pipe(in, ERRORS, errors(m, 1000, bad ? 200 : noise.nextInt(3)));
      }
      List<AnomalyEvent> health =
          out.readValuesToList().stream()
              .filter(e -> e.getSeries().getSignal().equals(HealthProcessor.HEALTH_SIGNAL))
              .toList();
      assertThat(health).isNotEmpty();
      AnomalyEvent start = health.get(0);
      assertThat(start.getPhase()).isEqualTo(AnomalyPhase.START);
      assertThat(start.getSeries())
          .isEqualTo(new SeriesKey("checkout", "service.health", List.of()));
      assertThat(start.getDetector()).isEqualTo(HealthProcessor.DETECTOR);
      assertThat(start.getScore()).isGreaterThan(0.9999);
      assertThat(start.getStartedAt()).isEqualTo(T0.plus(Duration.ofMinutes(300)));
      // Fast start: the START went out as soon as the window's first series made it critical;
      // the full judgement of the window follows as an UPDATE with its final figures.
      assertThat(start.getObserved()).as("anomalous series so far").isEqualTo(1);
      AnomalyEvent judged = health.get(1);
      assertThat(judged.getPhase()).isEqualTo(AnomalyPhase.UPDATE);
      assertThat(judged.getId()).isEqualTo(start.getId());
      assertThat(judged.getAt()).isEqualTo(start.getAt());
      assertThat(judged.getObserved()).as("anomalous series in the window").isEqualTo(2);
      assertThat(health).extracting(AnomalyEvent::getPhase).last().isEqualTo(AnomalyPhase.END);
    }
  }

  @Test
  void shouldStartSeriesEpisodeAtOnceOnACriticalScore() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<String, AnomalyEvent> out = output(driver);
      Random noise = new Random(5);
      for (int m = 0; m < 200; m++) {
        pipe(in, LATENCY, latency(m, 120 * (1 + 0.05 * noise.nextGaussian())));
      }
      assertThat(out.readValuesToList()).isEmpty();
      pipe(in, LATENCY, latency(200, 1200));
      // One window, ten times slower: no minimum duration for a critical score.
      assertThat(out.readValuesToList())
          .filteredOn(e -> e.getSeries().equals(LATENCY))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getPhase()).isEqualTo(AnomalyPhase.START);
                assertThat(e.getScore()).isGreaterThanOrEqualTo(AnomalySettings.CRITICAL_SCORE);
                assertThat(e.getStartedAt()).isEqualTo(T0.plus(Duration.ofMinutes(200)));
                assertThat(e.getAt()).isEqualTo(T0.plus(Duration.ofMinutes(201)));
              });
    }
  }

  @Test
  void shouldStartServiceHealthWithinTheWindowOnceItIsCriticalAndNeverTwice() {
    List<AnomalyEvent> first = null;
    for (int run = 0; run < 2; run++) {
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      try (TopologyTestDriver driver =
          new TopologyTestDriver(
              AnomalyTopology.build(
                  AnomalySettings.defaults(), topics, new AnomalyMetrics(metrics)),
              props())) {
        TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
        TestOutputTopic<String, AnomalyEvent> out = output(driver);
        Random noise = new Random(6);
        for (int m = 0; m < 200; m++) {
          pipe(in, LATENCY, latency(m, 120 * (1 + 0.05 * noise.nextGaussian())));
          pipe(in, ERRORS, errors(m, 1000, noise.nextInt(3)));
        }
        assertThat(out.readValuesToList()).isEmpty();
        // Minute 200: half the calls fail. Its latency is normal and comes first.
        pipe(in, LATENCY, latency(200, 120));
        assertThat(out.readValuesToList()).isEmpty();
        pipe(in, ERRORS, errors(200, 1000, 500));
        List<AnomalyEvent> early = health(out.readValuesToList());
        assertThat(early)
            .as("no later window arrived: the START goes out while window 200 is still open")
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getPhase()).isEqualTo(AnomalyPhase.START);
                  assertThat(e.getStartedAt()).isEqualTo(T0.plus(Duration.ofMinutes(200)));
                  assertThat(e.getAt()).isEqualTo(T0.plus(Duration.ofMinutes(201)));
                  assertThat(e.getSeverity()).isEqualTo(Severity.CRITICAL);
                });
        // The rest of the fault, then recovery: one START, UPDATEs, one END, one id.
        List<AnomalyEvent> all = new java.util.ArrayList<>(early);
        for (int m = 201; m < 230; m++) {
          boolean bad = m < 205;
          pipe(in, LATENCY, latency(m, 120 * (1 + 0.05 * noise.nextGaussian())));
          pipe(in, ERRORS, errors(m, 1000, bad ? 500 : noise.nextInt(3)));
        }
        all.addAll(health(out.readValuesToList()));
        assertThat(all).extracting(AnomalyEvent::getId).containsOnly(early.get(0).getId());
        assertThat(all).filteredOn(e -> e.getPhase() == AnomalyPhase.START).hasSize(1);
        assertThat(all.get(1).getPhase())
            .as("the full judgement of window 200: an UPDATE")
            .isEqualTo(AnomalyPhase.UPDATE);
        assertThat(all).extracting(AnomalyEvent::getPhase).last().isEqualTo(AnomalyPhase.END);
        assertThat(metrics.get("vigil.anomaly.health.fast.starts").counter().count()).isEqualTo(1);
        if (first == null) {
          first = all;
        } else {
          assertThat(all).as("the same events on a replay").isEqualTo(first);
        }
      }
    }
  }

  @Test
  void shouldCountRevisionsOfTheLastWindowWithoutScoringThemAgain() {
    List<AnomalyEvent> withoutRevisions = null;
    for (boolean revise : List.of(false, true)) {
      registry = new SimpleMeterRegistry();
      try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
        TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
        TestOutputTopic<String, AnomalyEvent> out = output(driver);
        Random noise = new Random(7);
        for (int m = 0; m < 320; m++) {
          double p95 = (m >= 300 && m < 308 ? 400 : 120) * (1 + 0.05 * noise.nextGaussian());
          pipe(in, LATENCY, latency(m, p95));
          if (revise) {
            // The enrichment's final values at the end of the grace: a revision, not a new window.
            SignalWindow revision = latency(m, p95 * 3);
            revision.setRevision(1);
            pipe(in, LATENCY, revision);
          }
        }
        List<AnomalyEvent> events = out.readValuesToList();
        if (!revise) {
          withoutRevisions = events;
          assertThat(events).isNotEmpty();
        } else {
          assertThat(events)
              .as("the same episodes and health as without the revisions")
              .isEqualTo(withoutRevisions);
          assertThat(registry.get("vigil.anomaly.revisions").counter().count()).isEqualTo(320);
          assertThat(count("late")).isZero();
          assertThat(count("scored") + count("warmup")).isEqualTo(320);
        }
      }
    }
  }

  @Test
  void shouldScoreARevisionThatIsTheSeriesFirstEmissionOfItsWindow() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      pipe(in, LATENCY, latency(10, 100));
      // Late calls made a series of minute 11 that had none in the first emission.
      SignalWindow revision = latency(11, 100);
      revision.setRevision(1);
      pipe(in, LATENCY, revision);
      assertThat(count("warmup")).isEqualTo(2);
      assertThat(registry.get("vigil.anomaly.revisions").counter().count()).isZero();
    }
  }

  private static List<AnomalyEvent> health(List<AnomalyEvent> events) {
    return events.stream()
        .filter(e -> e.getSeries().getSignal().equals(HealthProcessor.HEALTH_SIGNAL))
        .toList();
  }

  @Test
  void shouldCountLateAndValuelessWindowsWithoutScoringThem() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      pipe(in, LATENCY, latency(10, 100));
      pipe(in, LATENCY, latency(9, 5000)); // late: ignored
      pipe(in, ERRORS, errors(10, 0, 0)); // no calls: no error ratio
      assertThat(count("late")).isEqualTo(1);
      assertThat(count("no_value")).isEqualTo(1);
      assertThat(count("warmup")).isEqualTo(1);
    }
  }

  @Test
  void shouldRelearnSeriesWhoseStoredStateIsUnreadable() {
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      KeyValueStore<SeriesKey, byte[]> store = driver.getKeyValueStore(SeriesProcessor.STORE);
      store.put(LATENCY, new byte[] {1, 2, 3});
      pipe(in, LATENCY, latency(0, 100));
      assertThat(registry.get("vigil.anomaly.state.resets").counter().count()).isEqualTo(1);
      assertThat(count("warmup")).isEqualTo(1);
      assertThat(store.get(LATENCY)).hasSizeGreaterThan(1000);
    }
  }

  @Test
  void shouldGradeSeverityByTheCatalogSlo() {
    SeriesKey withinSlo =
        new SeriesKey("search", "span.duration", List.of(new Attribute("span.name", "GET /q")));
    SeriesKey breachingSlo =
        new SeriesKey("search", "span.duration", List.of(new Attribute("span.name", "GET /s")));
    try (TopologyTestDriver driver = driver(AnomalySettings.defaults())) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<String, AnomalyEvent> out = output(driver);
      Random noise = new Random(4);
      for (int m = 0; m < 310; m++) {
        double p95 = (m >= 300 ? 400 : 120) * (1 + 0.05 * noise.nextGaussian());
        pipe(in, withinSlo, withSlo(latency(m, p95), 1000.0));
        pipe(in, breachingSlo, withSlo(latency(m, p95), 250.0));
      }
      List<AnomalyEvent> starts =
          out.readValuesToList().stream().filter(e -> e.getPhase() == AnomalyPhase.START).toList();
      assertThat(starts)
          .filteredOn(e -> e.getSeries().equals(withinSlo))
          .singleElement()
          .satisfies(e -> assertThat(e.getSeverity()).isEqualTo(Severity.WARNING));
      assertThat(starts)
          .filteredOn(e -> e.getSeries().equals(breachingSlo))
          .singleElement()
          .satisfies(e -> assertThat(e.getSeverity()).isEqualTo(Severity.CRITICAL));
    }
  }

  private static SignalWindow withSlo(SignalWindow w, double thresholdMs) {
    w.setSloObjective(0.99);
    w.setSloThreshold(thresholdMs);
    return w;
  }

  @Test
  void shouldNameEveryStore() {
    assertThat(
            AnomalyTopology.build(AnomalySettings.defaults(), topics, new AnomalyMetrics(registry))
                .describe()
                .toString())
        .contains(SeriesProcessor.STORE, HealthProcessor.STORE, AnomalyTopology.SERIES);
  }

  private double count(String outcome) {
    return registry.get("vigil.anomaly.windows").tag("outcome", outcome).counter().count();
  }

  private TestInputTopic<SeriesKey, SignalWindow> input(TopologyTestDriver driver) {
    return driver.createInputTopic(
        topics.signals.name(),
        VigilSerdes.SERIES_KEY.serializer(),
        VigilSerdes.SIGNAL_WINDOW.serializer());
  }

  private TestOutputTopic<String, AnomalyEvent> output(TopologyTestDriver driver) {
    return driver.createOutputTopic(
        topics.anomalies.name(),
        Serdes.String().deserializer(),
        VigilSerdes.ANOMALY_EVENT.deserializer());
  }

  static void pipe(TestInputTopic<SeriesKey, SignalWindow> in, SeriesKey key, SignalWindow w) {
    in.pipeInput(key, w, w.getWindowEnd());
  }

  static SignalWindow latency(int minute, double p95) {
    return window(minute, SignalType.LATENCY, b -> b.setCount(100).setSum(p95 * 50).setP95(p95));
  }

  static SignalWindow traffic(int minute, double rate) {
    return window(
        minute,
        SignalType.TRAFFIC,
        b -> b.setCount(Math.round(rate * 60)).setSum(rate * 60).setRate(rate));
  }

  static SignalWindow errors(int minute, long calls, long errors) {
    return window(
        minute, SignalType.ERRORS, b -> b.setCount(calls).setSum(errors).setErrors(errors));
  }

  private static SignalWindow window(
      int minute, SignalType type, java.util.function.UnaryOperator<SignalWindow.Builder> values) {
    Instant start = T0.plus(Duration.ofMinutes(minute));
    return values
        .apply(
            SignalWindow.newBuilder()
                .setWindowStart(start)
                .setWindowEnd(start.plus(Duration.ofMinutes(1)))
                .setType(type)
                .setCount(0)
                .setSum(0))
        .build();
  }
}
