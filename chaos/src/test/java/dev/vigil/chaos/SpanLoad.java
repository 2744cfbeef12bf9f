package dev.vigil.chaos;

import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Steady OTLP span traffic onto the raw spans topic, at the wall clock's time: a service calling
 * the next one, each request a server span and a client span with fresh trace ids, keyed by service
 * so that every partition gets some. Runs until closed.
 */
final class SpanLoad implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final int services;
  private final int requestsPerSecond;
  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopped;

  SpanLoad(String bootstrapServers, String topic, int services, int requestsPerSecond) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.topic = topic;
    this.services = services;
    this.requestsPerSecond = requestsPerSecond;
    this.thread = new Thread(this::run, "chaos-span-load");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Export requests acknowledged by the broker so far. */
  long sent() {
    if (failure.get() != null) {
      throw new IllegalStateException("load failed", failure.get());
    }
    return sent.get();
  }

  private void run() {
    long n = 0;
    long began = System.nanoTime();
    while (!stopped) {
      // Paced by the clock: request n goes out at n / rate seconds after the start.
      long due = began + n * 1_000_000_000L / requestsPerSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      String service = "svc-" + (n % services);
      String callee = "svc-" + ((n + 1) % services);
      String trace = String.format("%032x", n + 1);
      Instant start = Instant.now();
      Span server =
          Otlp.span(
                  trace,
                  String.format("%016x", 2 * n + 1),
                  null,
                  SpanKind.SPAN_KIND_SERVER,
                  start,
                  12)
              .setName("GET /item")
              .build();
      Span client =
          Otlp.span(
                  trace,
                  String.format("%016x", 2 * n + 2),
                  String.format("%016x", 2 * n + 1),
                  SpanKind.SPAN_KIND_CLIENT,
                  start.plusMillis(1),
                  8)
              .setName("GET " + callee)
              .addAttributes(Otlp.attribute("peer.service", callee))
              .build();
      byte[] request = Otlp.traces(service, server, client).toByteArray();
      producer.send(
          new ProducerRecord<>(topic, service.getBytes(StandardCharsets.UTF_8), request),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            } else {
              sent.incrementAndGet();
            }
          });
      n++;
    }
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
