package dev.vigil.sinks.alertmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.sinks.common.HttpStatusException;
import dev.vigil.sinks.common.HttpTarget;
import java.util.List;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Posts alerts to Alertmanager's API v2 ({@code POST /api/v2/alerts}), a bounded batch at a time.
 */
final class AlertmanagerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ALERTS_PER_POST = 500;
  private static final String PATH = "/api/v2/alerts";

  private final HttpTarget target;

  AlertmanagerClient(HttpTarget target) {
    this.target = target;
  }

  /**
   * Posts alerts.
   *
   * @throws RetriableException if Alertmanager stayed unavailable through the retries
   * @throws HttpStatusException if it refused them (auth, validation)
   */
  void post(List<AmAlert> alerts) {
    for (int from = 0; from < alerts.size(); from += MAX_ALERTS_PER_POST) {
      List<AmAlert> part =
          alerts.subList(from, Math.min(alerts.size(), from + MAX_ALERTS_PER_POST));
      try {
        target.send(HttpTarget.Request.post(PATH, "application/json", json(part)));
      } catch (HttpStatusException e) {
        if (e.isRetriable()) {
          throw new RetriableException(e.getMessage() + " (retries spent)", e);
        }
        throw e;
      }
    }
  }

  static byte[] json(List<AmAlert> alerts) {
    ArrayNode array = JSON.createArrayNode();
    for (AmAlert alert : alerts) {
      ObjectNode node = array.addObject();
      ObjectNode labels = node.putObject("labels");
      alert.labels().forEach(labels::put);
      ObjectNode annotations = node.putObject("annotations");
      alert.annotations().forEach(annotations::put);
      node.put("startsAt", alert.startsAt().toString());
      node.put("endsAt", alert.endsAt().toString());
      if (!alert.generatorUrl().isEmpty()) {
        node.put("generatorURL", alert.generatorUrl());
      }
    }
    try {
      return JSON.writeValueAsBytes(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write alerts as JSON", e);
    }
  }
}
