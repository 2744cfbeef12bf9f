package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import dev.vigil.chaos.fuzz.Mutant;
import dev.vigil.chaos.fuzz.Mutation.Encoding;
import dev.vigil.chaos.fuzz.OtlpMutator;
import dev.vigil.chaos.fuzz.OtlpSamples;
import dev.vigil.enrichment.EnrichmentApp;
import dev.vigil.enrichment.EnrichmentConfig;
import dev.vigil.enrichment.EnrichmentTopology;
import dev.vigil.enrichment.internal.InputGuard;
import dev.vigil.enrichment.internal.InputRejectedException;
import dev.vigil.enrichment.internal.OtlpDeserializer;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 mutated OTLP records (protobuf and JSON) written straight onto {@code otlp_metrics},
 * {@code otlp_spans} and {@code otlp_logs}, as a misbehaving Collector could, with a good record
 * after every nine, against the real enrichment app on a real broker.
 *
 * <p>The app must stay RUNNING; every record it cannot decode must be on {@code
 * vigil.dlq.enrichment} (deserialization stage), every record its input checks refuse (strings over
 * the limit, event times out of range) too (processing stage, with the reason), both counted on
 * {@code /metrics}; and the good records between them must give exactly the windows they would give
 * alone.
 *
 * <p>Times: mutants carry event and record time T0; good records T0 + 60 min and later, beyond any
 * time a mutant may legally have (T0 + {@code enrichment.input.max.future.ms}, 55 min), so no
 * mutant can make a good record late, while good records may make mutants late (counted).
 */
