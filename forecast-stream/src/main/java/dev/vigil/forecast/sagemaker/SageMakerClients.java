package dev.vigil.forecast.sagemaker;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClientBuilder;

/** Builds the SageMaker Runtime client: JDK HTTP, one attempt, the call bounded by the timeout. */
public final class SageMakerClients {
  private SageMakerClients() {}

  /** A client with the standard credential chain (environment, profile, container, instance). */
  public static SageMakerRuntimeClient create(SageMakerSettings settings) {
    return create(settings, DefaultCredentialsProvider.builder().build());
  }

  /** A client with the given credentials. */
  public static SageMakerRuntimeClient create(
      SageMakerSettings settings, AwsCredentialsProvider credentials) {
    SageMakerRuntimeClientBuilder builder =
        SageMakerRuntimeClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.timeout())
                    .socketTimeout(settings.timeout()))
            .credentialsProvider(credentials)
            // No SDK retries: a failed call falls back to the embedded model at once and counts
            // towards the breaker; retrying would hold a request slot for up to four attempts.
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallTimeout(settings.timeout())
                    .retryStrategy(AwsRetryStrategy.doNotRetry())
                    .build());
    if (!settings.region().isBlank()) {
      builder.region(Region.of(settings.region()));
    }
    if (!settings.endpointUrl().isBlank()) {
      builder.endpointOverride(URI.create(settings.endpointUrl()));
    }
    return builder.build();
  }
}
