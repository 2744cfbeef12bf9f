package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonBulkWriterTest {
  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyActionIsAMetadataLineAndASourceLineEachEndingInANewline() {
    NdjsonBulkWriter writer = new NdjsonBulkWriter();

    byte[] body =
        writer.write(
            List.of(
                new BulkAction(BulkAction.Op.INDEX, "vigil.anomalies", "t+0+1", json("{\"a\":1}")),
                new BulkAction(
                    BulkAction.Op.CREATE,
                    "logs-vigil-default",
                    "t+0+2+0",
                    json("{\"b\":\"x\\ny\"}")),
                BulkAction.delete("vigil.alerts", "f00d")));

    assertThat(new String(body, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"index\":{\"_index\":\"vigil.anomalies\",\"_id\":\"t+0+1\"}}\n"
                + "{\"a\":1}\n"
                + "{\"create\":{\"_index\":\"logs-vigil-default\",\"_id\":\"t+0+2+0\"}}\n"
                + "{\"b\":\"x\\ny\"}\n"
                + "{\"delete\":{\"_index\":\"vigil.alerts\",\"_id\":\"f00d\"}}\n");
  }

  @Test
  void idsWithQuotesAreEscapedAndTheWriterCanBeReused() {
    NdjsonBulkWriter writer = new NdjsonBulkWriter();
    writer.write(List.of(new BulkAction(BulkAction.Op.INDEX, "i", "first", json("{}"))));

    byte[] body =
        writer.write(List.of(new BulkAction(BulkAction.Op.INDEX, "i", "a\"b", json("{}"))));

    assertThat(new String(body, StandardCharsets.UTF_8))
        .isEqualTo("{\"index\":{\"_index\":\"i\",\"_id\":\"a\\\"b\"}}\n{}\n");
  }

  @Test
  void sizeEstimateIsNeverBelowTheBytesWritten() {
    BulkAction action =
        new BulkAction(
            BulkAction.Op.CREATE,
            "logs-vigil-default",
            "otlp_logs+3+12345+7",
            json("{\"body\":{\"text\":\"hello\"}}"));

    int written = new NdjsonBulkWriter().write(List.of(action)).length;

    assertThat(NdjsonBulkWriter.sizeOf(action)).isGreaterThanOrEqualTo(written);
  }
}
