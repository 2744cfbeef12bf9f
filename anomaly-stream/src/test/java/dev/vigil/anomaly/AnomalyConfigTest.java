package dev.vigil.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class AnomalyConfigTest {
  private static AnomalyConfig config(Map<String, String> values) {
    ConfigDef definition = CoreConfig.definition();
    AnomalyConfig.define(definition);
    return new AnomalyConfig(new CoreConfig(definition, new ConfigSources().cli(values)));
  }

  @Test
  void defaultsAreTheReplayDefaults() {
    AnomalySettings settings = config(Map.of()).settings();
    assertThat(settings).isEqualTo(AnomalySettings.defaults());
    assertThat(settings.detector()).isEqualTo(DetectorSettings.defaults());
  }

  @Test
  void readsEverySetting() {
    AnomalySettings settings =
        config(
                Map.of(
                    "anomaly.warmup.points", "30",
                    "anomaly.relearn.after.points", "20",
                    "anomaly.threshold", "0.999",
                    "anomaly.close.threshold", "0.9",
                    "anomaly.min.duration.points", "2",
                    "anomaly.close.after.points", "4",
                    "anomaly.service.health", "false",
                    "anomaly.service.health.fast.start", "false"))
            .settings();
    assertThat(settings)
        .isEqualTo(
            new AnomalySettings(
                new DetectorSettings(30, 20, 0.999), 0.999, 0.9, 2, 4, false, false));
    assertThat(AnomalySettings.defaults().healthFastStart()).isTrue();
  }

  @Test
  void rejectsThresholdOutOfRange() {
    assertThatThrownBy(() -> config(Map.of("anomaly.threshold", "1.5")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("anomaly.threshold");
  }

  @Test
  void rejectsRelearnBelowTwo() {
    assertThatThrownBy(() -> config(Map.of("anomaly.relearn.after.points", "1")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("anomaly.relearn.after.points");
  }

  @Test
  void rejectsCloseThresholdAboveThreshold() {
    AnomalyConfig config =
        config(Map.of("anomaly.threshold", "0.99", "anomaly.close.threshold", "0.995"));
    assertThatThrownBy(config::settings)
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("anomaly.close.threshold (0.995) must not exceed anomaly.threshold");
  }
}
