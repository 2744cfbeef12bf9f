package dev.vigil.enrichment.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A decoded OTLP request with the record bytes it was decoded from, so the split can forward each
 * resource's own bytes instead of encoding the decoded resource again (one encode less per record;
 * see {@link #resources}).
 *
 * @param message the decoded request
 * @param raw the record's bytes
 * @param <T> the request type
 */
public record OtlpRequest<T extends Message>(T message, byte[] raw) {
  // Field 1 of every Export*ServiceRequest (its resource batches), wire type 2 (length-delimited).
  private static final int RESOURCES_TAG = (1 << 3) | 2;

  /**
   * The bytes of each resource batch as the record holds them, in the order of the decoded list,
   * each of the length {@code sizes} gives the decoded batch; null when the record is not just
   * those batches in protobuf (JSON, an unknown field, an encoding the sizes do not match), and the
   * caller encodes the decoded batches instead.
   *
   * @param sizes the serialized size of each decoded resource batch, in order
   */
  public List<byte[]> resources(List<Integer> sizes) {
    List<byte[]> out = new ArrayList<>(sizes.size());
    CodedInputStream in = CodedInputStream.newInstance(raw);
    try {
      while (!in.isAtEnd()) {
        if (in.readTag() != RESOURCES_TAG || out.size() == sizes.size()) {
          return null;
        }
        int length = in.readRawVarint32();
        if (length != sizes.get(out.size())) {
          return null;
        }
        int start = in.getTotalBytesRead();
        out.add(Arrays.copyOfRange(raw, start, start + length));
        in.skipRawBytes(length);
      }
    } catch (IOException | IndexOutOfBoundsException e) {
      return null;
    }
    return out.size() == sizes.size() ? out : null;
  }

  /** The serde of a raw OTLP source: {@code otlp} decodes, the bytes are kept beside. */
  public static <T extends Message> Serde<OtlpRequest<T>> serde(Deserializer<T> otlp) {
    return Serdes.serdeFrom(
        (topic, request) -> request == null ? null : request.raw(),
        new Deserializer<>() {
          @Override
          public void configure(Map<String, ?> configs, boolean isKey) {
            otlp.configure(configs, isKey);
          }

          @Override
          public OtlpRequest<T> deserialize(String topic, byte[] data) {
            T message = otlp.deserialize(topic, data);
            return message == null ? null : new OtlpRequest<>(message, data);
          }
        });
  }
}
