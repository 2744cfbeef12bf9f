package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sinks.search.BulkItemResult.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkResponseParserTest {
  // Answers as OpenSearch 2.19 and Elasticsearch 7.10 gave them (trimmed).
  private static final String MIXED =
      """
      {"took":303,"errors":true,"items":[
       {"create":{"_index":".ds-logs-vigil-default-000001","_id":"a1","_version":1,"result":"created","status":201}},
       {"create":{"_index":".ds-logs-vigil-default-000001","_id":"a1","status":409,
         "error":{"type":"version_conflict_engine_exception","reason":"[a1]: version conflict, document already exists (current version [1])"}}},
       {"index":{"_index":"vigil.anomalies","_id":"x","status":400,
         "error":{"type":"mapper_parsing_exception","reason":"failed to parse field [score] of type [double]",
           "caused_by":{"type":"number_format_exception","reason":"For input string: \\"high\\""}}}},
       {"index":{"_index":"vigil.anomalies","_id":"y","status":429,
         "error":{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"}}},
       {"index":{"_index":"vigil.anomalies","_id":"z","status":503,
         "error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}},
       {"delete":{"_index":"vigil.alerts","_id":"gone","result":"not_found","status":404}},
       {"index":{"_index":"vigil.anomalies","_id":"w","status":409,
         "error":{"type":"some_other_conflict","reason":"?"}}}
      ]}
      """;

  @Test
  void eachItemIsClassifiedInRequestOrder() throws IOException {
    List<BulkItemResult> results =
        BulkResponseParser.parse(MIXED.getBytes(StandardCharsets.UTF_8), 7);

    assertThat(results)
        .extracting(BulkItemResult::outcome)
        .containsExactly(
            Outcome.OK,
            Outcome.DUPLICATE,
            Outcome.MALFORMED,
            Outcome.RETRY,
            Outcome.RETRY,
            Outcome.OK,
            Outcome.MALFORMED);
    assertThat(results.get(2).describe())
        .isEqualTo(
            "400 mapper_parsing_exception: failed to parse field [score] of type [double]"
                + " (caused by number_format_exception: For input string: \"high\")");
  }

  @Test
  void aBodyThatDoesNotMatchTheRequestIsAnError() {
    byte[] body = MIXED.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> BulkResponseParser.parse(body, 3))
        .isInstanceOf(IOException.class)
        .hasMessage("bulk response has 7 items for 3 actions");
    assertThatThrownBy(
            () -> BulkResponseParser.parse("{\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8), 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no items");
  }
}
