package dev.vigil.sinks.common;

import dev.vigil.schemas.json.RecordJson;
import dev.vigil.schemas.serde.AvroValueSerde;
import dev.vigil.schemas.serde.SchemaHistory;
import dev.vigil.schemas.serde.VigilSerdes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decodes the values of Vigil's own topics (Avro single-object encoding, {@code C3 01} + the writer
 * schema's fingerprint + body) into their generated classes, whatever the type, by the fingerprint:
 * a sink indexing several topics does not need to know which type each one holds.
 */
public final class VigilValues {
  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = 0x01;
  private static final int HEADER = 10;
  private static final Map<Long, AvroValueSerde<?>> BY_FINGERPRINT = index();

  private VigilValues() {}

  /**
   * Decodes a value of any of Vigil's record types.
   *
   * @throws MalformedRecordException if the bytes are not single-object Avro of a known schema
   */
  public static SpecificRecord decode(String topic, byte[] bytes) {
    AvroValueSerde<?> serde = BY_FINGERPRINT.get(fingerprint(topic, bytes));
    if (serde == null) {
      throw new MalformedRecordException(
          "value on "
              + topic
              + " has an unknown schema fingerprint "
              + Long.toHexString(fingerprint(topic, bytes))
              + ": not one of Vigil's record types, or written by a newer release");
    }
    return decodeWith(topic, bytes, serde);
  }

  /**
   * Decodes a value that must be of one type.
   *
   * @throws MalformedRecordException if it is not that type, or corrupt
   */
  public static <T extends SpecificRecord> T decode(
      String topic, byte[] bytes, AvroValueSerde<T> serde) {
    SpecificRecord any = decode(topic, bytes);
    if (!serde.type().isInstance(any)) {
      throw new MalformedRecordException(
          "value on "
              + topic
              + " is a "
              + any.getClass().getSimpleName()
              + ", expected "
              + serde.type().getSimpleName());
    }
    return serde.type().cast(any);
  }

  /** A record as one line of readable JSON (unions unwrapped, RFC 3339 timestamps). */
  public static String toJson(SpecificRecord record) {
    return RecordJson.toJson(record);
  }

  private static <T extends SpecificRecord> T decodeWith(
      String topic, byte[] bytes, AvroValueSerde<T> serde) {
    try {
      return serde.deserializer().deserialize(topic, bytes);
    } catch (SerializationException e) {
      throw new MalformedRecordException(e.getMessage(), e);
    }
  }

  private static long fingerprint(String topic, byte[] bytes) {
    if (bytes.length < HEADER || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw new MalformedRecordException(
          "value on "
              + topic
              + " ("
              + bytes.length
              + " bytes) is not Avro single-object encoded: no C3 01 header");
    }
    return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static Map<Long, AvroValueSerde<?>> index() {
    Map<Long, AvroValueSerde<?>> index = new HashMap<>();
    for (Class<? extends SpecificRecord> type : VigilSerdes.VALUE_TYPES) {
      AvroValueSerde<?> serde = VigilSerdes.value(type);
      Schema current = SpecificData.getForClass(type).getSchema(type);
      index.put(SchemaNormalization.parsingFingerprint64(current), serde);
      for (Schema older : SchemaHistory.versions(type.getSimpleName())) {
        index.put(SchemaNormalization.parsingFingerprint64(older), serde);
      }
    }
    return Map.copyOf(index);
  }
}
