package dev.vigil.sinks.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ConnectWorkerIT {
  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final ConnectWorker CONNECT = new ConnectWorker(KAFKA);

  @Test
  void embeddedWorkerIsHealthyAndListsNoConnectors() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI rest = CONNECT.connect().restUrl();

    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(rest.resolve("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> connectors =
        client.send(
            HttpRequest.newBuilder(rest.resolve("/connectors")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(connectors.body()).isEqualTo("[]");
  }
}
