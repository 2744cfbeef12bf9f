package dev.vigil.bridge.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes a request's records and completes once Kafka acknowledged all of them. */
public final class KafkaWriter {
  /** Record header carrying the authenticated tenant: {@value}. */
  public static final String TENANT_HEADER = "vigil.tenant";

  private final Producer<String, byte[]> producer;

  /**
   * @param producer an idempotent, acks=all producer, owned by the caller
   */
  public KafkaWriter(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  /**
   * Sends the records; the future fails with the first error.
   *
   * @param tenant the authenticated tenant, or null without authentication
   */
  public CompletableFuture<Void> write(String topic, List<OtlpRecord> records, String tenant) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (records.isEmpty()) {
      done.complete(null);
      return done;
    }
    AtomicInteger pending = new AtomicInteger(records.size());
    for (OtlpRecord record : records) {
      RecordHeaders headers = new RecordHeaders();
      if (tenant != null) {
        headers.add(TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
      }
      try {
        producer.send(
            new ProducerRecord<>(topic, null, record.service(), record.value(), headers),
            (metadata, error) -> {
              if (error != null) {
                done.completeExceptionally(error);
              } else if (pending.decrementAndGet() == 0) {
                done.complete(null);
              }
            });
      } catch (RuntimeException e) {
        // send() throws when metadata cannot be fetched within max.block.ms or the buffer is full.
        done.completeExceptionally(e);
        break;
      }
    }
    return done;
  }

  /** Producer settings for the bridge: durable, idempotent, compressed, batched. */
  public static Map<String, Object> producerConfig(long produceTimeoutMs, long bufferBytes) {
    long requestTimeout = Math.max(1_000, produceTimeoutMs / 2);
    return Map.ofEntries(
        Map.entry("acks", "all"),
        Map.entry("enable.idempotence", true),
        Map.entry("compression.type", "lz4"),
        Map.entry("linger.ms", 5),
        Map.entry("batch.size", 256 * 1024),
        Map.entry("buffer.memory", bufferBytes),
        Map.entry("max.in.flight.requests.per.connection", 5),
        Map.entry("request.timeout.ms", (int) requestTimeout),
        Map.entry("delivery.timeout.ms", (int) produceTimeoutMs),
        Map.entry("max.block.ms", produceTimeoutMs));
  }
}
