package dev.vigil.perf.pipeline;

import com.google.protobuf.Message;
import dev.vigil.bridge.internal.OtlpRecord;
import dev.vigil.bridge.internal.RequestSplitter;
import dev.vigil.runtime.otlp.OtlpSignal;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes units of the synthetic load to an OTLP topic before a cost benchmark starts its app: one
 * record per resource, as the bridge writes them, spread evenly over {@code minutes} of event time
 * ending an hour ago (so every window closes while the backlog is read). Each record carries its
 * unit's event time as its timestamp, as a backlog the bridge wrote in real time would: the span
 * pairing waits in record time, so a burst stamped with the moment of writing would keep every span
 * of the ten minutes waiting at once.
 */
final class Backlog {
  private Backlog() {}

  /** Writes {@code units} units' {@code part} of {@code signal}; returns the items written. */
  static long write(
      String bootstrap,
      String topic,
      int units,
      int minutes,
      OtlpSignal signal,
      Function<SyntheticOtlp.Unit, ? extends Message> part)
      throws Exception {
    SyntheticOtlp load = new SyntheticOtlp();
    RequestSplitter splitter = new RequestSplitter(900 * 1024);
    long t0 = (System.currentTimeMillis() - Duration.ofHours(1).toMillis()) * 1_000_000L;
    long step = Duration.ofMinutes(minutes).toNanos() / units;
    long items = 0;
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "all",
            "linger.ms",
            "20",
            "compression.type",
            "lz4");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (int u = 0; u < units; u++) {
        long nanos = t0 + u * step;
        Message request = part.apply(load.next(nanos));
        for (OtlpRecord record : splitter.split(signal, request).records()) {
          producer.send(
              new ProducerRecord<>(
                  topic, null, nanos / 1_000_000L, record.service(), record.value()));
          items += record.items();
        }
      }
      producer.flush();
    }
    return items;
  }
}
