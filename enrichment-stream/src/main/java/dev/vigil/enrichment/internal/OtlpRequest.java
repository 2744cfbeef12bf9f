package dev.vigil.enrichment.internal;

import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.ResourceBatches;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A decoded OTLP request with the record bytes it was decoded from, so the split can forward each
 * resource's own bytes instead of encoding the decoded resource again (one encode less per record;
 * see {@link #batches}).
 *
 * @param message the decoded request
 * @param raw the record's bytes
 * @param protobuf whether {@code raw} was decoded as {@code otlp_proto} (else OTLP/JSON)
 * @param <T> the request type
 */
public record OtlpRequest<T extends Message>(T message, byte[] raw, boolean protobuf) {
  /**
   * Where each resource batch of the decoded request lies in the record's bytes, or null when they
   * are not just those batches in protobuf (JSON, another field): then the caller encodes the
   * decoded batches instead.
   *
   * @param count how many resource batches the decoded request has
   */
  public ResourceBatches batches(int count) {
    return protobuf ? ResourceBatches.of(raw, count) : null;
  }

  /** The serde of a raw OTLP source: {@code otlp} decodes, the bytes are kept beside. */
  public static <T extends Message> Serde<OtlpRequest<T>> serde(OtlpDeserializer<T> otlp) {
    return Serdes.serdeFrom(
        (topic, request) -> request == null ? null : request.raw(), otlp::request);
  }
}
