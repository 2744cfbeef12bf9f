package dev.vigil.runtime.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead-letter record of one app and counts it.
 *
 * <p>The DLQ record keeps the original key and value bytes and headers and adds {@code
 * vigil.error.*} headers: app, stage, exception, message, source topic, partition and offset. It is
 * returned to Kafka Streams inside the handler's response, so under exactly-once it is written in
 * the same transaction that commits the input offset: a poison record is never lost and never
 * dead-lettered twice. Every record counts in {@code vigil_dlq_records_total{app,stage}}.
 */
public final class DeadLetters {
  /** Key under which Streams hands this object to the exception handlers: {@value}. */
  public static final String CONFIG_KEY = "vigil.dead.letters";

  public static final String HEADER_APP = "vigil.error.app";
  public static final String HEADER_STAGE = "vigil.error.stage";
  public static final String HEADER_EXCEPTION = "vigil.error.exception";
  public static final String HEADER_MESSAGE = "vigil.error.message";
  public static final String HEADER_TOPIC = "vigil.error.topic";
  public static final String HEADER_PARTITION = "vigil.error.partition";
  public static final String HEADER_OFFSET = "vigil.error.offset";
  public static final String HEADER_PROCESSOR = "vigil.error.processor";

  /** Set when the original value was cut to fit: its size in bytes before. */
  public static final String HEADER_TRUNCATED = "vigil.error.truncated.bytes";

  /**
   * Largest original value a dead letter carries, in bytes: {@value}. The producer refuses records
   * over {@code max.request.size} (1 MiB); a dead letter that could itself be refused would have
   * nowhere to go, so a larger value is cut to this size and the original size is put in {@link
   * #HEADER_TRUNCATED}. The key keeps at most {@link #MAX_KEY_BYTES}.
   */
  public static final int MAX_VALUE_BYTES = 512 * 1024;

  /** Largest original key a dead letter carries, in bytes: {@value}. */
  public static final int MAX_KEY_BYTES = 16 * 1024;

  private static final Logger LOGGER = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_MESSAGE_CHARS = 2_000;
  // Every dead letter is counted; only the first few and then one in this many are logged, so a
  // flood of poison records cannot flood the log.
  private static final long LOG_EVERY = 1_000;

  private final String app;
  private final String topic;
  private final Map<ErrorStage, Counter> counters = new EnumMap<>(ErrorStage.class);
  private final Counter lost;
  private final AtomicLong total = new AtomicLong();

  /**
   * Creates the dead-letter writer of one app.
   *
   * @param app app name, e.g. {@code anomaly}
   * @param topic its DLQ topic, e.g. {@code vigil.dlq.anomaly}
   * @param registry where the counters live
   */
  public DeadLetters(String app, String topic, MeterRegistry registry) {
    this.app = Objects.requireNonNull(app, "app");
    this.topic = Objects.requireNonNull(topic, "topic");
    for (ErrorStage stage : ErrorStage.values()) {
      counters.put(
          stage,
          Counter.builder("vigil.dlq.records")
              .description("Records sent to the dead-letter topic, by app and failure stage")
              .tag("app", app)
              .tag("stage", stage.label())
              .register(registry));
    }
    lost =
        Counter.builder("vigil.dlq.lost")
            .description("Dead letters the broker refused for good (not re-routed, so lost)")
            .tag("app", app)
            .register(registry);
  }

  /** The DLQ topic. */
  public String topic() {
    return topic;
  }

  /** Dead letters written so far, all stages. */
  public long total() {
    return total.get();
  }

  /**
   * Builds the DLQ record for a failed record and counts it.
   *
   * @param stage where it failed
   * @param source where the original record came from
   * @param key original key bytes, may be null
   * @param value original value bytes, may be null
   * @param originalHeaders headers of the original record, copied over, may be null
   * @param error the failure
   */
  public List<ProducerRecord<byte[], byte[]>> record(
      ErrorStage stage,
      Source source,
      byte[] key,
      byte[] value,
      Headers originalHeaders,
      Exception error) {
    Headers headers = new RecordHeaders();
    if (originalHeaders != null) {
      for (Header header : originalHeaders) {
        if (!header.key().startsWith("vigil.error.")) {
          headers.add(header);
        }
      }
    }
    add(headers, HEADER_APP, app);
    add(headers, HEADER_STAGE, stage.label());
    add(headers, HEADER_EXCEPTION, error.getClass().getName());
    add(headers, HEADER_MESSAGE, messageOf(error));
    add(headers, HEADER_TOPIC, source.topic());
    add(headers, HEADER_PARTITION, Integer.toString(source.partition()));
    add(headers, HEADER_OFFSET, Long.toString(source.offset()));
    if (source.processor() != null) {
      add(headers, HEADER_PROCESSOR, source.processor());
    }
    if (value != null && value.length > MAX_VALUE_BYTES) {
      add(headers, HEADER_TRUNCATED, Integer.toString(value.length));
    }
    counters.get(stage).increment();
    long n = total.incrementAndGet();
    if (n <= 10 || n % LOG_EVERY == 0) {
      LOGGER.warn(
          "Dead-lettering record from {}-{}@{} to {} ({} failure, {} so far)",
          source.topic(),
          source.partition(),
          source.offset(),
          topic,
          stage.label(),
          n,
          error);
    }
    // Stamped now, not with the failed record's time: an absurd event time must not make the dead
    // letter itself refused by the broker (message.timestamp.after.max.ms).
    return List.of(
        new ProducerRecord<>(
            topic,
            null,
            System.currentTimeMillis(),
            cut(key, MAX_KEY_BYTES),
            cut(value, MAX_VALUE_BYTES),
            headers));
  }

  /**
   * Counts and logs a dead letter the broker refused for good. It is not dead-lettered again: a
   * handler that re-routes its own failures recurses until the stack overflows.
   */
  public void lost(ProducerRecord<byte[], byte[]> deadLetter, Exception error) {
    lost.increment();
    LOGGER.error(
        "The dead letter of {}-{}@{} could not be written to {} and is lost",
        header(deadLetter, HEADER_TOPIC),
        header(deadLetter, HEADER_PARTITION),
        header(deadLetter, HEADER_OFFSET),
        topic,
        error);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers() == null ? null : record.headers().lastHeader(key);
    return header == null || header.value() == null
        ? "?"
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] cut(byte[] bytes, int max) {
    return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
  }

  private static String messageOf(Exception error) {
    StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      message
          .append(" <- ")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage());
    }
    return message.length() > MAX_MESSAGE_CHARS
        ? message.substring(0, MAX_MESSAGE_CHARS)
        : message.toString();
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Where a failed record came from.
   *
   * @param topic source topic, or "unknown" for records not tied to one (punctuations)
   * @param partition source partition, -1 if unknown
   * @param offset source offset, -1 if unknown
   * @param processor processor node that failed, if known
   */
  public record Source(String topic, int partition, long offset, String processor) {
    /** Normalises a missing topic. */
    public Source {
      topic = topic == null ? "unknown" : topic;
    }

    /** Where the record a Streams error handler was called for came from. */
    public static Source of(ErrorHandlerContext context) {
      return new Source(
          context.topic(), context.partition(), context.offset(), context.processorNodeId());
    }
  }

  static DeadLetters from(Map<String, ?> configs) {
    Object value = configs.get(CONFIG_KEY);
    if (!(value instanceof DeadLetters deadLetters)) {
      throw new IllegalStateException(
          "Streams config lacks '" + CONFIG_KEY + "': start the app through StreamsApp");
    }
    return deadLetters;
  }
}
