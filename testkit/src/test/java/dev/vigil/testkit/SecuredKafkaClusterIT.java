package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secured variant of the test cluster: SCRAM-SHA-512 over TLS and mutual TLS work with real
 * clients, and a wrong password, an untrusted CA or a missing client certificate are refused.
 */
@Timeout(120)
class SecuredKafkaClusterIT {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.secured();
  private static final String TOPIC = "secured-it";

  @BeforeAll
  static void createTopic() throws Exception {
    KAFKA.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
  }

  @Test
  void scramOverTlsProducesAndConsumes() throws Exception {
    Map<String, Object> config =
        KAFKA.saslSslClientConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "k", "over SASL_SSL")).get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> consumerConfig = new HashMap<>(config);
    consumerConfig.put("group.id", "secured-it");
    consumerConfig.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      List<String> values = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!values.contains("over SASL_SSL") && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      assertThat(values).contains("over SASL_SSL");
    }
  }

  @Test
  void mutualTlsListenerAcceptsTheClientCertificate() throws Exception {
    try (Admin admin = Admin.create(KAFKA.sslClientConfig())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    Map<String, Object> config =
        KAFKA.saslSslClientConfig(KafkaCluster.SCRAM_USER, "not-the-password");
    assertThatThrownBy(() -> describe(config))
        .hasCauseInstanceOf(SaslAuthenticationException.class)
        .hasMessageContaining("invalid credentials");
  }

  @Test
  void untrustedServerCertificateIsRefused() {
    Map<String, Object> config =
        KAFKA.saslSslClientConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword());
    config.put("ssl.truststore.location", KAFKA.certificates().otherCaPem().toString());
    assertThatThrownBy(() -> describe(config)).hasCauseInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void mutualTlsListenerRefusesAClientWithoutCertificate() {
    Map<String, Object> config = KAFKA.sslClientConfig();
    config.remove("ssl.keystore.type");
    config.remove("ssl.keystore.location");
    config.remove("ssl.keystore.password");
    config.remove("ssl.key.password");
    assertThatThrownBy(() -> describe(config)).hasCauseInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void plaintextListenerStillServesTheHelpers() throws Exception {
    KAFKA.produceRaw(TOPIC, null, "plain".getBytes(StandardCharsets.UTF_8));
    assertThat(KAFKA.consumeRaw(TOPIC, 1, Duration.ofSeconds(30))).isNotEmpty();
  }

  private static void describe(Map<String, Object> config)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    Map<String, Object> quick = new HashMap<>(config);
    quick.put("default.api.timeout.ms", 10_000);
    quick.put("request.timeout.ms", 5_000);
    try (Admin admin = Admin.create(quick)) {
      admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
    }
  }
}
