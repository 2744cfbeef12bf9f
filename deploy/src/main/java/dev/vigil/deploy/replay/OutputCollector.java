package dev.vigil.deploy.replay;

import dev.vigil.schemas.topics.TopicSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Copies output topics into JSON-lines files as the apps write them: every committed record, in
 * offset order, one line each. Lines go to a temporary file beside the target, moved into place
 * only by {@link #commit}, so a failed replay never leaves a partial output behind.
 */
final class OutputCollector implements AutoCloseable {
  private record Output(
      TopicSpec<?, ?> topic,
      Function<Object, String> render,
      Path target,
      Path temp,
      BufferedWriter writer) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Output> outputs = new LinkedHashMap<>();
  private final Map<String, Long> lines = new HashMap<>();

  OutputCollector(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Adds a topic whose values {@code render} turns into one line each, written to {@code file}. */
  @SuppressWarnings("unchecked")
  <V> void add(TopicSpec<?, V> topic, Function<V, String> render, Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + absolute.getFileName(), ".partial");
    BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
    outputs.put(topic.name(), new Output(topic, v -> render.apply((V) v), absolute, temp, writer));
    lines.put(topic.name(), 0L);
  }

  /** Starts reading every added topic from its beginning. */
  void start() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : outputs.keySet()) {
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Writes whatever has arrived; returns at once when nothing has. */
  void pollAvailable() throws IOException {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(10))) {
      Output output = outputs.get(record.topic());
      if (record.value() == null) {
        continue; // a tombstone of a compacted topic: not a version to report
      }
      Object value =
          output.topic().valueSerde().deserializer().deserialize(record.topic(), record.value());
      output.writer().write(output.render().apply(value));
      output.writer().newLine();
      lines.merge(record.topic(), 1L, Long::sum);
    }
  }

  /** Reads up to the current end of every topic. */
  void drain() throws IOException {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      pollAvailable();
    }
  }

  /** Lines written so far for {@code topic}. */
  long lines(TopicSpec<?, ?> topic) {
    return lines.getOrDefault(topic.name(), 0L);
  }

  /** Flushes every file and moves it into place. */
  void commit() throws IOException {
    for (Output output : outputs.values()) {
      output.writer().close();
      Files.move(output.temp(), output.target(), StandardCopyOption.REPLACE_EXISTING);
    }
    outputs.clear();
  }

  /** Closes the consumer and deletes files not committed. */
  @Override
  public void close() throws IOException {
    consumer.close();
    for (Output output : outputs.values()) {
      output.writer().close();
      Files.deleteIfExists(output.temp());
    }
  }
}
