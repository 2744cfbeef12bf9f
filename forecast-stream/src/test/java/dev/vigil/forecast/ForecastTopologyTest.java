package dev.vigil.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.vigil.forecast.internal.ForecastMetrics;
import dev.vigil.forecast.internal.ForecastProcessor;
import dev.vigil.forecast.sagemaker.SageMakerForecaster;
import dev.vigil.forecast.sagemaker.StandInForecasters;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.ForecastPoint;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.SageMakerStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The topology on TopologyTestDriver with explicit event times: 1-minute windows, an hourly season
 * (so the warm-up is two hours, not two days), a forecast every 5 windows over 60 minutes.
 */
@Timeout(60)
class ForecastTopologyTest {
  static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
  static final SeriesKey DISK =
      new SeriesKey("inventory-db", "system.filesystem.utilization", List.of());
  static final SeriesKey CALLS = new SeriesKey("checkout", "span.calls", List.of());
  static final long HOUR = 3_600_000L;

  private final TopicCatalog topics = TopicCatalog.defaults();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static ForecastSettings settings(int every) {
    return new ForecastSettings(
        EnumSet.of(SignalType.SATURATION, SignalType.TRAFFIC, SignalType.LATENCY),
        1,
        Set.of(),
        every,
        Duration.ofMinutes(60),
        HOUR,
        Map.of("system.filesystem.utilization", 0.95),
        null);
  }

  static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-forecast-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  /** Disk utilisation filling at 0.1 points a minute from 50%, a small hourly cycle, noise. */
  static double disk(int minute, Random noise) {
    return 0.50
        + 0.001 * minute
        + 0.01 * Math.sin(2 * Math.PI * minute / 60)
        + 0.002 * noise.nextGaussian();
  }

  static SignalWindow saturation(int minute, double value) {
    Instant start = T0.plusSeconds(60L * minute);
    return SignalWindow.newBuilder()
        .setWindowStart(start)
        .setWindowEnd(start.plusSeconds(60))
        .setType(SignalType.SATURATION)
        .setCount(1)
        .setSum(value)
        .setLast(value)
        .setTier(2)
        .build();
  }

  static SignalWindow traffic(int minute, double rate, Integer tier) {
    Instant start = T0.plusSeconds(60L * minute);
    return SignalWindow.newBuilder()
        .setWindowStart(start)
        .setWindowEnd(start.plusSeconds(60))
        .setType(SignalType.TRAFFIC)
        .setCount((long) (rate * 60))
        .setSum(rate * 60)
        .setRate(rate)
        .setTier(tier)
        .build();
  }

  private TopologyTestDriver driver(ForecastSettings settings, SageMakerForecaster sageMaker) {
    return new TopologyTestDriver(
        ForecastTopology.build(settings, topics, new ForecastMetrics(registry), sageMaker),
        props());
  }

  private TestInputTopic<SeriesKey, SignalWindow> input(TopologyTestDriver driver) {
    return driver.createInputTopic(
        topics.signals.name(),
        VigilSerdes.SERIES_KEY.serializer(),
        VigilSerdes.SIGNAL_WINDOW.serializer());
  }

  private TestOutputTopic<SeriesKey, Forecast> output(TopologyTestDriver driver) {
    return driver.createOutputTopic(
        topics.forecasts.name(),
        VigilSerdes.SERIES_KEY.deserializer(),
        VigilSerdes.FORECAST.deserializer());
  }

  private static void pipe(
      TestInputTopic<SeriesKey, SignalWindow> in, SeriesKey k, SignalWindow w) {
    in.pipeInput(k, w, w.getWindowEnd());
  }

