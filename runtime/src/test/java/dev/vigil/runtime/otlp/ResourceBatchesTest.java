package dev.vigil.runtime.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResourceBatchesTest {
  private static final ExportLogsServiceRequest TWO_SERVICES =
      ExportLogsServiceRequest.newBuilder()
          .addResourceLogs(batch("cart", 3))
          .addResourceLogs(batch("checkout", 200))
          .build();

  @Test
  void eachBatchAndItsOneResourceRequestAreTheBytesEncodingThemWouldGive() throws Exception {
    ResourceBatches batches = ResourceBatches.of(TWO_SERVICES.toByteArray(), 2);

    assertThat(batches.count()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      ResourceLogs batch = TWO_SERVICES.getResourceLogs(i);
      byte[] alone =
          ExportLogsServiceRequest.newBuilder().addResourceLogs(batch).build().toByteArray();
      assertThat(batches.batch(i)).isEqualTo(batch.toByteArray());
      assertThat(batches.requestOf(i)).isEqualTo(alone);
      assertThat(batches.requestSize(i)).isEqualTo(alone.length);
    }
  }

  @Test
  void bytesWithAnotherFieldOrAnotherCountOrJsonAreNotCut() throws Exception {
    ByteArrayOutputStream withUnknownField = new ByteArrayOutputStream();
    withUnknownField.write(TWO_SERVICES.toByteArray());
    withUnknownField.write(new byte[] {(2 << 3), 7}); // field 2, varint 7

    assertThat(ResourceBatches.of(withUnknownField.toByteArray(), 2)).isNull();
    assertThat(ResourceBatches.of(TWO_SERVICES.toByteArray(), 1)).isNull();
    assertThat(ResourceBatches.of(TWO_SERVICES.toByteArray(), 3)).isNull();
    assertThat(ResourceBatches.of("{\"resourceLogs\":[]}".getBytes(StandardCharsets.UTF_8), 0))
        .isNull();
  }

  @Test
  void aTruncatedEntryIsNotCut() {
    byte[] bytes = TWO_SERVICES.toByteArray();
    assertThat(ResourceBatches.of(Arrays.copyOf(bytes, bytes.length - 1), 2)).isNull();
  }

  @Test
  void anEmptyRequestHasNoBatches() {
    assertThat(ResourceBatches.of(new byte[0], 0).count()).isZero();
  }

  private static ResourceLogs batch(String service, int records) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < records; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_000L + i)
              .setBody(AnyValue.newBuilder().setStringValue("order " + i)));
    }
    return ResourceLogs.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeLogs(scope)
        .build();
  }
}
