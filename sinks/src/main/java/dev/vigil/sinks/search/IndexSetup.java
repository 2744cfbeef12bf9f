package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.HttpTarget.Request;
import dev.vigil.sinks.common.HttpTarget.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs what the indices need before their first document: an index template per index (its
 * mappings only apply to an index created after it) and the logs data stream's rollover and
 * retention policy. Every call is an idempotent PUT, so tasks racing each other agree.
 */
final class IndexSetup {
  private static final Logger LOGGER = LoggerFactory.getLogger(IndexSetup.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON = "application/json";

  private final HttpTarget target;
  private final SearchEngine engine;
  private final Set<String> ready = new HashSet<>();

  IndexSetup(HttpTarget target, SearchEngine engine) {
    this.target = target;
    this.engine = engine;
  }

  /**
   * Installs the template of a Vigil index once per task. The index counts as ready only once the
   * PUT succeeded: if the cluster was unreachable, the redelivered batch tries again, instead of
   * letting the first document create the index with dynamic mappings (a text {@code state}, a
   * string {@code @timestamp}) that no later template can fix.
   */
  void ensureIndex(String index, String mappings) {
    if (!ready.contains(index)) {
      putTemplate(index, IndexTemplates.body(index, mappings, false, null));
      ready.add(index);
    }
  }

  /**
   * Installs the logs data stream's policy and template. Without data streams (Elasticsearch's OSS
   * distribution) the logs go to a plain index of the same name; without ILM or ISM no policy is
   * installed. Both are logged, since retention is then up to the operator.
   *
   * @param policy the policy, or null to install none
   * @return whether {@code name} is a data stream (documents must then be sent with create)
   */
  boolean ensureLogs(String name, LifecyclePolicies policy) {
    String ilm = null;
    if (policy != null && engine.lifecycle()) {
      if (engine.distribution() == SearchEngine.Distribution.ELASTICSEARCH) {
        target.send(
            Request.put(
                "/_ilm/policy/" + encode(policy.id()),
                JSON,
                bytes(policy.ilm(engine.atLeast(7, 13)))));
        ilm = policy.id();
      } else {
        putIsmPolicy(policy, name);
      }
      LOGGER.info("Lifecycle policy {} installed for {}", policy.id(), name);
    } else if (policy != null) {
      LOGGER.warn(
          "{} has no {}: {} gets no rollover or retention policy; manage its size yourself",
          engine.describe(),
          engine.distribution() == SearchEngine.Distribution.OPENSEARCH ? "ISM plugin" : "ILM",
          name);
    }
    if (!engine.dataStreams()) {
      LOGGER.warn("{} has no data streams: logs go to the plain index {}", engine.describe(), name);
    }
    putTemplate(
        name, IndexTemplates.body(name, IndexTemplates.LOGS_MAPPINGS, engine.dataStreams(), ilm));
    ready.add(name);
    return engine.dataStreams();
  }

  /** ISM refuses a plain PUT over an existing policy: update it with its sequence number. */
  private void putIsmPolicy(LifecyclePolicies policy, String dataStream) {
    String path = "/_plugins/_ism/policies/" + encode(policy.id());
    byte[] body = bytes(policy.ism(dataStream));
    Response existing = target.exchange(Request.get(path));
    if (existing.status() == 404) {
      target.send(Request.put(path, JSON, body));
      return;
    }
    if (!existing.isSuccess()) {
      target.send(Request.get(path)); // throws with the status and body
    }
    JsonNode current = read(existing.body());
    String query =
        "?if_seq_no="
            + current.path("_seq_no").asLong()
            + "&if_primary_term="
            + current.path("_primary_term").asLong();
    target.send(Request.put(path + query, JSON, body));
  }

  private void putTemplate(String index, JsonNode body) {
    target.send(
        Request.put("/_index_template/" + encode(IndexTemplates.name(index)), JSON, bytes(body)));
    LOGGER.info("Index template {} installed for {}", IndexTemplates.name(index), index);
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("ISM answered no JSON: " + body, e);
    }
  }
}
