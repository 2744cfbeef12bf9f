package dev.vigil.sinks.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpLogDocumentsTest {
  private final OtlpLogDocuments documents = new OtlpLogDocuments("vigil", "prod");

  @Test
  void oneDocumentPerLogRecordFlattenedAsTheCollectorsOtelMode() {
    ExportLogsServiceRequest request =
        SearchSamples.logs(
            "checkout",
            SearchSamples.log(
                1,
                "payment declined",
                SearchSamples.attribute("http.route", SearchSamples.text("/pay"))),
            SearchSamples.log(2, "retrying"));

    List<ObjectNode> docs = documents.documents(request, 0);

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).toString())
        .isEqualTo(
            "{\"@timestamp\":\"2026-11-24T10:00:00.001000123Z\","
                + "\"observed_timestamp\":\"2026-11-24T10:00:01Z\","
                + "\"data_stream\":{\"type\":\"logs\",\"dataset\":\"vigil\",\"namespace\":\"prod\"},"
                + "\"severity_text\":\"ERROR\",\"severity_number\":17,"
                + "\"body\":{\"text\":\"payment declined\"},"
                + "\"attributes\":{\"http.route\":\"/pay\"},"
                + "\"trace_id\":\"0102030405060708090a0b0c0d0e0f10\",\"span_id\":\"1112131415161718\","
                + "\"resource\":{\"attributes\":{\"service.name\":\"checkout\",\"deployment.environment\":\"test\"},"
                + "\"schema_url\":\"https://opentelemetry.io/schemas/1.26.0\"},"
                + "\"scope\":{\"name\":\"io.vigil.checkout\",\"version\":\"1.2.0\"}}");
  }

  @Test
  void structuredBodiesAndTypedValuesKeepTheirShape() {
    AnyValue map =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(SearchSamples.attribute("order", SearchSamples.number(42)))
                    .addValues(
                        SearchSamples.attribute(
                            "tags",
                            AnyValue.newBuilder()
                                .setArrayValue(
                                    ArrayValue.newBuilder()
                                        .addValues(SearchSamples.text("a"))
                                        .addValues(AnyValue.newBuilder().setBoolValue(true)))
                                .build())))
            .build();
    LogRecord log = LogRecord.newBuilder().setBody(map).build();

    ObjectNode doc =
        documents.documents(SearchSamples.logs("cart", log), 1_795_514_400_000L).get(0);

    assertThat(doc.path("body").path("structured").toString())
        .isEqualTo("{\"order\":42,\"tags\":[\"a\",true]}");
    assertThat(doc.path("@timestamp").asText())
        .as("no time and no observed time: the Kafka record's timestamp")
        .isEqualTo("2026-11-24T10:00:00Z");
    assertThat(doc.has("observed_timestamp")).isFalse();
    assertThat(doc.has("severity_text")).isFalse();
  }

  @Test
  void anObservedTimeStandsInForAMissingTime() {
    LogRecord log =
        LogRecord.newBuilder().setObservedTimeUnixNano(1_795_514_400_000_000_005L).build();

    ObjectNode doc = documents.documents(SearchSamples.logs("cart", log), 0).get(0);

    assertThat(doc.path("@timestamp").asText()).isEqualTo("2026-11-24T10:00:00.000000005Z");
  }
}
