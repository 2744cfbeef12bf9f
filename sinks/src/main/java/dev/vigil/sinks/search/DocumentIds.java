package dev.vigil.sinks.search;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Deterministic document ids: the same record always gets the same id, so a redelivery after a task
 * restart overwrites (index) or is refused as a duplicate (create) instead of adding a copy.
 */
final class DocumentIds {
  /** Elasticsearch and OpenSearch refuse ids longer than 512 bytes. */
  static final int MAX_ID_BYTES = 512;

  private DocumentIds() {}

  /**
   * The record key as an id: a UTF-8 key as its text, binary keys (e.g. Avro {@code SeriesKey}) as
   * URL-safe base64; over {@value #MAX_ID_BYTES} bytes, the SHA-256 of the key in hex.
   *
   * @throws IllegalArgumentException if the record has no key
   */
  static String fromKey(SinkRecord record) {
    Object key = record.key();
    if (key == null) {
      throw new IllegalArgumentException(
          "record has no key, so no id can be taken from it; use document.id.strategy=offset");
    }
    byte[] bytes = keyBytes(key);
    String id = utf8(bytes);
    if (id == null) {
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      return sha256(bytes);
    }
    return id;
  }

  /**
   * The id of one window of one series or edge: {@link #fromKey} then {@code @} and the window's
   * start, so every emission of a window (first, revision) has the same id; the SHA-256 of the key
   * when that would exceed {@value #MAX_ID_BYTES} bytes.
   *
   * @throws IllegalArgumentException if the record has no key
   */
  static String fromKeyAndWindow(SinkRecord record, String windowStart) {
    String suffix = "@" + windowStart;
    String id = fromKey(record) + suffix;
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      return sha256(keyBytes(record.key())) + suffix;
    }
    return id;
  }

  /** {@code topic+partition+offset}: unique per record for the life of the topic. */
  static String fromOffset(SinkRecord record) {
    return fromOffset(record.topic(), record.kafkaPartition(), record.kafkaOffset());
  }

  static String fromOffset(String topic, int partition, long offset) {
    return topic + "+" + partition + "+" + offset;
  }

  private static byte[] keyBytes(Object key) {
    if (key instanceof byte[] bytes) {
      return bytes;
    }
    if (key instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    return String.valueOf(key).getBytes(StandardCharsets.UTF_8);
  }

  /** The text of {@code bytes} if they are valid UTF-8 without control characters, else null. */
  private static String utf8(byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return null;
      }
    }
    return text.isEmpty() ? null : text;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
