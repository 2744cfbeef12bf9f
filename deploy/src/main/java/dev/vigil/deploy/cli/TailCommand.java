package dev.vigil.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.schemas.json.RecordJson;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil tail TOPIC}: a topic's records as JSON lines. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print a topic's records as JSON lines.",
      "",
      "Each line is {topic, partition, offset, timestamp, key, value, headers}. Avro records are",
      "decoded, OTLP records shown as OTLP/JSON, other bytes (DLQ) as base64. Reads committed",
      "records only, as Vigil's apps do."
    })
final class TailCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;

  @Parameters(
      paramLabel = "TOPIC",
      description = "Topic name, e.g. vigil.anomalies (prefix included).")
  String topic;

  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description = "Kafka to read from (default: bootstrap.servers from the settings).")
  String bootstrapServer;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest record instead of new ones.")
  boolean fromBeginning;

  @Option(
      names = {"-n", "--max-records"},
      paramLabel = "N",
      description = "Exit after N records (default: run until interrupted).")
  long maxRecords = Long.MAX_VALUE;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      description = "Exit after this many seconds without a record (default: never).")
  long idleTimeoutSeconds = 0;

  @Override
  public Integer call() {
    CoreConfig config =
        configOptions.load(
            bootstrapServer == null
                ? Map.of()
                : Map.of(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer));
    TopicCatalog topics = config.topicCatalog();
    TopicSpec<?, ?> spec = topics.find(topic).orElse(null);
    Deserializer<?> keys =
        spec == null ? new ByteArrayDeserializer() : spec.keySerde().deserializer();
    Deserializer<?> values =
        spec == null ? new ByteArrayDeserializer() : spec.valueSerde().deserializer();
    OtlpSignal otlp = otlpSignal(topics, topic);
    if (otlp != null) {
      values = new OtlpAsJson(otlp);
    }
    if (spec == null) {
      spec()
          .commandLine()
          .getErr()
          .printf("%s is not a catalog topic: showing raw bytes as base64%n", topic);
    }
    Map<String, Object> consumerConfig = new HashMap<>(config.kafkaClientConfig());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-tail-" + UUID.randomUUID());
    consumerConfig.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    PrintWriter out = spec().commandLine().getOut();
    long printed = 0;
    long idleSince = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (printed < maxRecords) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          if (idleTimeoutSeconds > 0
              && System.nanoTime() - idleSince > Duration.ofSeconds(idleTimeoutSeconds).toNanos()) {
            break;
          }
          continue;
        }
        idleSince = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          out.println(render(record, keys, values));
          out.flush();
          if (++printed >= maxRecords) {
            break;
          }
        }
      }
    }
    return 0;
  }

  private static OtlpSignal otlpSignal(TopicCatalog topics, String topic) {
    if (topic.equals(topics.otlpMetrics.name())) {
      return OtlpSignal.METRICS;
    }
    if (topic.equals(topics.otlpSpans.name())) {
      return OtlpSignal.TRACES;
    }
    return topic.equals(topics.otlpLogs.name()) ? OtlpSignal.LOGS : null;
  }

  /** Shows raw OTLP records ({@code otlp_proto} or {@code otlp_json}) as OTLP/JSON. */
  private static final class OtlpAsJson implements Deserializer<JsonNode> {
    private final OtlpSignal signal;

    OtlpAsJson(OtlpSignal signal) {
      this.signal = signal;
    }

    @Override
    public JsonNode deserialize(String topic, byte[] bytes) {
      try {
        Message message =
            bytes.length > 0 && bytes[0] == '{'
                ? OtlpJson.any(bytes)
                : switch (signal) {
                  case METRICS -> ExportMetricsServiceRequest.parseFrom(bytes);
                  case TRACES -> ExportTraceServiceRequest.parseFrom(bytes);
                  case LOGS -> ExportLogsServiceRequest.parseFrom(bytes);
                };
        return JSON.readTree(OtlpJson.print(message));
      } catch (IOException e) {
        throw new SerializationException("not OTLP " + signal + ": " + e.getMessage(), e);
      }
    }
  }

  private CommandSpec spec() {
    return spec;
  }

  static String render(
      ConsumerRecord<byte[], byte[]> record, Deserializer<?> keys, Deserializer<?> values) {
    ObjectNode line = JSON.createObjectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    line.set("key", decode(keys, record.topic(), record.key()));
    line.set("value", decode(values, record.topic(), record.value()));
    ObjectNode headers = JSON.createObjectNode();
    for (Header header : record.headers()) {
      headers.put(
          header.key(),
          header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    if (!headers.isEmpty()) {
      line.set("headers", headers);
    }
    return line.toString();
  }

  private static JsonNode decode(Deserializer<?> deserializer, String topic, byte[] bytes) {
    if (bytes == null) {
      return JSON.nullNode();
    }
    try {
      Object value = deserializer.deserialize(topic, bytes);
      return value instanceof JsonNode node ? node : RecordJson.toNode(value);
    } catch (RuntimeException e) {
      // A record that does not decode is shown, not hidden: tail is how people find such records.
      ObjectNode undecodable = JSON.createObjectNode();
      undecodable.put("error", e.getMessage());
      undecodable.set("bytes", RecordJson.toNode(bytes));
      return undecodable;
    }
  }
}
