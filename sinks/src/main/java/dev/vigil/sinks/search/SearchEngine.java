package dev.vigil.sinks.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sinks.common.HttpStatusException;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.HttpTarget.Request;
import dev.vigil.sinks.common.HttpTarget.Response;
import java.io.IOException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What the cluster behind the URL is and can do, read at task start from {@code GET /} and two
 * probes: OpenSearch answers with {@code version.distribution = "opensearch"}; Elasticsearch has
 * data streams and ILM only with its default (x-pack) distribution from 7.9 on, which {@code GET
 * _ilm/status} tells; OpenSearch has data streams from 1.0 and ISM only with the index-management
 * plugin, which {@code GET _plugins/_ism/policies} tells.
 *
 * @param distribution which product
 * @param version the version number, e.g. {@code 2.19.1}
 * @param dataStreams whether data streams can be created from an index template
 * @param lifecycle whether ILM (Elasticsearch) or ISM (OpenSearch) is there
 */
record SearchEngine(
    Distribution distribution, String version, boolean dataStreams, boolean lifecycle) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The two products that speak the protocol. */
  enum Distribution {
    ELASTICSEARCH,
    OPENSEARCH
  }

  /**
   * Asks the cluster.
   *
   * @throws ConnectException if {@code GET /} fails or does not look like either product
   */
  static SearchEngine probe(HttpTarget target) {
    Response root = target.send(Request.get("/"));
    JsonNode version;
    try {
      version = MAPPER.readTree(root.body()).path("version");
    } catch (IOException e) {
      throw new ConnectException("GET / did not answer JSON: is this Elasticsearch/OpenSearch?", e);
    }
    String number = version.path("number").asText("");
    if (number.isEmpty()) {
      throw new ConnectException("GET / has no version.number: is this Elasticsearch/OpenSearch?");
    }
    if ("opensearch".equals(version.path("distribution").asText())) {
      boolean ism = hasHandler(answer(target, "/_plugins/_ism/policies"));
      return new SearchEngine(Distribution.OPENSEARCH, number, true, ism);
    }
    boolean ilm = answer(target, "/_ilm/status").isSuccess();
    SearchEngine engine = new SearchEngine(Distribution.ELASTICSEARCH, number, false, ilm);
    return new SearchEngine(Distribution.ELASTICSEARCH, number, ilm && engine.atLeast(7, 9), ilm);
  }

  /** Whether the version is {@code major.minor} or later. */
  boolean atLeast(int major, int minor) {
    int actual = major(version);
    return actual > major || actual == major && minor(version) >= minor;
  }

  /** "OpenSearch 2.19.1 (data streams, no ISM)", for the start-up log. */
  String describe() {
    String product = distribution == Distribution.OPENSEARCH ? "OpenSearch" : "Elasticsearch";
    String policy = distribution == Distribution.OPENSEARCH ? "ISM" : "ILM";
    return product
        + " "
        + version
        + " ("
        + (dataStreams ? "data streams" : "no data streams")
        + ", "
        + (lifecycle ? policy : "no " + policy)
        + ")";
  }

  /**
   * The answer to a GET that tells a feature is there (any status), unless it is a 429 or 5xx: a
   * cluster still recovering must not be taken for one without ILM/ISM (and, on Elasticsearch,
   * without data streams) for the life of the task.
   *
   * @throws HttpStatusException (retriable) for a 429 or 5xx after the retries
   */
  private static Response answer(HttpTarget target, String path) {
    Response response = target.exchange(Request.get(path));
    if (HttpStatusException.isRetriable(response.status())) {
      throw new HttpStatusException("GET", path, response.status(), response.body());
    }
    return response;
  }

  /** A route that exists answers anything but "no handler found" (400) or 405. */
  private static boolean hasHandler(Response response) {
    return response.status() != 405 && !response.body().contains("no handler found");
  }

  private static int major(String number) {
    return part(number, 0);
  }

  private static int minor(String number) {
    return part(number, 1);
  }

  private static int part(String number, int index) {
    String[] parts = number.split("[.-]");
    try {
      return index < parts.length ? Integer.parseInt(parts[index]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
