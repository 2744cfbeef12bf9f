package dev.vigil.sinks.common;

import java.nio.ByteBuffer;
import org.apache.kafka.connect.sink.SinkRecord;

/** The raw bytes of a record's key or value, as Connect's ByteArrayConverter hands them over. */
public final class RecordBytes {
  /** The converter Vigil's sinks need for keys and values. */
  public static final String CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

  private RecordBytes() {}

  /**
   * The value's bytes.
   *
   * @throws MalformedRecordException if it is null or not bytes (a wrong converter)
   */
  public static byte[] value(SinkRecord record) {
    return bytes(record.value(), "value", record);
  }

  /**
   * The key's bytes.
   *
   * @throws MalformedRecordException if it is null or not bytes (a wrong converter)
   */
  public static byte[] key(SinkRecord record) {
    return bytes(record.key(), "key", record);
  }

  /** topic-partition@offset, to name a record in logs and errors. */
  public static String coordinates(SinkRecord record) {
    return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
  }

  private static byte[] bytes(Object data, String what, SinkRecord record) {
    if (data instanceof byte[] bytes) {
      return bytes;
    }
    if (data instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    if (data == null) {
      throw new MalformedRecordException("record " + coordinates(record) + " has a null " + what);
    }
    throw new MalformedRecordException(
        "record "
            + coordinates(record)
            + " has a "
            + what
            + " of type "
            + data.getClass().getName()
            + ", expected bytes: set "
            + what
            + ".converter="
            + CONVERTER);
  }
}
