package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rca.internal.RcaSettings;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class RcaConfigTest {
  @Test
  void defaultsAreTheEngineDefaults() {
    assertThat(config(Map.of()).settings()).isEqualTo(RcaSettings.defaults());
  }

  @Test
  void readsEverySetting() {
    RcaSettings settings =
        config(
                Map.of(
                    "rca.correlation.window.ms", "300000",
                    "rca.correlation.max.hops", "3",
                    "rca.resolve.healthy.windows", "10",
                    "rca.alert.generator.url", "https://vigil.example.com/i/{incident}"))
            .settings();
    assertThat(settings.correlationWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.maxHops()).isEqualTo(3);
    assertThat(settings.healthyWindows()).isEqualTo(10);
    assertThat(settings.generatorUrl()).isEqualTo("https://vigil.example.com/i/{incident}");
  }

  @Test
  void rejectsZeroHops() {
    assertThatThrownBy(() -> config(Map.of("rca.correlation.max.hops", "0")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("rca.correlation.max.hops");
  }

  @Test
  void rejectsSubSecondWindows() {
    assertThatThrownBy(() -> config(Map.of("rca.window.ms", "10")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("rca.window.ms");
  }

  @Test
  void readsTheEvaluationDelayAndRejectsOneAsLongAsTheInterval() {
    assertThat(RcaSettings.defaults().evaluateDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config(Map.of("rca.evaluate.delay.ms", "0")).settings().evaluateDelay()).isZero();
    assertThat(config(Map.of("rca.evaluate.delay.ms", "2500")).settings().evaluateDelay())
        .isEqualTo(Duration.ofMillis(2500));
    assertThatThrownBy(() -> config(Map.of("rca.evaluate.delay.ms", "60000")).settings())
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("rca.evaluate.delay.ms (60000) must be shorter than");
    assertThatThrownBy(() -> config(Map.of("rca.evaluate.delay.ms", "-1")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("rca.evaluate.delay.ms");
  }

  private static RcaConfig config(Map<String, String> values) {
    ConfigDef definition = CoreConfig.definition();
    RcaConfig.define(definition);
    return new RcaConfig(new CoreConfig(definition, new ConfigSources().cli(values)));
  }
}
