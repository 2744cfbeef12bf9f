package dev.vigil.chaos.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.SageMakerStandIn;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forecast app as users run it (the packaged {@code vigil.jar} in its own JVM) forecasting
 * through a SageMaker endpoint, testkit's {@link SageMakerStandIn}, while that endpoint fails.
 * Windows of {@value #SERIES} series arrive every {@value #TICK_MILLIS} ms (one minute of event
 * time each) through the phases: starting (warm-up, until SageMaker answers steadily); healthy;
 * 500s; connection refused; back; answers four times slower than the client's timeout; back again.
 *
 * <p>Asserted: every window past the warm-up gets exactly one forecast, from SageMaker while it
 * answers and from the embedded model, {@code model=holt-winters} with its {@code fallbackReason},
 * while it does not; {@code /metrics} counts each of them by model and reason; the breaker opens in
 * both outages and closes after each, SageMaker's forecasts resuming; the app's JVM never dies, its
 * stream thread never stalls (no rebalance, every forecast within seconds of its window).
 */
@Timeout(180)
class SageMakerOutageIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();
  private static final int SERIES = 8;
  private static final long TICK_MILLIS = 100;
  private static final int SEASON_STEPS = 10;
  private static final long TIMEOUT_MILLIS = 1_000;
  private static final Duration SLOW_BY = Duration.ofSeconds(4);
  private static final long BREAKER_OPEN_MILLIS = 2_000;
  private static final String ENDPOINT = "vigil-deepar";
  private static final String SAGEMAKER = "sagemaker:" + ENDPOINT;
  private static final String EMBEDDED = "holt-winters";

  /**
   * Windows of the ticks on either side of a phase change may be answered under either regime: a
   * window waits a few hundred milliseconds in the stream before its batch leaves (see the
   * window-to-forecast figures), and a call in flight at the change ends under the new one.
   */
  private static final int CARRY_OVER_TICKS = 10;

  /** Ticks before the carry-over at a recovery phase's end that SageMaker must answer in full. */
  private static final int RECOVERED_TICKS = 10;

  /** What the endpoint does, phase by phase. */
  private enum Phase {
    /**
     * Until two seasons of warm-up are over and SageMaker has answered five ticks in a row: the
     * first calls of a cold JVM may time out (see the README's figures), at most 20 s.
     */
    STARTING(200, "answers", s -> s.mode(SageMakerStandIn.Mode.OK)),
    HEALTHY(25, "answers", s -> s.mode(SageMakerStandIn.Mode.OK)),
    ERRORS(25, "500 InternalFailure", s -> s.mode(SageMakerStandIn.Mode.SERVER_ERROR)),
    REFUSED(30, "connection refused", SageMakerStandIn::down),
    BACK(
        45,
        "answers again",
        s -> {
          s.mode(SageMakerStandIn.Mode.OK);
          s.up();
        }),
    SLOW(40, "answers after 4 s (timeout 1 s)", s -> s.mode(SageMakerStandIn.Mode.SLOW)),
    BACK_AGAIN(40, "answers again", s -> s.mode(SageMakerStandIn.Mode.OK));

    final int ticks;
    final String endpoint;
    final Consumer<SageMakerStandIn> enter;

    Phase(int ticks, String endpoint, Consumer<SageMakerStandIn> enter) {
      this.ticks = ticks;
      this.endpoint = endpoint;
      this.enter = enter;
    }

    boolean faulty() {
      return this == ERRORS || this == REFUSED || this == SLOW;
    }

    boolean recovering() {
      return this == BACK || this == BACK_AGAIN;
    }
  }

  @Test
  void everyWindowGetsAForecastThroughOutageAndSlownessAndSageMakerIsUsedAgainAfter()
      throws Exception {
    KAFKA.createTopics(TOPICS.signals, TOPICS.forecasts);
    int maxTicks = Arrays.stream(Phase.values()).mapToInt(p -> p.ticks).sum();
    Phase[] phaseOf = new Phase[maxTicks];
    long[] sentNanos = new long[maxTicks];
    Map<Phase, Integer> firstTick = new EnumMap<>(Phase.class);
    Map<Phase, Integer> ticksOf = new EnumMap<>(Phase.class);
    Map<Phase, Long> began = new EnumMap<>(Phase.class);
    Map<Phase, String> metricsAtStart = new EnumMap<>(Phase.class);
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(6));

    try (SageMakerStandIn endpoint = new SageMakerStandIn()) {
      endpoint.slowBy(SLOW_BY);
      long launched = System.nanoTime();
      try (VigilChild app = VigilChild.runJar(awsEnvironment(), appArgs(endpoint.url()));
          ForecastReader reader = new ForecastReader(KAFKA.bootstrapServers(), TOPICS.forecasts);
          BreakerWatch watch = new BreakerWatch(app);
          KafkaProducer<SeriesKey, SignalWindow> producer = producer()) {
        double startSeconds = (System.nanoTime() - launched) / 1e9;
        Random noise = new Random(11);
        long fedFrom = System.nanoTime();
        long start = fedFrom;
        int tick = 0;
        for (Phase phase : Phase.values()) {
          metricsAtStart.put(phase, app.metrics());
          phase.enter.accept(endpoint);
          began.put(phase, System.nanoTime());
          firstTick.put(phase, tick);
          for (int i = 0; i < phase.ticks; i++, tick++) {
            if (phase == Phase.STARTING && i > 2 * SEASON_STEPS && answeredSteadily(reader)) {
              break;
            }
            long due = start + tick * TICK_MILLIS * 1_000_000;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
              LockSupport.parkNanos(wait); // paces the feed: one minute of windows per tick
            }
            for (int s = 0; s < SERIES; s++) {
              SignalWindow w = window(t0, tick, value(s, tick, noise));
              producer.send(
                  new ProducerRecord<>(
                      TOPICS.signals.name(), null, w.getWindowEnd().toEpochMilli(), series(s), w));
            }
            producer.flush();
            sentNanos[tick] = System.nanoTime();
            phaseOf[tick] = phase;
          }
          ticksOf.put(phase, tick - firstTick.get(phase));
          if (phase == Phase.STARTING) {
            assertThat(ticksOf.get(phase))
                .as("SageMaker answering steadily after the warm-up")
                .isLessThan(phase.ticks);
            // Feed the healthy phase on a fresh schedule, not in a burst to catch up.
            start = System.nanoTime() - tick * TICK_MILLIS * 1_000_000;
          }
        }
        int totalTicks = tick;
        long fedNanos = System.nanoTime() - fedFrom;

        await("every window read and every forecast written")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  assertThat(app.isAlive()).as(app.stderr()).isTrue();
                  String page = app.metrics();
                  double learned = windows(page, "learned");
                  assertThat(learned + windows(page, "warmup"))
                      .isEqualTo((double) SERIES * totalTicks);
                  assertThat((double) reader.count()).isGreaterThanOrEqualTo(learned);
                });
        String end = app.metrics();

        List<ForecastReader.Arrived> arrived = reader.arrived();
        int warmup = (int) (windows(end, "warmup") / SERIES);
        // The breaker from the healthy phase on (a cold start may have opened it before).
        long healthyFrom = began.get(Phase.HEALTHY);
        List<BreakerWatch.Change> changes = watch.changes();
        List<BreakerWatch.Change> before =
            changes.stream().filter(c -> c.nanos() < healthyFrom).toList();
        List<BreakerWatch.Change> measured =
            changes.stream().filter(c -> c.nanos() >= healthyFrom).toList();
        List<Long> opened = at(measured, 1);
        List<Long> closed = at(measured, 0);

        // Figures first (printed even when an assertion below fails), then the assertions.
        Map<Phase, PhaseFigures> figures = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
          figures.put(p, new PhaseFigures());
        }
        List<String> wrongModel = new ArrayList<>();
        Map<String, List<Integer>> minutesBySeries = new TreeMap<>();
        for (ForecastReader.Arrived a : arrived) {
          Forecast f = a.forecast();
          int m = minute(t0, f);
          minutesBySeries.computeIfAbsent(a.key().getService(), k -> new ArrayList<>()).add(m);
          Phase p = phaseOf[m];
          figures.get(p).add(f, (a.nanos() - sentNanos[m]) / 1e6);
          int intoPhase = m - firstTick.get(p);
          String expectedModel = expectedModel(p, intoPhase, ticksOf.get(p));
          if (expectedModel != null && !expectedModel.equals(f.getModel())) {
            wrongModel.add(
                String.format(
                    "minute %d (%s, %d into it) of %s: %s %s",
                    m, p, intoPhase, a.key().getService(), f.getModel(), f.getFallbackReason()));
          }
        }
        Map<String, Integer> reasons = new TreeMap<>();
        figures
            .values()
            .forEach(f -> f.reasons.forEach((r, n) -> reasons.merge(r, n, Integer::sum)));
        int fromSageMaker = figures.values().stream().mapToInt(f -> f.sageMaker).sum();
        double maxLatency =
            figures.entrySet().stream()
                .filter(e -> e.getKey() != Phase.STARTING)
                .mapToDouble(e -> e.getValue().maxLatencyMillis)
                .max()
                .orElse(0);
        System.out.printf(
            "FIGURES sagemaker-outage: app start %.1fs, %d series x %d windows fed in %.1fs,"
                + " warm-up %d windows per series, %d forecasts (%d SageMaker, embedded %s),"
                + " breaker opened %.2fs after the 500s and %.2fs after slowness, closed %.2fs and"
                + " %.2fs after the endpoint was back (gauge changes while starting %d), stand-in requests %s,"
                + " max window-to-forecast once started %.0f ms, app alive %s%n",
            startSeconds,
            SERIES,
            totalTicks,
            fedNanos / 1e9,
            warmup,
            arrived.size(),
            fromSageMaker,
            reasons,
            secondsAfter(opened, 0, began.get(Phase.ERRORS)),
            secondsAfter(opened, 1, began.get(Phase.SLOW)),
            secondsAfter(closed, 0, began.get(Phase.BACK)),
            secondsAfter(closed, 1, began.get(Phase.BACK_AGAIN)),
            before.size() - 1,
            endpoint.requests().stream()
                .collect(
                    Collectors.groupingBy(
                        r -> r.answeredWith().name(), TreeMap::new, Collectors.counting())),
            maxLatency,
            app.isAlive());
        for (Phase p : Phase.values()) {
          Phase next =
              p.ordinal() + 1 < Phase.values().length ? Phase.values()[p.ordinal() + 1] : null;
          long until = next == null ? fedFrom + fedNanos : began.get(next);
          PhaseFigures f = figures.get(p);
          System.out.printf(
              "FIGURES sagemaker-outage %s (endpoint %s): %.1fs, %d windows, %d forecasts: %d"
                  + " SageMaker, embedded %s; calls %s; window-to-forecast p50 %.0f ms max %.0f ms%n",
              p,
              p.endpoint,
              (until - began.get(p)) / 1e9,
              SERIES * ticksOf.get(p),
              f.count,
              f.sageMaker,
              f.reasons,
              callDeltas(metricsAtStart.get(p), next == null ? end : metricsAtStart.get(next)),
              f.latencyPercentile(0.5),
              f.maxLatencyMillis);
        }
        wrongModel.stream().limit(20).forEach(w -> System.out.println("WRONG MODEL " + w));

        // ---- no window without its forecast, none twice ----
        assertThat(warmup).as("two seasons of warm-up, per series").isEqualTo(2 * SEASON_STEPS);
        assertThat(windows(end, "late") + windows(end, "no_value") + windows(end, "not_selected"))
            .isZero();
        List<Integer> expected = IntStream.range(warmup, totalTicks).boxed().toList();
        assertThat(minutesBySeries).hasSize(SERIES);
        minutesBySeries.forEach(
            (service, minutes) ->
                assertThat(minutes.stream().sorted().toList())
                    .as("forecast origins of %s: each window past the warm-up once", service)
                    .isEqualTo(expected));
        assertThat(arrived).hasSize(SERIES * expected.size());
        assertThat(windows(end, "learned")).isEqualTo((double) arrived.size());

        // ---- which model answered, and the record says so ----
        assertThat(wrongModel).as("forecasts from the wrong model").isEmpty();
        for (ForecastReader.Arrived a : arrived) {
          Forecast f = a.forecast();
          boolean sageMaker = SAGEMAKER.equals(f.getModel());
          assertThat(sageMaker || EMBEDDED.equals(f.getModel())).as(f.getModel()).isTrue();
          assertThat(f.getFallbackReason() == null)
              .as("fallbackReason set exactly when the embedded model answered")
              .isEqualTo(sageMaker);
          // The stand-in answers last value + step; the embedded model stays near the value.
          assertThat(f.getPoints().get(0).getMean() > 1.2)
              .as("the model field says who made the points")
              .isEqualTo(sageMaker);
        }
        assertThat(figures.get(Phase.ERRORS).reasons).containsKeys("error", "breaker_open");
        assertThat(figures.get(Phase.REFUSED).reasons).containsKey("breaker_open");
        assertThat(figures.get(Phase.SLOW).reasons).containsKeys("timeout", "breaker_open");
        assertThat(reasons.keySet()).isSubsetOf(Set.of("error", "breaker_open", "timeout"));

        // ---- /metrics agrees with what was written ----
        assertThat(VigilChild.sum(end, "vigil_forecast_forecasts_total", "model=\"sagemaker\""))
            .isEqualTo(fromSageMaker);
        for (var r : reasons.entrySet()) {
          assertThat(
                  VigilChild.sum(
                      end, "vigil_forecast_forecasts_total", "fallback=\"" + r.getKey() + "\""))
              .as("fallback %s", r.getKey())
              .isEqualTo(r.getValue().doubleValue());
        }
        assertThat(calls(end, "breaker_open")).isPositive();
        assertThat(callsDuring(metricsAtStart, end, Phase.REFUSED, "error"))
            .as("connection refused fails trial calls")
            .isPositive();

        // ---- the breaker opened in each outage and closed after it ----
        assertThat(before).isNotEmpty();
        assertThat(before.get(before.size() - 1).open()).as("closed when healthy").isZero();
        assertThat(opened).as("opened once per outage").hasSize(2);
        assertThat(closed).as("closed once after each").hasSize(2);
        assertThat(opened.get(0)).isBetween(began.get(Phase.ERRORS), began.get(Phase.BACK));
        assertThat(closed.get(0)).isBetween(began.get(Phase.BACK), began.get(Phase.SLOW));
        assertThat(opened.get(1)).isBetween(began.get(Phase.SLOW), began.get(Phase.BACK_AGAIN));
        assertThat(closed.get(1)).isGreaterThan(began.get(Phase.BACK_AGAIN));
        assertThat(VigilChild.sum(end, BreakerWatch.GAUGE, "")).isZero();

        // ---- the app never died, its stream thread never stalled ----
        assertThat(app.isAlive()).isTrue();
        assertThat(watch.failures()).as("scrapes that found no app").isZero();
        String log = app.stderr();
        assertThat(log).doesNotContain("unhandled error").doesNotContain("OutOfMemoryError");
        assertThat(occurrences(log, "is failing"))
            .as("one WARN each time the breaker opened")
            .isEqualTo(at(changes, 1).size());
        assertThat(occurrences(log, "answers again: forecasts come from SageMaker"))
            .as("one INFO each time it closed")
            .isEqualTo(at(changes, 0).size() - 1);
        assertThat(occurrences(log, "state RUNNING -> REBALANCING"))
            .as("rebalances after start (a stalled stream thread leaves the group)")
            .isZero();
        assertThat(maxLatency).as("window to forecast once started, ms").isLessThan(5_000);
      }
    }
  }

  /**
   * The model a window's forecast must come from, or null where either may: while starting (a cold
   * JVM), near a phase change, and in a recovery's first ticks (the breaker still open).
   */
  private static String expectedModel(Phase phase, int intoPhase, int ticks) {
    boolean last = phase.ordinal() == Phase.values().length - 1;
    int settledUntil = last ? ticks : ticks - CARRY_OVER_TICKS;
    if (phase == Phase.HEALTHY && intoPhase < settledUntil) {
      return SAGEMAKER;
    }
    if (phase.faulty() && intoPhase >= CARRY_OVER_TICKS && intoPhase < settledUntil) {
      return EMBEDDED;
    }
    if (phase.recovering()
        && intoPhase >= settledUntil - RECOVERED_TICKS
        && intoPhase < settledUntil) {
      return SAGEMAKER;
    }
    return null;
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private static double secondsAfter(List<Long> nanos, int index, long since) {
    return index < nanos.size() ? (nanos.get(index) - since) / 1e9 : Double.NaN;
  }

  /** The last five ticks' forecasts (40) all came from SageMaker. */
  private static boolean answeredSteadily(ForecastReader reader) {
    List<ForecastReader.Arrived> arrived = reader.arrived();
    int last = 5 * SERIES;
    return arrived.size() >= last
        && arrived.subList(arrived.size() - last, arrived.size()).stream()
            .allMatch(a -> SAGEMAKER.equals(a.forecast().getModel()));
  }

  private static List<String> appArgs(String url) throws Exception {
    Map<String, String> settings = new TreeMap<>();
    settings.put("topic.replication.factor", "1");
    settings.put("state.dir", Files.createTempDirectory("forecast").toString());
    // A stalled stream thread would leave the group after 10 s: the test would see a rebalance.
    settings.put("kafka.max.poll.interval.ms", "10000");
    // Ten-minute seasons: forecasts after 20 windows of warm-up; one per window from then on.
    settings.put("forecast.season.ms", Long.toString(SEASON_STEPS * 60_000L));
    settings.put("forecast.every.windows", "1");
    settings.put("forecast.horizon.minutes", "30");
    settings.put("forecast.sagemaker.endpoint", ENDPOINT);
    settings.put("forecast.sagemaker.endpoint.url", url);
    settings.put("forecast.sagemaker.region", SageMakerStandIn.REGION);
    settings.put("forecast.sagemaker.timeout.ms", Long.toString(TIMEOUT_MILLIS));
    // Batches are per task (six partitions): mostly one or two series, sent after the linger.
    settings.put("forecast.sagemaker.batch.size", Integer.toString(SERIES));
    settings.put("forecast.sagemaker.concurrency", "4");
    settings.put("forecast.sagemaker.linger.ms", "50");
    settings.put("forecast.sagemaker.context.points", "60");
    settings.put("forecast.sagemaker.breaker.window.calls", "10");
    settings.put("forecast.sagemaker.breaker.min.calls", "5");
    settings.put("forecast.sagemaker.breaker.open.ms", Long.toString(BREAKER_OPEN_MILLIS));
    settings.put("forecast.sagemaker.breaker.half.open.calls", "2");
    List<String> args = new ArrayList<>(List.of("forecast", "-b", KAFKA.bootstrapServers()));
    settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    return args;
  }

  /** The standard AWS chain's first link, with the stand-in's test credentials; no IMDS. */
  private static Map<String, String> awsEnvironment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", SageMakerStandIn.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SageMakerStandIn.SECRET_KEY,
        "AWS_EC2_METADATA_DISABLED", "true");
  }

  private static KafkaProducer<SeriesKey, SignalWindow> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5),
        TOPICS.signals.keySerde().serializer(),
        TOPICS.signals.valueSerde().serializer());
  }

  private static SeriesKey series(int s) {
    return new SeriesKey("svc-" + s, "system.filesystem.utilization", List.of());
  }

  /** A filling disk with a ten-minute cycle and a little noise. */
  private static double value(int s, int minute, Random noise) {
    return 0.40
        + 0.02 * s
        + 0.001 * minute
        + 0.01 * Math.sin(2 * Math.PI * minute / SEASON_STEPS)
        + 0.002 * noise.nextGaussian();
  }

  private static SignalWindow window(Instant t0, int minute, double value) {
    Instant start = t0.plusSeconds(60L * minute);
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

  private static int minute(Instant t0, Forecast f) {
    return (int) Duration.between(t0, f.getOrigin()).toMinutes();
  }

  private static double windows(String page, String outcome) {
    return VigilChild.sum(page, "vigil_forecast_windows_total", "outcome=\"" + outcome + "\"");
  }

  private static double calls(String page, String outcome) {
    return VigilChild.sum(
        page, "vigil_forecast_sagemaker_calls_total", "outcome=\"" + outcome + "\"");
  }

  private static double callsDuring(
      Map<Phase, String> atStart, String end, Phase phase, String outcome) {
    Phase next = Phase.values()[phase.ordinal() + 1];
    return calls(atStart.getOrDefault(next, end), outcome) - calls(atStart.get(phase), outcome);
  }

  private static Map<String, Long> callDeltas(String from, String to) {
    Map<String, Long> deltas = new TreeMap<>();
    for (String outcome :
        List.of("ok", "error", "timeout", "breaker_open", "saturated", "throttled")) {
      long n = Math.round(calls(to, outcome) - calls(from, outcome));
      if (n > 0) {
        deltas.put(outcome, n);
      }
    }
    return deltas;
  }

  private static List<Long> at(List<BreakerWatch.Change> changes, double value) {
    return changes.stream().filter(c -> c.open() == value).map(BreakerWatch.Change::nanos).toList();
  }

  /** Forecasts of one phase's windows. */
  private static final class PhaseFigures {
    int count;
    int sageMaker;
    final Map<String, Integer> reasons = new TreeMap<>();
    final List<Double> latencies = new ArrayList<>();
    double maxLatencyMillis;

    void add(Forecast f, double latencyMillis) {
      count++;
      if (f.getFallbackReason() == null) {
        sageMaker++;
      } else {
        reasons.merge(f.getFallbackReason(), 1, Integer::sum);
      }
      latencies.add(latencyMillis);
      maxLatencyMillis = Math.max(maxLatencyMillis, latencyMillis);
    }

    double latencyPercentile(double q) {
      if (latencies.isEmpty()) {
        return Double.NaN;
      }
      List<Double> sorted = latencies.stream().sorted().toList();
      return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
  }
}
