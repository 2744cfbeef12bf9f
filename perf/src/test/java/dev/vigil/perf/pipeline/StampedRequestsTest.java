package dev.vigil.perf.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class StampedRequestsTest {
  private static final long NOW = 1_780_000_000_123_456_789L;

  @Test
  void stampsEveryDataPointAndRotatesOverTheServicesAsTheBuiltLoadDoes() throws Exception {
    SyntheticOtlp built = new SyntheticOtlp();
    SyntheticOtlp source = new SyntheticOtlp();
    StampedRequests stamped =
        new StampedRequests(OtlpSignal.METRICS, 2, n -> source.next(OtlpSignal.METRICS, n));

    for (int i = 0; i < 3; i++) {
      long now = NOW + i;
      ExportMetricsServiceRequest request =
          ExportMetricsServiceRequest.parseFrom(stamped.next(now));
      ExportMetricsServiceRequest expected =
          (ExportMetricsServiceRequest) built.next(OtlpSignal.METRICS, now);
      List<NumberDataPoint> points =
          request.getResourceMetricsList().stream()
              .flatMap(
                  rm -> rm.getScopeMetrics(0).getMetrics(0).getGauge().getDataPointsList().stream())
              .toList();
      assertThat(points).hasSize(SyntheticOtlp.POINTS_PER_UNIT);
      assertThat(points).allMatch(p -> p.getTimeUnixNano() == now);
      assertThat(request.getResourceMetricsList())
          .extracting(rm -> rm.getResource())
          .isEqualTo(
              expected.getResourceMetricsList().stream().map(rm -> rm.getResource()).toList());
    }
  }

  @Test
  void stampsBothTimesOfEveryLogRecord() throws Exception {
    SyntheticOtlp source = new SyntheticOtlp();
    StampedRequests stamped =
        new StampedRequests(OtlpSignal.LOGS, 1, n -> source.next(OtlpSignal.LOGS, n));

    ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(stamped.next(NOW));

    assertThat(request.getResourceLogsList())
        .flatExtracting(rl -> rl.getScopeLogs(0).getLogRecordsList())
        .hasSize(SyntheticOtlp.LOGS_PER_UNIT)
        .allMatch(log -> log.getTimeUnixNano() == NOW && log.getObservedTimeUnixNano() == NOW);
  }

  @Test
  void refusesSpansWhoseIdsMustBeNewPerSend() {
    SyntheticOtlp source = new SyntheticOtlp();
    assertThatThrownBy(
            () -> new StampedRequests(OtlpSignal.TRACES, 1, n -> source.next(OtlpSignal.TRACES, n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("new ids");
  }
}
