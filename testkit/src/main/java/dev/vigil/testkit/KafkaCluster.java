package dev.vigil.testkit;

import dev.vigil.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 */
public final class KafkaCluster implements BeforeAllCallback, AfterAllCallback {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, String> settings = new LinkedHashMap<>();
  private KafkaClusterTestKit cluster;
  private Admin admin;

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
    settings.forEach(builder::setConfigProp);
    cluster = builder.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
  }

  /** Stops the cluster and deletes its data. */
  public void stop() throws Exception {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (cluster != null) {
      cluster.close();
    }
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
