package dev.vigil.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for record keys: plain Avro binary, no fingerprint header.
 *
 * <p>Keys are different from values on purpose. Partitioning, log compaction and state-store
 * lookups compare key bytes, so one logical key must encode to the same bytes forever; a
 * fingerprint would change those bytes at the first schema change. Key schemas are therefore frozen
 * (a test pins their fingerprints) and carry no version header.
 *
 * @param <T> the generated record class
 */
public final class AvroKeySerde<T extends SpecificRecord> implements Serde<T> {
  private final Class<T> type;
  private final DatumWriter<T> writer;
  private final DatumReader<T> reader;

  /** Creates a key serde for a generated record class. */
  public AvroKeySerde(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
    TrustedClasses.ensureInstalled();
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.reader = new SpecificDatumReader<>(schema, schema, model);
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
      ByteArrayOutputStream out = new ByteArrayOutputStream(64);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(value, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode key " + type.getSimpleName() + ": " + e, e);
    }
  }

  private T decode(String topic, byte[] bytes) {
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IOException((bytes.length) + " bytes hold trailing data after the key");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode key " + type.getSimpleName() + " from topic " + topic + ": " + e, e);
    }
  }
}
