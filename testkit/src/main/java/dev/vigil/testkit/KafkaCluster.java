package dev.vigil.testkit;

import dev.vigil.schemas.topics.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka cluster in the test JVM, shared by the tests of one class.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
 * }</pre>
 *
 * <p>It wraps Kafka's internal {@code KafkaClusterTestKit}, so a Kafka upgrade touches this one
 * file. Settings are those a one-broker cluster needs for transactions (exactly-once) to work.
 *
 * <p>{@link #secured()} adds two listeners for security tests: {@code SASL_SSL} with SCRAM-SHA-512
 * users ({@link #saslSslBootstrapServers()}) and {@code SSL} with client certificates required
 * ({@link #sslBootstrapServers()}), with certificates made at start ({@link TestCertificates}).
 * {@link #bootstrapServers()} stays the plaintext listener, which this class's own helpers use.
 */
public final class KafkaCluster implements BeforeAllCallback, AfterAllCallback {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final String SASL_SSL_LISTENER = "SASL_SSL";
  private static final String SSL_LISTENER = "SSL";

  /** SASL mechanism of the secured listener: {@value}. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  /** The SCRAM user {@link #secured()} creates, with a random {@link #scramPassword()}. */
  public static final String SCRAM_USER = "vigil";

  private final boolean secured;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private KafkaClusterTestKit cluster;
  private Admin admin;
  private Path securityDir;
  private TestCertificates certificates;
  private String scramPassword;

  /** A plaintext cluster. */
  public KafkaCluster() {
    this(false);
  }

  private KafkaCluster(boolean secured) {
    this.secured = secured;
  }

  /**
   * A cluster that also has a {@code SASL_SSL} listener (SCRAM-SHA-512, user {@link #SCRAM_USER})
   * and an {@code SSL} listener requiring a client certificate. Needs {@code openssl}.
   */
  public static KafkaCluster secured() {
    return new KafkaCluster(true);
  }

  /**
   * Adds broker settings on top of those a one-broker cluster needs, e.g. to turn retention checks
   * off for records with old event times; call before the cluster starts.
   */
  public KafkaCluster withSettings(Map<String, String> brokerSettings) {
    settings.putAll(brokerSettings);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** Starts the cluster (the extension calls this before the first test). */
  public void start() throws Exception {
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("share.coordinator.state.topic.min.isr", "1");
    if (secured) {
      securityDir = Files.createTempDirectory("vigil-kafka-tls-");
      certificates = TestCertificates.generate(securityDir);
      securedListeners().forEach(builder::setConfigProp);
    }
    settings.forEach(builder::setConfigProp);
    cluster = builder.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    if (secured) {
      scramPassword = "scram-" + randomHex();
      addScramUser(SCRAM_USER, scramPassword);
    }
  }

  /**
   * The broker settings of the secured listeners. The plaintext listener ({@code EXTERNAL}) and the
   * controller keep the names and ports the test kit pre-binds; the two new listeners bind free
   * ports ({@code :0}) and the broker advertises the ports it got.
   */
  private Map<String, Object> securedListeners() {
    Map<String, Object> props = new HashMap<>();
    props.put(
        "listeners",
        "EXTERNAL://localhost:0,CONTROLLER://localhost:0,"
            + SASL_SSL_LISTENER
            + "://localhost:0,"
            + SSL_LISTENER
            + "://localhost:0");
    props.put(
        "listener.security.protocol.map",
        "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL");
    props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
    props.put(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.put("ssl.keystore.type", "PEM");
    props.put("ssl.keystore.location", certificates.brokerKeystorePem().toString());
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", certificates.caPem().toString());
    props.put("listener.name.ssl.ssl.client.auth", "required");
    return props;
  }

  /**
   * Creates or replaces a SCRAM-SHA-512 user and waits until the broker accepts its login (SCRAM
   * credentials reach the broker through the metadata log).
   */
  public void addScramUser(String user, String password) throws Exception {
    requireSecured();
    admin
        .alterUserScramCredentials(
            List.of(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
        .all()
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, Object> config = new HashMap<>(saslSslClientConfig(user, password));
    config.put("default.api.timeout.ms", 5_000);
    config.put("request.timeout.ms", 5_000);
    org.awaitility.Awaitility.await("SCRAM login of " + user)
        .atMost(CALL_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              try (Admin client = Admin.create(config)) {
                return client.describeCluster().clusterId().get(10, TimeUnit.SECONDS) != null;
              }
            });
  }

  /** Stops the cluster and deletes its data. */
  public void stop() throws Exception {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (cluster != null) {
      cluster.close();
    }
    if (securityDir != null) {
      try (var files = Files.walk(securityDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** host:port of the {@code SASL_SSL} listener (SCRAM-SHA-512) of a {@link #secured()} cluster. */
  public String saslSslBootstrapServers() {
    return listenerAddress(SASL_SSL_LISTENER);
  }

  /** host:port of the {@code SSL} listener (client certificate required). */
  public String sslBootstrapServers() {
    return listenerAddress(SSL_LISTENER);
  }

  /** The certificates of a {@link #secured()} cluster. */
  public TestCertificates certificates() {
    requireSecured();
    return certificates;
  }

  /** The password of {@link #SCRAM_USER}, random per cluster. */
  public String scramPassword() {
    requireSecured();
    return scramPassword;
  }

  /**
   * Client settings for the {@code SASL_SSL} listener as {@code user}: bootstrap servers, protocol,
   * mechanism, JAAS config and the test CA as a PEM truststore.
   */
  public Map<String, Object> saslSslClientConfig(String user, String password) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", saslSslBootstrapServers());
    config.put("security.protocol", "SASL_SSL");
    config.put("sasl.mechanism", SCRAM_MECHANISM);
    config.put("sasl.jaas.config", scramJaasConfig(user, password));
    config.put("ssl.truststore.type", "PEM");
    config.put("ssl.truststore.location", certificates().caPem().toString());
    return config;
  }

  /** Client settings for the {@code SSL} listener with the test client certificate. */
  public Map<String, Object> sslClientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", sslBootstrapServers());
    config.put("security.protocol", "SSL");
    config.put("ssl.truststore.type", "PEM");
    config.put("ssl.truststore.location", certificates().caPem().toString());
    config.put("ssl.keystore.type", "PKCS12");
    config.put("ssl.keystore.location", certificates().clientKeystore().toString());
    config.put("ssl.keystore.password", certificates().clientKeystorePassword());
    config.put("ssl.key.password", certificates().clientKeystorePassword());
    return config;
  }

  /** The {@code sasl.jaas.config} value that logs {@code user} in with SCRAM. */
  public static String scramJaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private String listenerAddress(String listener) {
    requireSecured();
    BrokerServer broker = cluster.brokers().values().iterator().next();
    return "localhost:" + broker.boundPort(ListenerName.normalised(listener));
  }

  private void requireSecured() {
    if (!secured) {
      throw new IllegalStateException("not a secured cluster: use KafkaCluster.secured()");
    }
  }

  private static String randomHex() {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /**
   * Stops the broker (the KRaft controller keeps running), as a broker crash or restart would;
   * {@link #startBroker()} brings it back on the same port with its data.
   */
  public void stopBroker() {
    for (BrokerServer broker : cluster.brokers().values()) {
      broker.shutdown();
      broker.awaitShutdown();
    }
  }

  /** Starts the broker stopped by {@link #stopBroker()} and waits until it serves. */
  public void startBroker() throws Exception {
    for (BrokerServer broker : cluster.brokers().values()) {
      broker.startup();
    }
    cluster.waitForReadyBrokers();
  }

  /** host:port of the broker. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** A shared admin client (do not close it). */
  public Admin admin() {
    return admin;
  }

  /** Creates topics as the catalog describes them. */
  public void createTopics(TopicSpec<?, ?>... specs) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec<?, ?> spec : specs) {
      topics.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
    }
    admin.createTopics(topics).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes typed records to a catalog topic and waits until they are acknowledged. */
  @SafeVarargs
  public final <K, V> void produce(TopicSpec<K, V> topic, Map.Entry<K, V>... records)
      throws Exception {
    try (KafkaProducer<K, V> producer =
        new KafkaProducer<>(
            producerConfig(), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (Map.Entry<K, V> record : records) {
        producer.send(new ProducerRecord<>(topic.name(), record.getKey(), record.getValue())).get();
      }
    }
  }

  /** Writes raw bytes to a topic (e.g. a poison record) and waits until it is acknowledged. */
  public void produceRaw(String topic, byte[] key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /**
   * Reads committed records of a catalog topic from the beginning until {@code count} arrived.
   *
   * @throws AssertionError if fewer arrive within {@code timeout}
   */
  public <K, V> List<ConsumerRecord<K, V>> consume(
      TopicSpec<K, V> topic, int count, Duration timeout) {
    return consume(
        topic.name(),
        topic.keySerde().deserializer(),
        topic.valueSerde().deserializer(),
        count,
        timeout);
  }

  /** Reads committed raw records of a topic from the beginning until {@code count} arrived. */
  public List<ConsumerRecord<byte[], byte[]>> consumeRaw(
      String topic, int count, Duration timeout) {
    return consume(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), count, timeout);
  }

  /**
   * Reads committed records of a catalog topic from the beginning until {@code done} holds for
   * everything read so far.
   *
   * @throws AssertionError if it does not hold within {@code timeout}
   */
  public <K, V> List<ConsumerRecord<K, V>> consumeUntil(
      TopicSpec<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout) {
    return consume(
        topic.name(),
        topic.keySerde().deserializer(),
        topic.valueSerde().deserializer(),
        done,
        timeout);
  }

  private <K, V> List<ConsumerRecord<K, V>> consume(
      String topic, Deserializer<K> keys, Deserializer<V> values, int count, Duration timeout) {
    return consume(topic, keys, values, records -> records.size() >= count, timeout);
  }

  private <K, V> List<ConsumerRecord<K, V>> consume(
      String topic,
      Deserializer<K> keys,
      Deserializer<V> values,
      Predicate<List<ConsumerRecord<K, V>>> done,
      Duration timeout) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "testkit-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    List<ConsumerRecord<K, V>> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
      consumer.subscribe(List.of(topic));
      while (!done.test(received) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    if (!done.test(received)) {
      throw new AssertionError(
          "expected records did not arrive on "
              + topic
              + " within "
              + timeout
              + ", got "
              + received.size()
              + ": "
              + Arrays.toString(
                  received.stream().map(r -> r.topic() + "@" + r.offset()).toArray()));
    }
    return received;
  }

  private Map<String, Object> producerConfig() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers(),
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true);
  }
}
