package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.SeriesKey;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class VigilSerdesTest {
  // Parsing-form fingerprints of the key schemas as released; changing a key schema breaks
  // partitioning and every store: add a new key type instead.
  private static final long SERIES_KEY_FINGERPRINT = -8433229764396997345L;
  private static final long EDGE_KEY_FINGERPRINT = -173231452348590988L;
  static final List<Class<? extends SpecificRecord>> VALUE_TYPES = VigilSerdes.VALUE_TYPES;

  @Test
  void roundTripsOneRecordOfEveryValueType() {
    for (Object sample : dev.vigil.schemas.Samples.values()) {
      @SuppressWarnings("unchecked")
      Serde<Object> serde = (Serde<Object>) (Serde<?>) serdeFor(sample.getClass());
      byte[] bytes = serde.serializer().serialize("t", sample);
      assertThat(serde.deserializer().deserialize("t", bytes))
          .as(sample.getClass().getName())
          .isEqualTo(sample);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("VALUE_TYPES")
  void newestReleasedSchemaIsTheCurrentOne(Class<? extends SpecificRecord> type) {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> released = SchemaHistory.versions(type.getSimpleName());

    assertThat(released)
        .as(
            "released versions of %s; after changing its schema add %s with the new schema",
            type.getSimpleName(), SchemaHistory.resource(type.getSimpleName(), released.size() + 1))
        .isNotEmpty();
    assertThat(SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1)))
        .as(
            "%s changed since its last release: add %s holding the new schema",
            type.getSimpleName(), SchemaHistory.resource(type.getSimpleName(), released.size() + 1))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("VALUE_TYPES")
  void currentSchemaReadsEveryReleasedVersion(Class<? extends SpecificRecord> type) {
    Schema current = SpecificData.get().getSchema(type);
    for (Schema released : SchemaHistory.versions(type.getSimpleName())) {
      assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
          .as("%s reads its released versions", type.getSimpleName())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void keySchemasAreFrozen() {
    // Key bytes feed partitioning, compaction and store lookups: they must never change.
    assertThat(SchemaNormalization.parsingFingerprint64(SeriesKey.getClassSchema()))
        .isEqualTo(SERIES_KEY_FINGERPRINT);
    assertThat(SchemaNormalization.parsingFingerprint64(EdgeKey.getClassSchema()))
        .isEqualTo(EDGE_KEY_FINGERPRINT);
  }

  @Test
  void equalKeysEncodeToEqualBytesWithoutHeader() {
    SeriesKey key = new SeriesKey("cart", "span.calls", List.of(new Attribute("span.name", "GET")));
    byte[] a = VigilSerdes.SERIES_KEY.serializer().serialize("t", key);
    byte[] b =
        VigilSerdes.SERIES_KEY.serializer().serialize("t", SeriesKey.newBuilder(key).build());

    assertThat(a).isEqualTo(b);
    assertThat(a[0]).isNotEqualTo((byte) 0xC3);
    assertThat(VigilSerdes.SERIES_KEY.deserializer().deserialize("t", a)).isEqualTo(key);
  }

  @Test
  void rejectsKeyWithTrailingBytes() {
    byte[] bytes = VigilSerdes.EDGE_KEY.serializer().serialize("t", new EdgeKey("a", "b"));
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);

    assertThatThrownBy(() -> VigilSerdes.EDGE_KEY.deserializer().deserialize("edges", longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("EdgeKey");
  }

  private static Serde<?> serdeFor(Class<?> type) {
    return VigilSerdes.value(type.asSubclass(SpecificRecord.class));
  }
}
