package dev.vigil.perf.pipeline;

import dev.vigil.bridge.internal.KafkaWriter;
import dev.vigil.bridge.internal.OtlpRecord;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.runtime.otlp.OtlpSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The raw Kafka ceiling on the same broker in the same run: a plain {@link KafkaProducer} with the
 * bridge's producer settings writes the very records the bridge writes for the synthetic load (one
 * per resource), and a plain {@link KafkaConsumer} reads them back at the same time. The figure is
 * telemetry items (points + spans + log records, in the load's mix) consumed per second.
 *
 * <p>Each measurement has a topic of its own, deleted afterwards, so the ramp can take one before
 * every step without filling the broker's disk; the records are built once, for all of them.
 */
final class Ceiling {
  private static final String TOPIC = "bench.ceiling.";

  private final String bootstrap;
  private final int partitions;
  private final List<OtlpRecord> records;
  private int measurements;

  /**
   * A ceiling on the broker at {@code bootstrap}, topics of {@code partitions}, load of {@code
   * signals}.
   */
  Ceiling(String bootstrap, int partitions, Set<OtlpSignal> signals) {
    this.bootstrap = bootstrap;
    this.partitions = partitions;
    this.records = records(signals);
  }

  /** Produces and consumes for {@code duration} on a topic of its own. */
  Result measure(Duration duration) throws Exception {
    String topic = TOPIC + ++measurements;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      try {
        return measure(topic, duration);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private Result measure(String topic, Duration duration) throws Exception {
    long bytesPerCycle = records.stream().mapToLong(r -> r.value().length).sum();
    long itemsPerCycle = records.stream().mapToLong(OtlpRecord::items).sum();
    Map<String, Object> producerConfig =
        new HashMap<>(KafkaWriter.producerConfig(8_000, 128L * 1024 * 1024));
    producerConfig.put("bootstrap.servers", bootstrap);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong consumedRecords = new AtomicLong();
    AtomicLong consumedBytes = new AtomicLong();
    Thread consumer =
        new Thread(
            () -> consume(bootstrap, topic, stop, consumedRecords, consumedBytes),
            "ceiling-consumer");
    consumer.start();
    Thread.sleep(2_000); // the consumer's assignment
    long cpu0 = Cpu.processNanos();
    long records0 = consumedRecords.get();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long produced = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      Semaphore window = new Semaphore(160);
      int i = 0;
      while (System.nanoTime() < end) {
        OtlpRecord record = records.get(i++ % records.size());
        window.acquire();
        producer.send(
            new ProducerRecord<>(topic, record.service(), record.value()),
            (metadata, error) -> window.release());
        produced += record.items();
      }
      producer.flush();
    }
    long elapsed = System.nanoTime() - start;
    // The producer cycles through the list in order: items per record is the cycle's mean.
    double consumed = (consumedRecords.get() - records0) * itemsPerCycle / (double) records.size();
    long cpu = Cpu.processNanos() - cpu0;
    stop.set(true);
    consumer.join();
    return new Result(
        consumed / (elapsed / 1e9),
        produced / (elapsed / 1e9),
        consumedBytes.get() / (elapsed / 1e9),
        cpu / (double) elapsed,
        bytesPerCycle / (double) itemsPerCycle);
  }

  private static void consume(
      String bootstrap, String topic, AtomicBoolean stop, AtomicLong records, AtomicLong bytes) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrap);
    config.put("group.id", topic);
    config.put("auto.offset.reset", "earliest");
    config.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!stop.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          records.incrementAndGet();
          bytes.addAndGet(record.value().length);
        }
      }
    }
  }

  /** The bridge's records for a few units of the synthetic load, of the given signals. */
  private static List<OtlpRecord> records(Set<OtlpSignal> signals) {
    SyntheticOtlp load = new SyntheticOtlp();
    RequestSplitter splitter = new RequestSplitter(900 * 1024);
    List<OtlpRecord> records = new ArrayList<>();
    for (int u = 0; u < SyntheticOtlp.SERVICES / SyntheticOtlp.SERVICES_PER_REQUEST; u++) {
      SyntheticOtlp.Unit unit = load.next(System.currentTimeMillis() * 1_000_000L);
      for (OtlpSignal signal : signals) {
        records.addAll(splitter.split(signal, unit.request(signal)).records());
      }
    }
    return records;
  }

  /**
   * @param itemsPerSecond items consumed per second while producing (the ceiling)
   * @param producedPerSecond items produced per second
   * @param bytesPerSecond record bytes consumed per second
   * @param cpuPerSecond process CPU seconds per second meanwhile
   * @param bytesPerItem record bytes per item in this mix
   */
  record Result(
      double itemsPerSecond,
      double producedPerSecond,
      double bytesPerSecond,
      double cpuPerSecond,
      double bytesPerItem) {}
}
