package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LifecyclePoliciesTest {
  private final LifecyclePolicies policies =
      new LifecyclePolicies("vigil-logs", "1d", "50gb", "7d");

  @Test
  void ilmRollsOverInHotAndDeletesAfterRetention() {
    assertThat(policies.ilm(true).toString())
        .isEqualTo(
            "{\"policy\":{\"phases\":{"
                + "\"hot\":{\"actions\":{\"rollover\":{\"max_age\":\"1d\",\"max_primary_shard_size\":\"50gb\"}}},"
                + "\"delete\":{\"min_age\":\"7d\",\"actions\":{\"delete\":{}}}}}}");
    assertThat(policies.ilm(false).path("policy").path("phases").path("hot").toString())
        .as("before 7.13: the index size")
        .isEqualTo("{\"actions\":{\"rollover\":{\"max_age\":\"1d\",\"max_size\":\"50gb\"}}}");
  }

  @Test
  void ismRollsOverDeletesAndAttachesItselfToTheDataStream() {
    String ism = policies.ism("logs-vigil-prod").toString();

    assertThat(ism)
        .contains("\"default_state\":\"hot\"")
        .contains("{\"rollover\":{\"min_index_age\":\"1d\",\"min_size\":\"50gb\"}}")
        .contains("{\"state_name\":\"delete\",\"conditions\":{\"min_index_age\":\"7d\"}}")
        .contains("{\"name\":\"delete\",\"actions\":[{\"delete\":{}}],\"transitions\":[]}")
        .contains("\"ism_template\":[{\"index_patterns\":[\"logs-vigil-prod\"],\"priority\":200}]");
  }

  @Test
  void theLogsTemplateCarriesTheIlmPolicyAndTheDataStreamFlag() {
    String template =
        IndexTemplates.body("logs-vigil-prod", IndexTemplates.LOGS_MAPPINGS, true, "vigil-logs")
            .toString();

    assertThat(template)
        .startsWith(
            "{\"index_patterns\":[\"logs-vigil-prod\"],\"priority\":200,\"data_stream\":{},"
                + "\"template\":{\"settings\":{\"index.lifecycle.name\":\"vigil-logs\"},\"mappings\":{")
        .contains("\"@timestamp\":{\"type\":\"date_nanos\"}");
    assertThat(IndexTemplates.body("x", "NoSuchType", false, null).toString())
        .as("an unknown record type gets the generic mappings")
        .isEqualTo(
            "{\"index_patterns\":[\"x\"],\"priority\":200,\"template\":{\"mappings\":"
                + IndexTemplates.mappings(IndexTemplates.GENERIC_MAPPINGS)
                + "}}");
  }
}
