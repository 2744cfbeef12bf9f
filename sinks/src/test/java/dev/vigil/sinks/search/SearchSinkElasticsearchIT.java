package dev.vigil.sinks.search;

import dev.vigil.sinks.testing.SearchNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The search sink against a real Elasticsearch 7.10 node. The runner's build has no x-pack, so no
 * data streams and no ILM: logs go to a plain index of the same name, with the same template.
 */
class SearchSinkElasticsearchIT extends SearchSinkContract {
  @RegisterExtension
  @Order(3)
  static final SearchNode NODE = SearchNode.elasticsearch();

  @Override
  SearchNode node() {
    return NODE;
  }

  @Override
  boolean dataStreams() {
    return false;
  }
}
