package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.evolution.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A record written by schema v1 still decodes after the schema moved to v2. */
class SchemaEvolutionTest {
  private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void decodesRecordWrittenByOlderVersionWithNewFieldDefaulted() throws IOException {
    Schema v1 = schemaV1();
    byte[] writtenByV1 = encodeWithV1(v1);

    AvroValueSerde<Probe> v2Serde = new AvroValueSerde<>(Probe.class, List.of(v1));
    Probe decoded = v2Serde.deserializer().deserialize("t", writtenByV1);

    assertThat(decoded.getService()).isEqualTo("cart");
    assertThat(decoded.getLatencyMs()).isEqualTo(12.5);
    assertThat(decoded.getAt()).isEqualTo(AT);
    assertThat(decoded.getRegion()).isEqualTo("unknown");
  }

  @Test
  void everyRecordCarriesTheFingerprintOfItsWriterSchema() {
    AvroValueSerde<Probe> serde = new AvroValueSerde<>(Probe.class, List.of());
    byte[] bytes = serde.serializer().serialize("t", new Probe("cart", 1.0, AT, "eu"));

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint =
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(
            org.apache.avro.SchemaNormalization.parsingFingerprint64(Probe.getClassSchema()));
  }

  @Test
  void rejectsRecordOfUnknownVersionNamingTheType() throws IOException {
    byte[] writtenByV1 = encodeWithV1(schemaV1());
    AvroValueSerde<Probe> withoutHistory = new AvroValueSerde<>(Probe.class, List.of());

    assertThatThrownBy(() -> withoutHistory.deserializer().deserialize("probes", writtenByV1))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode Probe from topic probes");
  }

  @Test
  void rejectsCorruptBytes() {
    AvroValueSerde<Probe> serde = new AvroValueSerde<>(Probe.class, List.of());

    assertThatThrownBy(() -> serde.deserializer().deserialize("probes", new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Probe");
  }

  private static Schema schemaV1() throws IOException {
    try (InputStream in =
        SchemaEvolutionTest.class.getResourceAsStream("/evolution/Probe.v1.avsc")) {
      return new Schema.Parser().parse(in);
    }
  }

  private static byte[] encodeWithV1(Schema v1) throws IOException {
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    GenericRecord record =
        new GenericRecordBuilder(v1)
            .set("service", "cart")
            .set("latencyMs", 12.5)
            .set("at", AT)
            .build();
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(model, v1).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
