package dev.vigil.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.enrichment.internal.ServicePartitioner;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.schemas.SeriesKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichmentConfigTest {
  private static EnrichmentConfig config(String key, String value) {
    return EnrichmentConfig.load(new ConfigSources().cli(Map.of(key, value)));
  }

  @Test
  void defaultsMatchTheSettingsDefaults() {
    EnrichmentSettings settings = EnrichmentConfig.load(new ConfigSources()).settings();

    assertThat(settings).isEqualTo(EnrichmentSettings.defaults());
  }

  @Test
  void readsEveryKey() {
    EnrichmentSettings settings =
        EnrichmentConfig.load(
                new ConfigSources()
                    .cli(
                        Map.of(
                            "enrichment.window.grace.ms", "5000",
                            "enrichment.dimensions", "http.route, region",
                            "enrichment.max.series.per.service", "50")))
            .settings();

    assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.dimensions()).containsExactlyInAnyOrder("http.route", "region");
    assertThat(settings.maxSeriesPerService()).isEqualTo(50);
  }

  @Test
  void rejectsANegativeGrace() {
    assertThatThrownBy(() -> config("enrichment.window.grace.ms", "-1"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("enrichment.window.grace.ms");
  }

  @Test
  void readsTheEmitDelayAndDefaultsItToFiveSeconds() {
    assertThat(EnrichmentConfig.load(new ConfigSources()).settings().emitDelay())
        .isEqualTo(Duration.ofSeconds(5));
    EnrichmentSettings settings =
        EnrichmentConfig.load(
                new ConfigSources()
                    .cli(
                        Map.of(
                            "enrichment.window.grace.ms", "20000",
                            "enrichment.window.emit.delay.ms", "20000")))
            .settings();

    assertThat(settings.emitDelay()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void rejectsAnEmitDelayBeyondTheGraceNamingTheKey() {
    EnrichmentConfig config =
        EnrichmentConfig.load(
            new ConfigSources()
                .cli(
                    Map.of(
                        "enrichment.window.grace.ms", "4000",
                        "enrichment.window.emit.delay.ms", "4001")));

    assertThatThrownBy(config::settings)
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("enrichment.window.emit.delay.ms (4001) must not exceed")
        .hasMessageContaining("enrichment.window.grace.ms (4000)")
        .extracting(e -> ((ConfigError) e).key())
        .isEqualTo("enrichment.window.emit.delay.ms");
    assertThatThrownBy(() -> config("enrichment.window.emit.delay.ms", "-1"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("enrichment.window.emit.delay.ms");
  }

  @Test
  void rejectsAZeroSeriesCap() {
    assertThatThrownBy(() -> config("enrichment.max.series.per.service", "0"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("enrichment.max.series.per.service");
  }

  @Test
  void rejectsATypoWithAHint() {
    assertThatThrownBy(() -> config("enrichment.window.grace", "1000"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("Did you mean 'enrichment.window.grace.ms'?");
  }

  @Test
  void partitionsEverySignalOfAServiceTogether() {
    ServicePartitioner partitioner = new ServicePartitioner();
    var a = new SeriesKey("checkout", "span.duration", List.of());
    var b = new SeriesKey("checkout", "log.errors", List.of());

    assertThat(partitioner.partitions("t", a, null, 12))
        .isEqualTo(partitioner.partitions("t", b, null, 12));
    assertThat(ServicePartitioner.partition("checkout", 12))
        .as("same partition as a String key 'checkout' under the default partitioner")
        .isEqualTo(
            org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2("checkout".getBytes()))
                % 12);
  }
}