@Timeout(180)
class RawTopicFuzzIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  static final long SEED = 20261205L;
  static final int MUTANTS = 10_000;
  static final int GOOD_EVERY = 10;
  static final int SLOTS = MUTANTS + (MUTANTS + GOOD_EVERY - 2) / (GOOD_EVERY - 1);
  static final String GOOD = "good";

  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(90));
  private static final Instant GOOD_START = T0.plus(Duration.ofMinutes(60));
  private static TopicCatalog topics;
  private static PrometheusMeterRegistry registry;
  private static StreamsApp app;

  @BeforeAll
  static void startApp() throws Exception {
    EnrichmentConfig config =
        EnrichmentConfig.load(
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers",
                        KAFKA.bootstrapServers(),
                        "state.dir",
                        stateDir.toString(),
                        "topic.partitions",
                        "1",
                        "enrichment.window.grace.ms",
                        "10000")));
    topics =
        TopicCatalog.create(
            config.core().topicPrefix(),
            config.core().topicPartitions(),
            config.core().topicReplicationFactor());
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    specs.add(topics.dlq(EnrichmentTopology.APP));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(specs).ok())
        .isTrue();
    registry = Metrics.newRegistry();
    app = new EnrichmentApp.Definition().create(config.core(), topics, registry);
    app.start();
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void badRecordsGoToTheDlqWithTheirReasonAndGoodOnesGiveTheirWindows() throws Exception {
    Map<String, Expected> expected = new HashMap<>(); // by "topic@offset"
    Map<OtlpSignal, Integer> goodRequests = new HashMap<>();
    long started = System.nanoTime();
    // Deep stacks: encoding a 3,000-level nested attribute recurses that deep.
    java.util.concurrent.FutureTask<Integer> producing =
        new java.util.concurrent.FutureTask<>(() -> produceAll(expected, goodRequests));
    new Thread(null, producing, "fuzz-producer", 64 << 20).start();
    int refusedByKafka = producing.get(120, TimeUnit.SECONDS);

    // Everything consumed (the committed offsets are at the end of the three raw topics).
    await("the app consumed every raw record")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(RawTopicFuzzIT::consumedEverything);
    double seconds = (System.nanoTime() - started) / 1e9;

    // The DLQ holds exactly the records the deserializer and the input checks refuse.
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(topics.dlq(EnrichmentTopology.APP).name());
    Map<String, Long> deadByStage = new TreeMap<>();
    Map<String, String> deadByOrigin = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      String stage = header(record, DeadLetters.HEADER_STAGE);
      String message = header(record, DeadLetters.HEADER_MESSAGE);
      assertThat(message).as("reason of a dead letter").isNotBlank();
      deadByStage.merge(stage, 1L, Long::sum);
      deadByOrigin.put(
          header(record, DeadLetters.HEADER_TOPIC)
              + "@"
              + header(record, DeadLetters.HEADER_OFFSET),
          stage + ": " + message);
    }
    Map<String, Long> byOutcome = new TreeMap<>();
    List<String> mismatches = new ArrayList<>();
    expected.forEach(
        (origin, want) -> {
          byOutcome.merge(want.outcome().name(), 1L, Long::sum);
          String got = deadByOrigin.get(origin);
          boolean ok =
              switch (want.outcome()) {
                case UNDECODABLE -> got != null && got.startsWith("deserialization: ");
                case REJECTED -> got != null && got.startsWith("processing: " + want.reason());
                case WINDOWED -> got == null;
              };
          if (!ok && mismatches.size() < 20) {
            mismatches.add(origin + " " + want + " → " + (got == null ? "not in the DLQ" : got));
          }
        });
    System.out.printf(
        "RawTopicFuzzIT: %d mutants + %d good records in %.1f s (seed %d); refused by Kafka (over"
            + " 1 MiB): %d%n  expected: %s%n  DLQ by stage: %s%n  %s%n",
        MUTANTS,
        SLOTS - MUTANTS,
        seconds,
        SEED,
        refusedByKafka,
        byOutcome,
        deadByStage,
        registry
            .scrape()
            .lines()
            .filter(l -> l.startsWith("vigil_enrichment_") || l.startsWith("vigil_dlq_"))
            .filter(l -> !l.startsWith("#"))
            .reduce("", (a, b) -> a + "\n  " + b));
    assertThat(mismatches).as("records not where expected").isEmpty();
    assertThat(dead).hasSize(deadByOrigin.size());
    assertThat(app.state().name()).isEqualTo("RUNNING");
    assertThat(app.healthCheck().live().getAsBoolean()).isTrue();
    assertThat(byOutcome.get("UNDECODABLE")).isGreaterThan(1_000L);
    assertThat(byOutcome.get("REJECTED")).isGreaterThan(300L);

    // /metrics agrees: dead letters by stage, rejections by reason.
    assertThat(metricSum("vigil_dlq_records_total{app=\"enrichment\",stage=\"deserialization\"}"))
        .isEqualTo(deadByStage.getOrDefault("deserialization", 0L));
    assertThat(metricSum("vigil_dlq_records_total{app=\"enrichment\",stage=\"processing\"}"))
        .isEqualTo(deadByStage.getOrDefault("processing", 0L));
    assertThat(metricSum("vigil_enrichment_rejected_total{")).isEqualTo(byOutcome.get("REJECTED"));

    // The good service's windows count exactly the good records (each carries one server span,
    // one error and one warning log, one gauge point of system.memory.usage).
    int traces = goodRequests.getOrDefault(OtlpSignal.TRACES, 0);
    int logs = goodRequests.getOrDefault(OtlpSignal.LOGS, 0);
    int metrics = goodRequests.getOrDefault(OtlpSignal.METRICS, 0);
    List<ConsumerRecord<SeriesKey, SignalWindow>> signals =
        KAFKA.consumeUntil(
            topics.signals,
            rs ->
                total(rs, "span.calls") >= traces
                    && total(rs, "log.errors") >= logs
                    && total(rs, "system.memory.usage") >= metrics,
            Duration.ofSeconds(60));
    assertThat(total(signals, "span.calls")).isEqualTo(traces);
    assertThat(total(signals, "log.errors")).isEqualTo(logs);
    assertThat(total(signals, "log.warnings")).isEqualTo(logs);
    assertThat(total(signals, "system.memory.usage")).isEqualTo(metrics);
    assertThat(
            signals.stream()
                .filter(r -> r.key().getService().equals(GOOD))
                .map(r -> r.key().getSignal() + "@" + r.value().getWindowStart())
                .distinct()
                .count())
        .as("one window per good signal and minute")
        .isEqualTo(signals.stream().filter(r -> r.key().getService().equals(GOOD)).count());
  }

  /**
   * Writes the mutants and the good records, then a record per topic that closes the good windows;
   * fills in the expected fate of each record by topic@offset; returns how many Kafka refused.
   */
  private static int produceAll(
      Map<String, Expected> expected, Map<OtlpSignal, Integer> goodRequests) throws Exception {
    OtlpMutator mutator = new OtlpMutator(SEED);
    InputGuard guard = new InputGuard(dev.vigil.enrichment.InputLimits.defaults());
    int refusedByKafka = 0;

    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      List<Expected> outcomes = new ArrayList<>();
      int good = 0;
      for (int k = 0; k < SLOTS; k++) {
        Random random = new Random((SEED << 20) ^ (k * 0x9E3779B97F4A7C15L));
        OtlpSignal signal = OtlpSignal.values()[random.nextInt(3)];
        Encoding encoding = random.nextBoolean() ? Encoding.PROTOBUF : Encoding.JSON;
        String topic = topic(signal);
        if (k % GOOD_EVERY == 0) {
          // Good records 100 ms apart from GOOD_START: ~2 minutes of windows.
          Instant at = GOOD_START.plusMillis(100L * good++);
          Message request = OtlpSamples.sample(signal, GOOD, at, random);
          goodRequests.merge(signal, 1, Integer::sum);
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      null,
                      at.toEpochMilli(),
                      bytes(GOOD),
                      OtlpMutator.encode(request, encoding))));
          outcomes.add(new Expected(null, Outcome.WINDOWED, null));
          continue;
        }
        Message sample = OtlpSamples.sample(signal, "fuzz-" + k, T0, random);
        Mutant mutant = mutator.mutate(k, signal, sample, encoding);
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic, null, T0.toEpochMilli(), bytes("fuzz-" + k), mutant.bytes())));
        outcomes.add(classify(mutant, guard));
      }
      for (int i = 0; i < sent.size(); i++) {
        try {
          RecordMetadata metadata = sent.get(i).get(60, TimeUnit.SECONDS);
          expected.put(metadata.topic() + "@" + metadata.offset(), outcomes.get(i));
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(RecordTooLargeException.class);
          assertThat(outcomes.get(i).mutant()).isNotNull();
          refusedByKafka++;
        }
      }
      // Closes every window of the good service: event time past the last one plus grace.
      for (OtlpSignal signal : OtlpSignal.values()) {
        Instant close = GOOD_START.plus(Duration.ofMinutes(10));
        producer
            .send(
                new ProducerRecord<>(
                    topic(signal),
                    null,
                    close.toEpochMilli(),
                    bytes("closer"),
                    OtlpMutator.encode(
                        OtlpSamples.sample(signal, "closer", close, new Random(1)),
                        Encoding.PROTOBUF)))
            .get(30, TimeUnit.SECONDS);
      }
    }

    return refusedByKafka;
  }

  /** What the app should do with a record, decided by running its own decoder and checks. */
  private static Expected classify(Mutant mutant, InputGuard guard) {
    OtlpDeserializer<? extends Message> decoder =
        switch (mutant.signal()) {
          case METRICS -> OtlpDeserializer.metrics();
          case TRACES -> OtlpDeserializer.traces();
          case LOGS -> OtlpDeserializer.logs();
        };
    Message decoded;
    try {
      decoded = decoder.deserialize(topic(mutant.signal()), mutant.bytes());
    } catch (SerializationException e) {
      return new Expected(mutant, Outcome.UNDECODABLE, null);
    }
    try {
      guard.check(decoded, T0.toEpochMilli());
    } catch (InputRejectedException e) {
      return new Expected(mutant, Outcome.REJECTED, e.reason());
    }
    return new Expected(mutant, Outcome.WINDOWED, null);
  }

  private static long total(List<ConsumerRecord<SeriesKey, SignalWindow>> records, String signal) {
    return records.stream()
        .filter(r -> r.key().getService().equals(GOOD) && r.key().getSignal().equals(signal))
        .mapToLong(r -> r.value().getCount())
        .sum();
  }

  private static boolean consumedEverything() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        KAFKA
            .admin()
            .listConsumerGroupOffsets(
                StreamsApp.applicationId(
                    EnrichmentTopology.APP,
                    new dev.vigil.runtime.config.CoreConfig(new ConfigSources().cli(Map.of()))))
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    for (OtlpSignal signal : OtlpSignal.values()) {
      TopicPartition partition = new TopicPartition(topic(signal), 0);
      long end =
          KAFKA
              .admin()
              .listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .partitionResult(partition)
              .get(10, TimeUnit.SECONDS)
              .offset();
      OffsetAndMetadata done = committed.get(partition);
      if (done == null || done.offset() < end) {
        return false;
      }
    }
    return true;
  }

  /** Every committed record of a one-partition topic, up to its end now. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                4 * 1024 * 1024),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.position(partition) < end) {
        assertThat(System.nanoTime()).as(topic + " read within 60 s").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static long metricSum(String prefix) {
    return Math.round(
        registry
            .scrape()
            .lines()
            .filter(line -> line.startsWith(prefix))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum());
  }

  private static String topic(OtlpSignal signal) {
    return switch (signal) {
      case METRICS -> topics.otlpMetrics.name();
      case TRACES -> topics.otlpSpans.name();
      case LOGS -> topics.otlpLogs.name();
    };
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What should become of a record. */
  enum Outcome {
    UNDECODABLE,
    REJECTED,
    WINDOWED
  }

  /** The expected fate of one record; {@code mutant} is null for a good record. */
  record Expected(Mutant mutant, Outcome outcome, String reason) {}
}
