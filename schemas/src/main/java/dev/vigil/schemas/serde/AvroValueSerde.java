package dev.vigil.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for record values in Avro single-object encoding: {@code C3 01}, the 8-byte fingerprint of
 * the writer's schema, then the binary body.
 *
 * <p>The decoder knows the current schema and every released one ({@link SchemaHistory}), so a
 * record written by an older version decodes into the current class with new fields defaulted. A
 * record whose fingerprint is unknown, or whose bytes are corrupt, fails with a {@link
 * SerializationException} that names the type: the Streams handlers route it to the DLQ.
 *
 * @param <T> the generated record class
 */
public final class AvroValueSerde<T extends SpecificRecord> implements Serde<T> {
  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * Creates a serde that decodes the current schema of {@code type} and the given older ones.
   *
   * @param type the generated class
   * @param olderSchemas released writer schemas the decoder must still read
   */
  public AvroValueSerde(Class<T> type, List<Schema> olderSchemas) {
    this.type = Objects.requireNonNull(type, "type");
    TrustedClasses.ensureInstalled();
    SpecificData model = SpecificData.getForClass(type);
    Schema current = model.getSchema(type);
    SchemaStore.Cache store = new SchemaStore.Cache();
    olderSchemas.forEach(store::addSchema);
    this.encoder = new BinaryMessageEncoder<>(model, current);
    this.decoder = new BinaryMessageDecoder<>(model, current, store);
  }

  /** The record class this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(topic, bytes);
  }

  private byte[] encode(T value) {
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e, e);
    }
  }

  private T decode(String topic, byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode "
              + type.getSimpleName()
              + " from topic "
              + topic
              + " ("
              + bytes.length
              + " bytes): "
              + e,
          e);
    }
  }
}
