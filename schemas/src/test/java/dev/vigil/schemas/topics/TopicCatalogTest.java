package dev.vigil.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

  @Test
  void namesEveryTopicOfTheArchitectureWithTheEnvironmentPrefix() {
    TopicCatalog catalog = TopicCatalog.create("staging.", 12, (short) 3);

    assertThat(catalog.all())
        .extracting(TopicSpec::name)
        .containsExactly(
            "staging.otlp_metrics",
            "staging.otlp_spans",
            "staging.otlp_logs",
            "staging.vigil.catalog.services",
            "staging.vigil.changes",
            "staging.vigil.signals.1m",
            "staging.vigil.edges.1m",
            "staging.vigil.anomalies",
            "staging.vigil.forecasts",
            "staging.vigil.incidents",
            "staging.vigil.alerts");
    assertThat(catalog.dlq("anomaly").name()).isEqualTo("staging.vigil.dlq.anomaly");
    assertThat(catalog.all())
        .allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 3));
  }

  @Test
  void highVolumeTopicsTakeThePartitionCountAndControlTopicsOne() {
    TopicCatalog catalog = TopicCatalog.create("", 12, (short) 1);

    assertThat(List.of(catalog.otlpSpans, catalog.signals, catalog.edges, catalog.forecasts))
        .allSatisfy(t -> assertThat(t.partitions()).isEqualTo(12));
    assertThat(
            List.of(
                catalog.catalog,
                catalog.changes,
                catalog.anomalies,
                catalog.incidents,
                catalog.alerts))
        .allSatisfy(t -> assertThat(t.partitions()).isEqualTo(1));
  }

  @Test
  void compactedTopicsHaveNoRetentionAndOthersDo() {
    TopicCatalog catalog = TopicCatalog.defaults();

    assertThat(catalog.incidents.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
    assertThat(catalog.incidents.configs()).containsOnlyKeys("cleanup.policy");
    assertThat(catalog.otlpLogs.retention()).contains(Duration.ofHours(6));
    assertThat(catalog.otlpLogs.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "21600000");
  }

  @Test
  void findsTopicsAndDlqsByName() {
    TopicCatalog catalog = TopicCatalog.create("p.", 2, (short) 1);

    assertThat(catalog.find("p.vigil.alerts")).contains(catalog.alerts);
    assertThat(catalog.find("p.vigil.dlq.rca"))
        .get()
        .extracting(TopicSpec::name)
        .isEqualTo("p.vigil.dlq.rca");
    assertThat(catalog.find("vigil.alerts")).isEmpty();
  }

  @Test
  void takesOtherNamesForTheRawOtlpTopicsKeepingThePrefix() {
    TopicCatalog catalog =
        TopicCatalog.create("p.", 2, (short) 1)
            .withOtlpTopics("otel-metrics", "otel-traces", "otel-logs");

    assertThat(catalog.otlpSpans.name()).isEqualTo("p.otel-traces");
    assertThat(catalog.otlpMetrics.name()).isEqualTo("p.otel-metrics");
    assertThat(catalog.find("p.otel-logs")).contains(catalog.otlpLogs);
    assertThat(catalog.signals.name()).isEqualTo("p.vigil.signals.1m");
    assertThatThrownBy(() -> catalog.withOtlpTopics("a", "", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTLP topic name ''");
  }

  @Test
  void rejectsPrefixWithIllegalCharacters() {
    assertThatThrownBy(() -> TopicCatalog.create("prod/", 1, (short) 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prod/");
  }

  @Test
  void rejectsZeroPartitions() {
    assertThatThrownBy(() -> TopicCatalog.create("", 0, (short) 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions");
  }
}
