package dev.vigil.sinks.search;

import dev.vigil.sinks.testing.SearchNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The search sink against a real OpenSearch 2.19 node (data streams; no ISM plugin in it). */
class SearchSinkOpenSearchIT extends SearchSinkContract {
  @RegisterExtension
  @Order(3)
  static final SearchNode NODE = SearchNode.openSearch();

  @Override
  SearchNode node() {
    return NODE;
  }

  @Override
  boolean dataStreams() {
    return true;
  }
}
