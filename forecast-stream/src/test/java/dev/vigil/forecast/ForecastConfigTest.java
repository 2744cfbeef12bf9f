package dev.vigil.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.forecast.sagemaker.SageMakerSettings;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.SignalType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class ForecastConfigTest {
  private static ForecastConfig config(Map<String, String> values) {
    ConfigDef definition = CoreConfig.definition();
    ForecastConfig.define(definition);
    return new ForecastConfig(new CoreConfig(definition, new ConfigSources().cli(values)));
  }

  @Test
  void defaultsAreTheEmbeddedModelWithTheDefaultCapacityLimits() {
    ForecastSettings settings = config(Map.of()).settings();
    assertThat(settings.sageMaker()).isNull();
    assertThat(settings.signalTypes())
        .isEqualTo(EnumSet.of(SignalType.SATURATION, SignalType.TRAFFIC, SignalType.LATENCY));
    assertThat(settings.horizon()).isEqualTo(Duration.ofMinutes(60));
    assertThat(settings.horizonSteps(60_000)).isEqualTo(60);
    assertThat(settings.everyWindows()).isEqualTo(5);
    assertThat(settings.seasonality(60_000).periods()).containsExactly(1440);
    assertThat(settings.capacityLimits())
        .isEqualTo(
            Map.of("system.filesystem.utilization", 0.95, "system.memory.utilization", 0.95));
  }

  @Test
  void readsTheSageMakerSettings() {
    ForecastSettings settings =
        config(
                Map.of(
                    "forecast.signal.types", "saturation, errors",
                    "forecast.signals.include", "kafka.consumer.lag",
                    "forecast.sagemaker.endpoint", "vigil-deepar",
                    "forecast.sagemaker.region", "eu-west-1",
                    "forecast.sagemaker.batch.size", "20",
                    "forecast.sagemaker.timeout.ms", "500",
                    "forecast.sagemaker.breaker.open.ms", "1000"))
            .settings();
    assertThat(settings.signalTypes())
        .isEqualTo(EnumSet.of(SignalType.SATURATION, SignalType.ERRORS));
    assertThat(settings.includedSignals()).isEqualTo(Set.of("kafka.consumer.lag"));
    SageMakerSettings sm = settings.sageMaker();
    assertThat(sm.endpoint()).isEqualTo("vigil-deepar");
    assertThat(sm.region()).isEqualTo("eu-west-1");
    assertThat(sm.batchSize()).isEqualTo(20);
    assertThat(sm.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(sm.breaker().openFor()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rejectsAnUnknownSignalType() {
    assertThatThrownBy(() -> config(Map.of("forecast.signal.types", "SATURATION,DISK")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("forecast.signal.types")
        .hasMessageContaining("DISK");
  }

  @Test
  void rejectsACapacityLimitThatIsNotSignalEqualsNumber() {
    assertThatThrownBy(() -> config(Map.of("forecast.capacity.limits", "disk=full")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("forecast.capacity.limits");
  }

  @Test
  void rejectsAZeroHorizon() {
    assertThatThrownBy(() -> config(Map.of("forecast.horizon.minutes", "0")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("forecast.horizon.minutes");
  }

  @Test
  void rejectsARuntimeUrlThatIsNotHttp() {
    assertThatThrownBy(() -> config(Map.of("forecast.sagemaker.endpoint.url", "ftp://x")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("forecast.sagemaker.endpoint.url");
  }

  @Test
  void rejectsMoreMinimumCallsThanTheBreakerWindowHolds() {
    ForecastConfig config =
        config(
            Map.of(
                "forecast.sagemaker.endpoint", "vigil-deepar",
                "forecast.sagemaker.breaker.window.calls", "4",
                "forecast.sagemaker.breaker.min.calls", "5"));
    assertThatThrownBy(config::settings)
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("forecast.sagemaker.breaker.min.calls");
  }
}
