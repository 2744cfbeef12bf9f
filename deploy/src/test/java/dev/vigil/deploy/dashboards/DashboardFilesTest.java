package dev.vigil.deploy.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.sinks.prometheus.PrometheusNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DashboardFilesTest {
  static final Path DIR = Path.of("dashboards");

  /**
   * The series the Prometheus sink writes for the signals enrichment emits from spans and logs:
   * {@code <base>:<statistic>} (sinks/README.md, "Naming"), the base named by the sink's own
   * PrometheusNames from the signal's name, unit and type as enrichment sets them (Signals).
   */
  static final Set<String> REMOTE_WRITE_NAMES =
      Stream.concat(
              Stream.of(
                      PrometheusNames.metricName("span.duration", "ms", PrometheusNames.Kind.OTHER),
                      PrometheusNames.metricName("span.calls", "1", PrometheusNames.Kind.OTHER),
                      PrometheusNames.metricName("span.errors", "1", PrometheusNames.Kind.OTHER),
                      PrometheusNames.metricName("log.errors", "1", PrometheusNames.Kind.OTHER))
                  .flatMap(
                      base ->
                          Stream.of(
                                  "count1m",
                                  "sum1m",
                                  "min1m",
                                  "max1m",
                                  "last1m",
                                  "quantile1m",
                                  "rate1m",
                                  "errors1m")
                              .map(statistic -> base + ":" + statistic)),
              // Forecast records carry no unit: their base has no unit suffix.
              Stream.of("span.duration", "span.calls", "span.errors", "log.errors")
                  .map(s -> PrometheusNames.metricName(s, null, PrometheusNames.Kind.OTHER))
                  .flatMap(
                      base ->
                          Stream.of("forecast_mean", "forecast_lo", "forecast_hi")
                              .map(statistic -> base + ":" + statistic)))
          .collect(Collectors.toSet());

  @Test
  void checkedInFilesAreWhatTheGeneratorWrites() throws Exception {
    Map<String, String> generated = DashboardFiles.render();
    String regenerate =
        "regenerate: java -cp deploy/target/vigil.jar dev.vigil.deploy.dashboards.DashboardFiles"
            + " deploy/dashboards";
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path path = DIR.resolve(file.getKey());
      assertThat(path).as(regenerate).exists();
      assertThat(Files.readString(path, StandardCharsets.UTF_8))
          .as("%s differs from the code; %s", path, regenerate)
          .isEqualTo(file.getValue());
    }
    try (Stream<Path> files = Files.walk(DIR)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> DIR.relativize(p).toString()))
          .as("files nobody generates")
          .containsExactlyInAnyOrderElementsOf(generated.keySet());
    }
  }

  @Test
  void serviceHealthNamesSeriesThePrometheusSinkWrites() {
    List<String> exprs = queries(VigilDashboards.SIGNALS_DATASOURCE);

    assertThat(exprs).hasSizeGreaterThanOrEqualTo(5);
    for (String expr : exprs) {
      assertThat(PromQl.metricNames(expr)).as(expr).isNotEmpty().isSubsetOf(REMOTE_WRITE_NAMES);
    }
  }

  @Test
  void searchPanelsReadTheIndicesTheSearchSinkWrites() {
    // One index per topic, named after it (sinks/README.md, "Indices").
    TopicCatalog topics = TopicCatalog.defaults();
    Set<String> indices =
        Set.of(topics.anomalies.name(), topics.incidents.name(), topics.alerts.name());

    List<String> queries = queries(VigilDashboards.SEARCH_DATASOURCE);
    assertThat(queries).isNotEmpty();
    assertThat(queries).allSatisfy(q -> assertThat(q.split(" ")[0]).isIn(indices));
  }

  @Test
  void promQlNamesAreFoundInsideFunctionsAndSelectors() {
    assertThat(
            PromQl.metricNames(
                "sum by (a, b) (rate(x_total{l=\"v(\"}[5m])) / on (a) max(y:rate1m) or z"))
        .containsExactlyInAnyOrder("x_total", "y:rate1m", "z");
  }

  private static List<String> queries(String datasource) {
    return VigilDashboards.queries(datasource);
  }
}
