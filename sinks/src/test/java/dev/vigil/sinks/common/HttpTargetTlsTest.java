package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS targets: a real TLS server with a certificate made at test time by the JDK's keytool,
 * trusted through a PEM file or a PKCS12 truststore, and refused without them.
 */
class HttpTargetTlsTest {
  private static final String PASSWORD = "changeit";

  @TempDir static Path dir;
  private static HttpsServer server;
  private static Path pem;
  private static Path truststore;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    Path keystore = dir.resolve("server.p12");
    pem = dir.resolve("ca.pem");
    truststore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        pem.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        pem.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        PASSWORD);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static HttpTarget target(String... trust) {
    Map<String, String> props = new java.util.HashMap<>();
    props.put(HttpConfigs.URL_CONFIG, "https://127.0.0.1:" + server.getAddress().getPort());
    props.put(HttpConfigs.MAX_RETRIES_CONFIG, "0");
    for (int i = 0; i < trust.length; i += 2) {
      props.put(trust[i], trust[i + 1]);
    }
    HttpSettings settings =
        HttpConfigs.settings(new AbstractConfig(HttpConfigs.define(new ConfigDef()), props));
    return new HttpTarget(settings, d -> {}, RandomGenerator.getDefault());
  }

  @Test
  void trustsTheServerThroughAPemFile() {
    assertThat(
            target(HttpConfigs.CA_PEM_LOCATION_CONFIG, pem.toString())
                .send(HttpTarget.Request.get("/"))
                .status())
        .isEqualTo(204);
  }

  @Test
  void trustsTheServerThroughATruststore() {
    HttpTarget target =
        target(
            HttpConfigs.TRUSTSTORE_LOCATION_CONFIG,
            truststore.toString(),
            HttpConfigs.TRUSTSTORE_PASSWORD_CONFIG,
            PASSWORD);
    assertThat(target.send(HttpTarget.Request.get("/")).status()).isEqualTo(204);
  }

  @Test
  void refusesAnUntrustedServer() {
    assertThatThrownBy(() -> target().send(HttpTarget.Request.get("/")))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("GET https://127.0.0.1:");
  }

  @Test
  void plainSettingsHaveNoTls() {
    assertThat(HttpSettings.plain(URI.create("http://x")).tls()).isEqualTo(Optional.empty());
    assertThat(HttpSettings.plain(URI.create("http://x")).requestTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }
}
