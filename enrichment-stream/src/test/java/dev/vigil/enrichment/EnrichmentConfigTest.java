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
