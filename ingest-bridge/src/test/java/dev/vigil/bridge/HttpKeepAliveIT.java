package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.KafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many OTLP/HTTP clients on keep-alive connections: once each has been answered, all of them are
 * idle at once, and every one must still answer its client's next request. The JDK server alone
 * closes the connections beyond its 200th idle one without telling the client, whose next request
 * there then gets no answer at all.
 */
@Timeout(120)
class HttpKeepAliveIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final int CLIENTS = 300;

  private static BridgeFixture fixture;

  @BeforeAll
  static void startBridge() throws Exception {
    fixture = new BridgeFixture(KAFKA.bootstrapServers(), Map.of());
  }

  @AfterAll
  static void stopBridge() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void everyIdleKeepAliveConnectionServesTheNextRequest() throws Exception {
    List<Socket> connections = new ArrayList<>();
    try {
      // One request per connection, in turn: after the i-th answer, i connections are idle.
      for (int i = 0; i < CLIENTS; i++) {
        Socket socket = new Socket("127.0.0.1", fixture.bridge.httpPort());
        socket.setSoTimeout(10_000);
        connections.add(socket);
        String head = exchange(socket);
        assertThat(head).startsWith("HTTP/1.1 405");
        assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
      }
      // The client was told nothing else, so it reuses every one of them.
      int unanswered = 0;
      for (Socket socket : connections) {
        try {
          assertThat(exchange(socket)).startsWith("HTTP/1.1 405");
        } catch (IOException closedWithoutAnswer) {
          unanswered++;
        }
      }
      assertThat(unanswered).as("reused connections that got no answer").isZero();
    } finally {
      for (Socket socket : connections) {
        socket.close();
      }
    }
  }

  /**
   * Sends {@code GET /v1/traces} (answered 405 without touching Kafka) and reads the whole answer;
   * returns its head.
   */
  private static String exchange(Socket socket) throws IOException {
    socket
        .getOutputStream()
        .write(
            "GET /v1/traces HTTP/1.1\r\nHost: bridge\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " bytes of the answer");
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length =
        text.lines()
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .mapToInt(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
            .findFirst()
            .orElse(0);
    assertThat(in.readNBytes(length)).hasSize(length);
    return text;
  }
}
