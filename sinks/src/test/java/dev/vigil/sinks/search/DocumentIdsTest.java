package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {
  private static SinkRecord record(Object key, long offset) {
    return new SinkRecord("vigil.incidents", 2, null, key, null, new byte[] {1}, offset);
  }

  @Test
  void aTextKeyIsTheIdAsIs() {
    assertThat(DocumentIds.fromKey(record("inc-7".getBytes(StandardCharsets.UTF_8), 1)))
        .isEqualTo("inc-7");
    assertThat(DocumentIds.fromKey(record("inc-7", 1))).isEqualTo("inc-7");
  }

  @Test
  void aBinaryKeyIsUrlSafeBase64AndTheSameForTheSameBytes() {
    byte[] avro = {0x10, 'c', 'a', 'r', 't', 0x00, (byte) 0xff};

    String id = DocumentIds.fromKey(record(avro, 1));

    assertThat(id).isEqualTo("EGNhcnQA_w").isEqualTo(DocumentIds.fromKey(record(avro.clone(), 9)));
  }

  @Test
  void aKeyOverTheEnginesLimitIsHashed() {
    String id = DocumentIds.fromKey(record("k".repeat(600), 1));

    assertThat(id).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void aWindowIdIsTheKeyAndTheWindowStartSoARevisionReplacesTheFirstEmission() {
    byte[] avro = {0x10, 'c', 'a', 'r', 't', 0x00, (byte) 0xff};

    assertThat(DocumentIds.fromKeyAndWindow(record(avro, 1), "2026-11-24T10:00:00Z"))
        .isEqualTo("EGNhcnQA_w@2026-11-24T10:00:00Z")
        .isEqualTo(DocumentIds.fromKeyAndWindow(record(avro.clone(), 7), "2026-11-24T10:00:00Z"));
    assertThat(DocumentIds.fromKeyAndWindow(record("k".repeat(500), 1), "2026-11-24T10:00:00Z"))
        .as("over the limit with the suffix: the key's hash")
        .matches("[0-9a-f]{64}@2026-11-24T10:00:00Z");
  }

  @Test
  void offsetIdsNameTopicPartitionAndOffset() {
    assertThat(DocumentIds.fromOffset(record(null, 42))).isEqualTo("vigil.incidents+2+42");
  }

  @Test
  void aMissingKeySaysWhatToDo() {
    assertThatThrownBy(() -> DocumentIds.fromKey(record(null, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("document.id.strategy=offset");
  }
}
