package dev.vigil.enrichment.internal;

import com.google.protobuf.Message;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One service's resource batch on its way to that service's windows.
 *
 * <p>A batch split in the task that holds its service's windows ({@link #local}) reaches them still
 * decoded: no encode, no repartition record, no second parse. Any other batch crosses its
 * repartition topic as bytes and is parsed once, by the window processor.
 *
 * @param <M> the resource message ({@code ResourceMetrics}, {@code ResourceSpans}, {@code
 *     ResourceLogs})
 */
public final class ServiceBatch<M extends Message> {
  private final boolean local;
  private final Function<byte[], M> parser;
  private M message;
  private byte[] bytes;

  private ServiceBatch(M message, byte[] bytes, Function<byte[], M> parser, boolean local) {
    this.message = message;
    this.bytes = bytes;
    this.parser = parser;
    this.local = local;
  }

  /** A batch split in the task that holds its service's windows: only the decoded resource. */
  public static <M extends Message> ServiceBatch<M> local(M message) {
    return new ServiceBatch<>(Objects.requireNonNull(message, "message"), null, null, true);
  }

  /**
   * A batch split from a decoded request that must cross the repartition topic.
   *
   * @param message the decoded resource
   * @param bytes its protobuf bytes, written to the repartition topic
   */
  public static <M extends Message> ServiceBatch<M> moving(M message, byte[] bytes) {
    return new ServiceBatch<>(
        Objects.requireNonNull(message, "message"),
        Objects.requireNonNull(bytes, "bytes"),
        null,
        false);
  }

  /** A batch read from a repartition topic: parsed on first use by {@code parser}. */
  public static <M extends Message> ServiceBatch<M> received(
      byte[] bytes, Function<byte[], M> parser) {
    return new ServiceBatch<>(null, Objects.requireNonNull(bytes, "bytes"), parser, false);
  }

  /** Whether the batch was split in the task that holds its service's windows. */
  public boolean local() {
    return local;
  }

  /**
   * The decoded resource.
   *
   * @throws IllegalArgumentException if the bytes of a received batch do not parse
   */
  public M message() {
    if (message == null) {
      message = parser.apply(bytes);
    }
    return message;
  }

  /** The resource's protobuf bytes. */
  public byte[] bytes() {
    if (bytes == null) {
      bytes = message.toByteArray();
    }
    return bytes;
  }

  /** The serde of a repartition topic: bytes on the wire, {@code parser} on first use. */
  public static <M extends Message> Serde<ServiceBatch<M>> serde(Function<byte[], M> parser) {
    return Serdes.serdeFrom(
        (topic, batch) -> batch == null ? null : batch.bytes(),
        (topic, data) -> data == null ? null : received(data, parser));
  }
}