  @Test
  void forecastsFillingDiskEveryFiveWindowsAfterWarmupWithItsCapacityLimit() {
    try (TopologyTestDriver driver = driver(settings(5), null)) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<SeriesKey, Forecast> out = output(driver);
      Random noise = new Random(7);
      for (int m = 0; m < 300; m++) {
        pipe(in, DISK, saturation(m, disk(m, noise)));
      }
      List<Forecast> forecasts = out.readValuesToList();
      // Warm-up: two hourly seasons (minutes 0..119); the point at minute 120 fits the model
      // (point 121). Forecasts at points 125, 130, ..., 300: 36 of them.
      assertThat(forecasts).hasSize(36);
      Forecast last = forecasts.get(forecasts.size() - 1);
      assertThat(last.getOrigin()).isEqualTo(T0.plusSeconds(60L * 299));
      assertThat(last.getModel()).isEqualTo("holt-winters");
      assertThat(last.getFallbackReason()).isNull();
      assertThat(last.getTrainedAt()).isEqualTo(T0.plusSeconds(60L * 120));
      assertThat(last.getSignalType()).isEqualTo(SignalType.SATURATION);
      assertThat(last.getThreshold()).isEqualTo(0.95);
      assertThat(last.getThresholdSource()).isEqualTo("capacity");
      assertThat(last.getStepMillis()).isEqualTo(60_000L);
      assertThat(last.getLevel()).isEqualTo(0.8);
      assertThat(last.getMase()).as("rolling MASE, beating the naive forecast").isBetween(0.0, 1.0);
      List<ForecastPoint> points = last.getPoints();
      assertThat(points).hasSize(60);
      assertThat(points.get(0).getTimestamp()).isEqualTo(T0.plusSeconds(60L * 300));
      assertThat(points.get(59).getTimestamp()).isEqualTo(T0.plusSeconds(60L * 359));
      // The truth an hour ahead (minute 359) without noise: 0.859 + 0.01·sin(…) ≈ 0.849.
      double truth = 0.50 + 0.001 * 359 + 0.01 * Math.sin(2 * Math.PI * 359 / 60);
      assertThat(points.get(59).getMean()).isCloseTo(truth, within(0.03));
      for (ForecastPoint p : points) {
        assertThat(p.getLo()).isLessThan(p.getMean());
        assertThat(p.getHi()).isGreaterThan(p.getMean());
      }
      assertThat(points.get(59).getHi() - points.get(59).getLo())
          .as("intervals widen with the horizon")
          .isGreaterThan(points.get(0).getHi() - points.get(0).getLo());

      KeyValueStore<SeriesKey, byte[]> store =
          driver.getKeyValueStore(ForecastProcessor.STATE_STORE);
      assertThat(store.get(DISK).length).as("bytes of state per series").isLessThan(400);
      assertThat(counter("vigil.forecast.windows", "outcome", "learned")).isEqualTo(180);
      assertThat(counter("vigil.forecast.windows", "outcome", "warmup")).isEqualTo(120);
    }
  }

  @Test
  void forecastsTrafficOnlyForTierOneAndIgnoresLateWindows() {
    try (TopologyTestDriver driver = driver(settings(5), null)) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<SeriesKey, Forecast> out = output(driver);
      SeriesKey tierTwo = new SeriesKey("recommendations", "span.calls", List.of());
      for (int m = 0; m < 130; m++) {
        double rate = 100 + 20 * Math.sin(2 * Math.PI * m / 60);
        pipe(in, CALLS, traffic(m, rate, 1));
        pipe(in, tierTwo, traffic(m, rate, 2));
      }
      pipe(in, CALLS, traffic(3, 100, 1));
      List<org.apache.kafka.streams.test.TestRecord<SeriesKey, Forecast>> records =
          out.readRecordsToList();
      assertThat(records).extracting(r -> r.key().getService()).containsOnly("checkout");
      assertThat(records.get(0).value().getThreshold())
          .as("traffic has no upper threshold")
          .isNull();
      assertThat(counter("vigil.forecast.windows", "outcome", "not_selected")).isEqualTo(130);
      assertThat(counter("vigil.forecast.windows", "outcome", "late")).isEqualTo(1);
    }
  }

  @Test
  void revisionsOfTheLastWindowAreCountedAndNeitherLearnedNorForecastAgain() {
    List<Forecast> withoutRevisions = new ArrayList<>();
    List<Forecast> withRevisions = new ArrayList<>();
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry revised = new SimpleMeterRegistry();
    for (boolean revise : List.of(false, true)) {
      SimpleMeterRegistry metrics = revise ? revised : first;
      try (TopologyTestDriver driver =
          new TopologyTestDriver(
              ForecastTopology.build(settings(5), topics, new ForecastMetrics(metrics), null),
              props())) {
        TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
        TestOutputTopic<SeriesKey, Forecast> out = output(driver);
        for (int m = 0; m < 150; m++) {
          double rate = 100 + 20 * Math.sin(2 * Math.PI * m / 60);
          pipe(in, CALLS, traffic(m, rate, 1));
          if (revise) {
            // The enrichment's revision at the end of the grace: final values, same window.
            SignalWindow revision = traffic(m, rate * 1.5, 1);
            revision.setRevision(1);
            pipe(in, CALLS, revision);
          }
        }
        (revise ? withRevisions : withoutRevisions).addAll(out.readValuesToList());
      }
    }
    assertThat(withoutRevisions).hasSizeGreaterThanOrEqualTo(6);
    assertThat(withRevisions)
        .as("the same forecasts, at the same cadence, as without the revisions")
        .isEqualTo(withoutRevisions);
    assertThat(revised.get("vigil.forecast.revisions").counter().count()).isEqualTo(150);
    assertThat(revised.get("vigil.forecast.windows").tag("outcome", "late").counter().count())
        .isZero();
    assertThat(revised.get("vigil.forecast.windows").tag("outcome", "learned").counter().count())
        .isEqualTo(first.get("vigil.forecast.windows").tag("outcome", "learned").counter().count());
  }

  @Test
  void sageMakerForecastsReplaceTheEmbeddedOnesAndFailuresFallBackWithTheirReason()
      throws Exception {
    try (SageMakerStandIn server = new SageMakerStandIn();
        SageMakerForecaster sageMaker =
            StandInForecasters.forecaster(
                StandInForecasters.settings(
                    server, Duration.ofSeconds(5), 2, StandInForecasters.lenientBreaker()),
                new ForecastMetrics(registry)::call);
        TopologyTestDriver driver =
            driver(settings(5).withSageMaker(sageMaker.settings()), sageMaker)) {
      TestInputTopic<SeriesKey, SignalWindow> in = input(driver);
      TestOutputTopic<SeriesKey, Forecast> out = output(driver);
      Random noise = new Random(7);
      for (int m = 0; m < 125; m++) {
        pipe(in, DISK, saturation(m, disk(m, noise)));
      }
      List<Forecast> got = new ArrayList<>();
      await("SageMaker's forecast applied by the punctuator")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                driver.advanceWallClockTime(Duration.ofMillis(100));
                got.addAll(out.readValuesToList());
                assertThat(got).hasSize(1);
              });
      Forecast fromSageMaker = got.get(0);
      assertThat(fromSageMaker.getModel()).isEqualTo("sagemaker:vigil-deepar");
      assertThat(fromSageMaker.getOrigin()).isEqualTo(T0.plusSeconds(60L * 124));
      assertThat(fromSageMaker.getPoints()).hasSize(60);
      assertThat(fromSageMaker.getThreshold()).isEqualTo(0.95);
      KeyValueStore<SeriesKey, Forecast> pending =
          driver.getKeyValueStore(ForecastProcessor.PENDING_STORE);
      assertThat(pending.get(DISK)).as("applied: no longer pending").isNull();

      server.mode(SageMakerStandIn.Mode.SERVER_ERROR);
      for (int m = 125; m < 130; m++) {
        pipe(in, DISK, saturation(m, disk(m, noise)));
      }
      got.clear();
      await("the embedded fallback applied")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                driver.advanceWallClockTime(Duration.ofMillis(100));
                got.addAll(out.readValuesToList());
                assertThat(got).hasSize(1);
              });
      assertThat(got.get(0).getModel()).isEqualTo("holt-winters");
      assertThat(got.get(0).getFallbackReason()).isEqualTo("error");
      assertThat(got.get(0).getOrigin()).isEqualTo(T0.plusSeconds(60L * 129));
      assertThat(counter("vigil.forecast.forecasts", "fallback", "error")).isEqualTo(1);
    }
  }

  private double counter(String name, String tag, String value) {
    return registry.find(name).tag(tag, value).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
