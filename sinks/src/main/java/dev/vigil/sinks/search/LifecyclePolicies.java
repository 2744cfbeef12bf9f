package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rollover and retention policy of the logs data stream, in the two dialects: Elasticsearch ILM
 * ({@code PUT _ilm/policy/<id>}, attached through the index template's {@code
 * index.lifecycle.name}) and OpenSearch ISM ({@code PUT _plugins/_ism/policies/<id>}, attached by
 * its own {@code ism_template} matching the data stream).
 *
 * @param id policy id
 * @param rolloverAge roll the write index over at this age, e.g. {@code 1d}
 * @param rolloverSize or at this primary size, e.g. {@code 50gb}
 * @param retention delete a backing index this long after its rollover, e.g. {@code 7d}
 */
record LifecyclePolicies(String id, String rolloverAge, String rolloverSize, String retention) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The ILM policy body.
   *
   * @param primaryShardSize whether the cluster knows {@code max_primary_shard_size} (Elasticsearch
   *     7.13+, where {@code max_size}, the whole index's size, is deprecated)
   */
  ObjectNode ilm(boolean primaryShardSize) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode phases = body.putObject("policy").putObject("phases");
    ObjectNode rollover = phases.putObject("hot").putObject("actions").putObject("rollover");
    rollover.put("max_age", rolloverAge);
    rollover.put(primaryShardSize ? "max_primary_shard_size" : "max_size", rolloverSize);
    ObjectNode delete = phases.putObject("delete");
    delete.put("min_age", retention);
    delete.putObject("actions").putObject("delete");
    return body;
  }

  /** The ISM policy body, managing every backing index of {@code dataStream}. */
  ObjectNode ism(String dataStream) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode policy = body.putObject("policy");
    policy.put(
        "description",
        "Vigil logs: rollover at "
            + rolloverAge
            + " or "
            + rolloverSize
            + ", deleted "
            + retention
            + " after creation");
    policy.put("default_state", "hot");
    ArrayNode states = policy.putArray("states");
    ObjectNode hot = states.addObject();
    hot.put("name", "hot");
    ObjectNode rollover = hot.putArray("actions").addObject().putObject("rollover");
    rollover.put("min_index_age", rolloverAge);
    rollover.put("min_size", rolloverSize);
    ObjectNode toDelete = hot.putArray("transitions").addObject();
    toDelete.put("state_name", "delete");
    toDelete.putObject("conditions").put("min_index_age", retention);
    ObjectNode delete = states.addObject();
    delete.put("name", "delete");
    delete.putArray("actions").addObject().putObject("delete");
    delete.putArray("transitions");
    ObjectNode template = policy.putArray("ism_template").addObject();
    template.putArray("index_patterns").add(dataStream);
    template.put("priority", IndexTemplates.PRIORITY);
    return body;
  }
}
