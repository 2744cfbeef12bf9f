package dev.vigil.simulator;

import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the catalog to {@code vigil.catalog.services} and changes to {@code vigil.changes} with
 * a plain Kafka producer (idempotent, acks=all), serialized with the topics' own serdes. Every send
 * is awaited: a change the RCA stage never sees would make a bad deploy look like a mystery, so
 * failures are thrown, not dropped.
 */
public final class KafkaControlPlane implements ControlPlane {
  private final KafkaProducer<byte[], byte[]> producer;
  private final TopicSpec<String, ServiceInfo> catalog;
  private final TopicSpec<String, ChangeEvent> changes;

  /** A producer with {@code clientConfig} (bootstrap servers and security) to {@code topics}. */
  public KafkaControlPlane(Map<String, Object> clientConfig, TopicCatalog topics) {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-simulator");
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.catalog = topics.catalog;
    this.changes = topics.changes;
  }

  @Override
  public void catalog(List<ServiceInfo> entries) {
    for (ServiceInfo entry : entries) {
      send(catalog, entry.getService(), entry, null);
    }
    producer.flush();
  }

  @Override
  public void change(ChangeEvent change) {
    // The record's time is the change's event time: the RCA stage takes the earlier of the two,
    // and a simulation runs ahead of the wall clock.
    send(changes, change.getService(), change, change.getAt().toEpochMilli());
  }

  private <V> void send(TopicSpec<String, V> topic, String key, V value, Long timestamp) {
    byte[] k = topic.keySerde().serializer().serialize(topic.name(), key);
    byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
    try {
      producer
          .send(new ProducerRecord<>(topic.name(), null, timestamp, k, v))
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while publishing to " + topic.name(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("could not publish " + key + " to " + topic.name(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
