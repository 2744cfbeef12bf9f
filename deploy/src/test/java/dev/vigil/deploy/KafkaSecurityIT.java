package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code vigil} against a broker reachable only with TLS and SCRAM-SHA-512: every app
 * runs with the password from a file (Kafka's FileConfigProvider) and the bridge token from the
 * environment, and no secret appears anywhere in its output, even with every library logging at
 * INFO; the management endpoint binds another interface than the receivers; a wrong password and an
 * untrusted broker certificate end the process with one line and exit status 4.
 */
@Timeout(240)
class KafkaSecurityIT {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.secured();
  private static final String TOKEN = "tok-5e1f0a77c2-bridge";
  private static final String WRONG_PASSWORD = "wrong-pw-91c3d7e2";
  private static final String MANAGEMENT_HOST = "127.0.0.2";
  private static final String RECEIVER_HOST = "127.0.0.1";

  @TempDir static Path dir;
  private static Path verboseLogging;

  @BeforeAll
  static void verboseLogging() throws IOException {
    // Kafka, Streams and Connect print their effective client settings at INFO: a leak would be
    // there.
    verboseLogging = dir.resolve("log4j2-info.xml");
    Files.writeString(
        verboseLogging,
        """
        <Configuration status="WARN" shutdownHook="disable">
          <Appenders><Console name="err" target="SYSTEM_ERR">
            <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n"/>
          </Console></Appenders>
          <Loggers><Root level="INFO"><AppenderRef ref="err"/></Root></Loggers>
        </Configuration>
        """);
  }

  @Test
  void everyAppRunsOverSaslSslWithSecretsFromFileAndEnvironmentNeverPrinted() throws Exception {
    Path secrets = dir.resolve("kafka-secrets.properties");
    Files.writeString(
        secrets,
        "sasl.jaas.config="
            + KafkaCluster.scramJaasConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword())
            + "\n");
    Path config = dir.resolve("vigil.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "bootstrap.servers=" + KAFKA.saslSslBootstrapServers(),
            "kafka.security.protocol=SASL_SSL",
            "kafka.sasl.mechanism=SCRAM-SHA-512",
            "kafka.config.providers=file",
            "kafka.config.providers.file.class="
                + "org.apache.kafka.common.config.provider.FileConfigProvider",
            "kafka.sasl.jaas.config=${file:" + secrets + ":sasl.jaas.config}",
            "kafka.ssl.truststore.type=PEM",
            "kafka.ssl.truststore.location=" + KAFKA.certificates().caPem(),
            "topic.replication.factor=1",
            "topic.partitions=1",
            "state.dir=" + dir.resolve("state"),
            "management.host=" + MANAGEMENT_HOST,
            "management.port=0",
            "bridge.host=" + RECEIVER_HOST,
            "bridge.grpc.port=0",
            "bridge.http.port=0",
            // A receiver that is never reached: the sink's Connect worker still connects to Kafka.
            "sinks.prometheus.url=http://127.0.0.1:9/api/v1/write",
            ""));
    Map<String, String> env = Map.of("VIGIL_BRIDGE_AUTH_TOKENS", TOKEN + "=shop");

    try (VigilProcess vigil =
        VigilProcess.start(
            env,
            List.of("-Dlog4j2.configurationFile=" + verboseLogging),
            "run",
            "bridge",
            "enrichment",
            "anomaly",
            "forecast",
            "rca",
            "sinks",
            "--config",
            config.toString())) {
      await("vigil run ready")
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(vigil.isAlive())
                    .as("vigil exited early:\n%s", tail(vigil.stderr()))
                    .isTrue();
                assertThat(vigil.stdout()).contains("Press Ctrl-C to stop.");
              });
      int management = port(vigil.stdout(), "http://" + MANAGEMENT_HOST + ":(\\d+)/metrics");
      int otlpHttp = port(vigil.stdout(), "HTTP " + Pattern.quote(RECEIVER_HOST) + ":(\\d+)");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

      // Every Streams app and the Connect worker reach RUNNING only through the SASL_SSL listener.
      await("every app ready")
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(get(http, MANAGEMENT_HOST, management, "/health/ready").statusCode())
                      .as(
                          "ready: %s",
                          get(http, MANAGEMENT_HOST, management, "/health/ready").body())
                      .isEqualTo(200));
      // Management on its own interface only, the receivers on theirs only.
      assertThatThrownBy(() -> get(http, RECEIVER_HOST, management, "/health/ready"))
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> get(http, MANAGEMENT_HOST, otlpHttp, "/v1/traces"))
          .isInstanceOf(ConnectException.class);

      HttpResponse<String> sent =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + RECEIVER_HOST + ":" + otlpHttp + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf")
                  .header("Authorization", "Bearer " + TOKEN)
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          Otlp.traces("secure-it", Otlp.span("GET /pay", 3)).toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(sent.statusCode()).isEqualTo(200);
      List<ConsumerRecord<byte[], byte[]>> spans =
          KAFKA.consumeRaw("otlp_spans", 1, Duration.ofSeconds(30));
      assertThat(new String(spans.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("secure-it");
      assertThat(spans.get(0).headers().lastHeader("vigil.tenant").value())
          .asString(StandardCharsets.UTF_8)
          .isEqualTo("shop");

      assertThat(vigil.terminate(Duration.ofSeconds(30))).isIn(0, 143);
      String output = vigil.stdout() + vigil.stderr();
      assertThat(output).contains("Vigil stopped").contains("sasl.jaas.config = [hidden]");
      assertNoSecret(output, KAFKA.scramPassword(), TOKEN);
    }
  }

  @Test
  void wrongPasswordEndsWithOneLineAndStatus4() throws Exception {
    VigilProcess vigil =
        VigilProcess.run(
            Duration.ofSeconds(90),
            securedEnv(KafkaCluster.scramJaasConfig(KafkaCluster.SCRAM_USER, WRONG_PASSWORD)),
            runBridgeArgs());

    assertThat(vigil.exitValue()).as(vigil.stderr()).isEqualTo(4);
    assertOneLineFailure(
        vigil.stderr(),
        "vigil: Kafka at "
            + KAFKA.saslSslBootstrapServers()
            + ": SASL login refused: Authentication failed during authentication due to invalid"
            + " credentials with SASL mechanism SCRAM-SHA-512");
    assertNoSecret(vigil.stdout() + vigil.stderr(), WRONG_PASSWORD);
  }

  @Test
  void untrustedBrokerCertificateEndsWithOneLineAndStatus4() throws Exception {
    Map<String, String> env =
        new HashMap<>(
            securedEnv(
                KafkaCluster.scramJaasConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword())));
    env.put("VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION", KAFKA.certificates().otherCaPem().toString());
    VigilProcess vigil = VigilProcess.run(Duration.ofSeconds(90), env, runBridgeArgs());

    assertThat(vigil.exitValue()).as(vigil.stderr()).isEqualTo(4);
    assertOneLineFailure(
        vigil.stderr(),
        "vigil: Kafka at " + KAFKA.saslSslBootstrapServers() + ": TLS handshake failed: ");
    assertThat(vigil.stderr()).contains("unable to find valid certification path");
    assertNoSecret(vigil.stdout() + vigil.stderr(), KAFKA.scramPassword());
  }

  @Test
  void mutualTlsWithTheKeystorePasswordFromTheEnvironment() throws Exception {
    KAFKA.admin().createTopics(List.of(new NewTopic("mtls-probe", 1, (short) 1))).all().get();
    String password = KAFKA.certificates().clientKeystorePassword();
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_KAFKA_SECURITY_PROTOCOL", "SSL");
    env.put("VIGIL_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
    env.put("VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION", KAFKA.certificates().caPem().toString());
    env.put("VIGIL_KAFKA_SSL_KEYSTORE_TYPE", "PKCS12");
    env.put("VIGIL_KAFKA_SSL_KEYSTORE_LOCATION", KAFKA.certificates().clientKeystore().toString());
    env.put("VIGIL_KAFKA_SSL_KEYSTORE_PASSWORD", password);
    env.put("VIGIL_KAFKA_SSL_KEY_PASSWORD", password);
    VigilProcess vigil =
        VigilProcess.run(
            Duration.ofSeconds(60), env, "topics", "list", "-b", KAFKA.sslBootstrapServers());

    assertThat(vigil.exitValue()).as(vigil.stderr()).isZero();
    assertThat(vigil.stdout()).contains("mtls-probe");
    assertNoSecret(vigil.stdout() + vigil.stderr(), password);
  }

  @Test
  void effectiveSettingsMaskSecretsFromTheEnvironment() throws Exception {
    Map<String, String> env =
        new HashMap<>(
            securedEnv(
                KafkaCluster.scramJaasConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword())));
    env.put("VIGIL_BRIDGE_AUTH_TOKENS", TOKEN + "=shop");
    env.put("VIGIL_SINKS_SEARCH_URL", "https://vigil:pa55-search-77@search.internal:9200");
    VigilProcess vigil = VigilProcess.run(Duration.ofSeconds(60), env, "config", "--effective");

    assertThat(vigil.exitValue()).as(vigil.stderr()).isZero();
    assertThat(vigil.stdout())
        .contains(
            "kafka.sasl.jaas.config=[hidden] (environment variable VIGIL_KAFKA_SASL_JAAS_CONFIG)")
        .contains("bridge.auth.tokens=[hidden]")
        .contains("sinks.search.url=https://vigil:[hidden]@search.internal:9200");
    assertNoSecret(vigil.stdout() + vigil.stderr(), KAFKA.scramPassword(), TOKEN, "pa55-search-77");
  }

  /** The SASL_SSL client settings as {@code VIGIL_KAFKA_*} variables, JAAS config given. */
  private static Map<String, String> securedEnv(String jaasConfig) {
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_BOOTSTRAP_SERVERS", KAFKA.saslSslBootstrapServers());
    env.put("VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("VIGIL_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("VIGIL_KAFKA_SASL_JAAS_CONFIG", jaasConfig);
    env.put("VIGIL_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
    env.put("VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION", KAFKA.certificates().caPem().toString());
    return env;
  }

  private static String[] runBridgeArgs() {
    return new String[] {
      "run",
      "bridge",
      "--set",
      "management.port=0",
      "--set",
      "bridge.grpc.port=0",
      "--set",
      "bridge.http.port=0",
      "--set",
      "state.dir=" + dir.resolve("state-failing")
    };
  }

  private static void assertOneLineFailure(String stderr, String expectedStart) {
    List<String> vigilLines = stderr.lines().filter(l -> l.startsWith("vigil")).toList();
    assertThat(vigilLines).as(stderr).hasSize(1);
    assertThat(vigilLines.get(0)).startsWith(expectedStart);
    assertThat(stderr).as("no stack trace").doesNotContain("\tat ");
  }

  private static void assertNoSecret(String output, String... secrets) {
    for (String secret : secrets) {
      assertThat(count(output, secret)).as("occurrences of a secret in the output").isZero();
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static int port(String stdout, String regex) {
    Matcher m = Pattern.compile(regex).matcher(stdout);
    assertThat(m.find()).as("%s in:\n%s", regex, stdout).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static HttpResponse<String> get(HttpClient http, String host, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String tail(String text) {
    return text.length() <= 8_000 ? text : text.substring(text.length() - 8_000);
  }
}
