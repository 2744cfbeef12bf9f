package dev.vigil.chaos.deps;

import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads {@code vigil.forecasts} as a downstream app would ({@code read_committed}) on its own
 * thread from the start, noting when each forecast arrived, so a test can tell how long a window
 * waited for its forecast while a dependency misbehaved.
 */
final class ForecastReader implements AutoCloseable {
  private final TopicSpec<SeriesKey, Forecast> topic;
  private final KafkaConsumer<SeriesKey, Forecast> consumer;
  private final List<Arrived> arrived = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  /** Starts reading every partition of {@code topic} from its beginning. */
  ForecastReader(String bootstrapServers, TopicSpec<SeriesKey, Forecast> topic) {
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            topic.keySerde().deserializer(),
            topic.valueSerde().deserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name()).stream()
            .map(p -> new TopicPartition(topic.name(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::read, "forecast-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void read() {
    while (!stop.get()) {
      for (ConsumerRecord<SeriesKey, Forecast> r : consumer.poll(Duration.ofMillis(50))) {
        arrived.add(new Arrived(r.key(), r.value(), System.nanoTime()));
      }
    }
    consumer.close();
  }

  /** Forecasts read so far, in the order they arrived. */
  List<Arrived> arrived() {
    return List.copyOf(arrived);
  }

  /** How many forecasts were read so far. */
  int count() {
    return arrived.size();
  }

  @Override
  public void close() {
    stop.set(true);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "reader of " + topic.name();
  }

  /**
   * One forecast as it arrived.
   *
   * @param key its series
   * @param forecast the record
   * @param nanos {@link System#nanoTime()} when the reader got it
   */
  record Arrived(SeriesKey key, Forecast forecast, long nanos) {}
}
