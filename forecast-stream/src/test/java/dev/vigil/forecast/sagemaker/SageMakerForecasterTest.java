package dev.vigil.forecast.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.SageMakerStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SageMaker contract against a local server speaking the runtime protocol: the SigV4-signed
 * InvokeEndpoint request, the DeepAR body, the parsed response, and the fallback reasons on 5xx,
 * throttling, timeouts and garbage, with the breaker opening and closing again when half-open.
 */
@Timeout(30)
class SageMakerForecasterTest {
  private static final long T0 = 1_795_000_000_000L;
  private static final SeriesContext DISK =
      new SeriesContext(T0, 60_000L, new double[] {0.50, 0.51, Double.NaN, 0.53});
  private static final SeriesContext CPU = new SeriesContext(T0, 60_000L, new double[] {3, 4});

  private SageMakerStandIn server;
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    server = new SageMakerStandIn();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SageMakerForecaster forecaster(Duration timeout, SageMakerSettings.BreakerSettings b) {
    return StandInForecasters.forecaster(
        StandInForecasters.settings(server, timeout, 2, b),
        (reason, nanos) ->
            outcomes
                .computeIfAbsent(reason == null ? "ok" : reason.label(), k -> new AtomicInteger())
                .incrementAndGet());
  }

  @Test
  void signedDeepArRequestArrivesAndResponseIsParsed() throws Exception {
    try (SageMakerForecaster f =
        forecaster(Duration.ofSeconds(5), StandInForecasters.lenientBreaker())) {
      SageMakerForecaster.Outcome outcome = f.submit(List.of(DISK, CPU)).get(10, TimeUnit.SECONDS);

      assertThat(outcome.succeeded()).isTrue();
      assertThat(outcome.forecasts()).hasSize(2);
      assertThat(outcome.forecasts().get(0).mean()).hasSize(60);
      assertThat(outcome.forecasts().get(0).mean()[1]).isCloseTo(2.53, within(1e-9));
      assertThat(outcome.forecasts().get(1).lo()[0]).isEqualTo(4.0);
      assertThat(outcome.forecasts().get(1).hi()[0]).isEqualTo(6.0);

      SageMakerStandIn.Received r = server.requests().get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/endpoints/vigil-deepar/invocations");
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
      assertThat(r.header("Accept")).isEqualTo("application/json");
      String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
      assertThat(r.header("Authorization"))
          .startsWith(
              "AWS4-HMAC-SHA256 Credential="
                  + SageMakerStandIn.ACCESS_KEY
                  + "/"
                  + today
                  + "/eu-west-1/sagemaker/aws4_request")
          .containsPattern("SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*")
          .contains("x-amz-date")
          .containsPattern("Signature=[0-9a-f]{64}$");
      assertThat(r.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
      assertThat(r.header("X-Amz-Content-Sha256"))
          .as("the signature covers the body as it arrived")
          .isEqualTo(
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())));

      JsonNode body = new ObjectMapper().readTree(r.body());
      assertThat(body.get("instances")).hasSize(2);
      JsonNode disk = body.get("instances").get(0);
      assertThat(disk.get("start").asText()).isEqualTo("2026-11-18 11:06:40");
      assertThat(disk.get("target").toString()).isEqualTo("[0.5,0.51,\"NaN\",0.53]");
      JsonNode config = body.get("configuration");
      assertThat(config.get("num_samples").asInt()).isEqualTo(100);
      assertThat(config.get("output_types").toString()).isEqualTo("[\"mean\",\"quantiles\"]");
      assertThat(config.get("quantiles").toString()).isEqualTo("[\"0.1\",\"0.9\"]");
      assertThat(outcomes.get("ok")).hasValue(1);
    }
  }

  @Test
  void fallsBackOnServerError() throws Exception {
    server.mode(SageMakerStandIn.Mode.SERVER_ERROR);
    try (SageMakerForecaster f =
        forecaster(Duration.ofSeconds(5), StandInForecasters.lenientBreaker())) {
      SageMakerForecaster.Outcome outcome = f.submit(List.of(DISK)).get(10, TimeUnit.SECONDS);
      assertThat(outcome.reason()).isEqualTo(FailureReason.ERROR);
      assertThat(server.requests()).as("no SDK retries: one request").hasSize(1);
    }
  }

  @Test
  void fallsBackOnThrottling() throws Exception {
    server.mode(SageMakerStandIn.Mode.THROTTLED);
    try (SageMakerForecaster f =
        forecaster(Duration.ofSeconds(5), StandInForecasters.lenientBreaker())) {
      SageMakerForecaster.Outcome outcome = f.submit(List.of(DISK)).get(10, TimeUnit.SECONDS);
      assertThat(outcome.reason()).isEqualTo(FailureReason.THROTTLED);
      assertThat(outcomes.get("throttled")).hasValue(1);
    }
  }

  @Test
  void fallsBackOnTimeoutWithinTheBound() throws Exception {
    server.mode(SageMakerStandIn.Mode.SLOW);
    try (SageMakerForecaster f =
        forecaster(Duration.ofMillis(300), StandInForecasters.lenientBreaker())) {
      long start = System.nanoTime();
      var future = f.submit(List.of(DISK));
      long submitMillis = (System.nanoTime() - start) / 1_000_000;
      SageMakerForecaster.Outcome outcome = future.get(10, TimeUnit.SECONDS);
      long totalMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(submitMillis).as("submit never waits for the network").isLessThan(100);
      assertThat(outcome.reason()).isEqualTo(FailureReason.TIMEOUT);
      assertThat(totalMillis).as("the timeout bounds the wait").isBetween(250L, 2_000L);
    }
  }

  @Test
  void fallsBackAtOnceWhenEveryRequestSlotAndQueuePlaceIsTaken() throws Exception {
    server.mode(SageMakerStandIn.Mode.SLOW);
    SageMakerSettings settings =
        new SageMakerSettings(
            "vigil-deepar",
            server.url(),
            SageMakerStandIn.REGION,
            10,
            1,
            1,
            Duration.ofSeconds(20),
            Duration.ofMillis(50),
            120,
            100,
            StandInForecasters.lenientBreaker());
    try (SageMakerForecaster f = StandInForecasters.forecaster(settings, (reason, nanos) -> {})) {
      var inFlight = f.submit(List.of(DISK));
      var queued = f.submit(List.of(DISK));
      SageMakerForecaster.Outcome third = f.submit(List.of(DISK)).get(1, TimeUnit.SECONDS);
      assertThat(third.reason()).isEqualTo(FailureReason.SATURATED);
      assertThat(inFlight).isNotDone();
      assertThat(queued).isNotDone();
    }
  }

  @Test
  void aBatchThatTimedOutWaitingForARequestSlotIsNeverSent() throws Exception {
    server.mode(SageMakerStandIn.Mode.SLOW);
    SageMakerSettings settings =
        new SageMakerSettings(
            "vigil-deepar",
            server.url(),
            SageMakerStandIn.REGION,
            10,
            1,
            4,
            Duration.ofMillis(300),
            Duration.ofMillis(50),
            120,
            100,
            StandInForecasters.lenientBreaker());
    try (SageMakerForecaster f = StandInForecasters.forecaster(settings, (reason, nanos) -> {})) {
      var held = f.submit(List.of(DISK));
      var queued = List.of(f.submit(List.of(DISK)), f.submit(List.of(DISK)));
      assertThat(held.get(5, TimeUnit.SECONDS).reason()).isEqualTo(FailureReason.TIMEOUT);
      for (var q : queued) {
        assertThat(q.get(5, TimeUnit.SECONDS).reason()).isEqualTo(FailureReason.TIMEOUT);
      }

      server.mode(SageMakerStandIn.Mode.OK);
      SageMakerForecaster.Outcome next = f.submit(List.of(DISK)).get(5, TimeUnit.SECONDS);
      assertThat(next.succeeded())
          .as("not stuck behind the calls that already fell back: %s", next.reason())
          .isTrue();
      assertThat(server.requests())
          .as("the two batches that timed out in the queue never went out")
          .extracting(SageMakerStandIn.Received::answeredWith)
          .containsExactly(SageMakerStandIn.Mode.SLOW, SageMakerStandIn.Mode.OK);
    }
  }

  @Test
  void fallsBackOnAResponseThatIsNotDeepAr() throws Exception {
    server.mode(SageMakerStandIn.Mode.GARBAGE);
    try (SageMakerForecaster f =
        forecaster(Duration.ofSeconds(5), StandInForecasters.lenientBreaker())) {
      assertThat(f.submit(List.of(DISK)).get(10, TimeUnit.SECONDS).reason())
          .isEqualTo(FailureReason.BAD_RESPONSE);
    }
  }

  @Test
  void breakerOpensOnFailuresAndClosesWhenHalfOpenTrialSucceeds() throws Exception {
    SageMakerSettings.BreakerSettings breaker =
        new SageMakerSettings.BreakerSettings(50, 4, 2, Duration.ofMillis(300), 1);
    server.mode(SageMakerStandIn.Mode.SERVER_ERROR);
    try (SageMakerForecaster f = forecaster(Duration.ofSeconds(5), breaker)) {
      assertThat(f.submit(List.of(DISK)).get(10, TimeUnit.SECONDS).reason())
          .isEqualTo(FailureReason.ERROR);
      assertThat(f.submit(List.of(DISK)).get(10, TimeUnit.SECONDS).reason())
          .isEqualTo(FailureReason.ERROR);
      assertThat(f.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

      SageMakerForecaster.Outcome shortCircuited = f.submit(List.of(DISK)).get(1, TimeUnit.SECONDS);
      assertThat(shortCircuited.reason()).isEqualTo(FailureReason.BREAKER_OPEN);
      assertThat(server.requests()).as("an open breaker makes no call").hasSize(2);

      server.mode(SageMakerStandIn.Mode.OK);
      await("breaker half-opens and the trial call closes it")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> f.submit(List.of(DISK)).get(5, TimeUnit.SECONDS).succeeded());
      assertThat(f.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(server.requests()).hasSize(3);
    }
  }
}
