package dev.vigil.runtime.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.runtime.management.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * A record the broker refuses for good goes to the DLQ once, in a dead letter that always fits; a
 * refused dead letter is counted as lost and never re-routed (the recursion the fuzz tests found: a
 * 1.3 MB output record, its 1.3 MB dead letter refused in turn, and so on until the stack
 * overflowed and the app died).
 */
class DlqProductionHandlerTest {
  private static final String DLQ = "vigil.dlq.test";

  private final PrometheusMeterRegistry registry = Metrics.newRegistry();
  private final DlqProductionHandler handler = new DlqProductionHandler();

  DlqProductionHandlerTest() {
    handler.configure(Map.of(DeadLetters.CONFIG_KEY, new DeadLetters("test", DLQ, registry)));
  }

  @Test
  void anOversizedOutputBecomesADeadLetterThatFits() {
    byte[] huge = new byte[1_300_000];
    ProducerRecord<byte[], byte[]> output =
        new ProducerRecord<>("vigil.signals.1m", null, 1L, utf8("key"), huge);

    Response response =
        handler.handleError(new Context(), output, new RecordTooLargeException("1300088 bytes"));

    assertThat(response.result()).isEqualTo(Result.RESUME);
    List<ProducerRecord<byte[], byte[]>> dead = response.deadLetterQueueRecords();
    assertThat(dead).hasSize(1);
    ProducerRecord<byte[], byte[]> letter = dead.get(0);
    assertThat(letter.topic()).isEqualTo(DLQ);
    assertThat(letter.value()).hasSize(DeadLetters.MAX_VALUE_BYTES);
    assertThat(header(letter, DeadLetters.HEADER_TRUNCATED)).isEqualTo("1300000");
    assertThat(header(letter, DeadLetters.HEADER_STAGE)).isEqualTo("production");
    assertThat(header(letter, DeadLetters.HEADER_MESSAGE)).contains("1300088 bytes");
    // Stamped now, whatever the time of the record that failed.
    assertThat(letter.timestamp())
        .isBetween(Instant.now().minusSeconds(60).toEpochMilli(), System.currentTimeMillis());
    assertThat(metric("vigil_dlq_records_total{app=\"test\",stage=\"production\"}")).isEqualTo(1);
  }

  @Test
  void aRefusedDeadLetterIsCountedAsLostAndNeverReRouted() {
    ProducerRecord<byte[], byte[]> output =
        new ProducerRecord<>("vigil.signals.1m", null, 4_102_444_800_000L, utf8("k"), utf8("v"));
    ProducerRecord<byte[], byte[]> letter =
        handler
            .handleError(new Context(), output, new InvalidTimestampException("year 2100"))
            .deadLetterQueueRecords()
            .get(0);

    Response again =
        handler.handleError(new Context(), letter, new RecordTooLargeException("refused"));

    assertThat(again.result()).isEqualTo(Result.RESUME);
    assertThat(again.deadLetterQueueRecords()).isEmpty();
    assertThat(metric("vigil_dlq_lost_total{app=\"test\"}")).isEqualTo(1);
    assertThat(metric("vigil_dlq_records_total{app=\"test\",stage=\"production\"}")).isEqualTo(1);
  }

  private double metric(String sample) {
    return registry
        .scrape()
        .lines()
        .filter(line -> line.startsWith(sample + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Where the failed output came from: a record of otlp_spans. */
  private static final class Context implements ErrorHandlerContext {
    @Override
    public String topic() {
      return "otlp_spans";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 42;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "signals-sink";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 0;
    }

    @Override
    public byte[] sourceRawKey() {
      return null;
    }

    @Override
    public byte[] sourceRawValue() {
      return null;
    }
  }
}
