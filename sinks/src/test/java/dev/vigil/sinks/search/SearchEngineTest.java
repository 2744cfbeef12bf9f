package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sinks.search.SearchEngine.Distribution;
import org.junit.jupiter.api.Test;

class SearchEngineTest {
  @Test
  void versionsCompareByMajorThenMinor() {
    SearchEngine es = new SearchEngine(Distribution.ELASTICSEARCH, "7.10.2", false, false);

    assertThat(es.atLeast(7, 9)).isTrue();
    assertThat(es.atLeast(7, 10)).isTrue();
    assertThat(es.atLeast(7, 13)).isFalse();
    assertThat(es.atLeast(8, 0)).isFalse();
    assertThat(
            new SearchEngine(Distribution.ELASTICSEARCH, "9.0.0-SNAPSHOT", true, true)
                .atLeast(7, 13))
        .isTrue();
  }

  @Test
  void describesWhatItCanDo() {
    assertThat(new SearchEngine(Distribution.OPENSEARCH, "2.19.1", true, false).describe())
        .isEqualTo("OpenSearch 2.19.1 (data streams, no ISM)");
    assertThat(new SearchEngine(Distribution.ELASTICSEARCH, "8.15.0", true, true).describe())
        .isEqualTo("Elasticsearch 8.15.0 (data streams, ILM)");
  }
}
