package dev.vigil.forecast.sagemaker;

import dev.vigil.testkit.SageMakerStandIn;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Forecasters pointed at testkit's {@link SageMakerStandIn}, signing with its test credentials. */
public final class StandInForecasters {
  private StandInForecasters() {}

  /** Settings for a test endpoint on {@code server}: batches of 10, linger 50 ms. */
  public static SageMakerSettings settings(
      SageMakerStandIn server,
      Duration timeout,
      int concurrency,
      SageMakerSettings.BreakerSettings breaker) {
    return new SageMakerSettings(
        "vigil-deepar",
        server.url(),
        SageMakerStandIn.REGION,
        10,
        concurrency,
        4,
        timeout,
        Duration.ofMillis(50),
        120,
        100,
        breaker);
  }

  /** A breaker that needs many failures to open. */
  public static SageMakerSettings.BreakerSettings lenientBreaker() {
    return new SageMakerSettings.BreakerSettings(100, 100, 100, Duration.ofSeconds(30), 1);
  }

  /** A forecaster signing with the stand-in's static test credentials. */
  public static SageMakerForecaster forecaster(
      SageMakerSettings settings, SageMakerForecaster.CallListener listener) {
    return new SageMakerForecaster(
        settings,
        SageMakerClients.create(
            settings,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    SageMakerStandIn.ACCESS_KEY, SageMakerStandIn.SECRET_KEY))),
        listener);
  }
}
